#include "common/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fascia::detail {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  return fmt::format("{}", fmt::join(items, separator));
}

std::string shorten(std::string_view text) {
  constexpr std::size_t max = 60;
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

}  // namespace fascia::detail
