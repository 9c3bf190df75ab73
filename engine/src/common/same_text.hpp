#pragma once
// Equality of short texts (ids, names, sources) for the per-evaluation hot
// paths: the length first, then eight bytes at a time inline. Most compared
// texts differ in length, and for the rest a memcmp call costs more than the
// comparison itself.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fascia::detail {

[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  auto word = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  auto half = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n < 8) {
    if (n >= 4)  // two (possibly overlapping) four-byte halves
      return half(a.data()) == half(b.data()) && half(a.data() + n - 4) == half(b.data() + n - 4);
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  for (std::size_t i = 0; i + 8 < n; i += 8)
    if (word(a.data() + i) != word(b.data() + i)) return false;
  return word(a.data() + n - 8) == word(b.data() + n - 8);  // the last (overlapping) word
}

}  // namespace fascia::detail
