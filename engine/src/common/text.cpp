#include "common/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fascia::detail {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  return fmt::format("{}", fmt::join(items, separator));
}

}  // namespace fascia::detail
