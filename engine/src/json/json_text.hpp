#pragma once
// Byte-level helpers of the JSON readers, the one lexical definition of
// JSON both use: the located tree reader (json_document.cpp) and the scanner
// under the fast client-state reader (json_scanner.hpp): blanks, digits,
// numbers, escapes, UTF-8 sequences and the fast scan of plain text.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fascia::detail::json {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// What scan_number() found wrong, for the located reader's message.
enum class NumberError : std::uint8_t { none, invalid, leading_zero };

struct NumberScan {
  std::size_t end;  // one past the number's last byte (where it went wrong on an error)
  bool integer;     // no fraction, no exponent
  NumberError error;
};

// The JSON number at text[i]: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?
inline NumberScan scan_number(std::string_view text, std::size_t i) noexcept {
  const std::size_t n = text.size();
  const auto digits = [&] {
    if (i >= n || !is_digit(text[i])) return false;
    while (i < n && is_digit(text[i])) ++i;
    return true;
  };
  bool integer = true;
  if (i < n && text[i] == '-') ++i;
  if (i < n && text[i] == '0') {
    ++i;
    if (i < n && is_digit(text[i])) return {i, false, NumberError::leading_zero};
  } else if (!digits()) {
    return {i, false, NumberError::invalid};
  }
  if (i < n && text[i] == '.') {
    integer = false;
    ++i;
    if (!digits()) return {i, false, NumberError::invalid};
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    integer = false;
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return {i, false, NumberError::invalid};
  }
  return {i, integer, NumberError::none};
}

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

inline std::size_t skip_bom(std::string_view text) noexcept {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

// Length of the UTF-8 sequence at text[i] (a byte >= 0x80) if it is valid
// and not a C1 control character (U+0080-U+009F but U+0085, which
// check_encoding() refuses too), else 0.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b0 == 0xC2) {
    length = 2;
    low = 0xA0;  // C1 controls are C2 80-9F
  } else if (b0 >= 0xC3 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  const unsigned char b1 = byte(i + 1);
  if (b1 < low || b1 > high) return b0 == 0xC2 && b1 == 0x85 ? 2 : 0;  // NEL is allowed
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

// Encoding is checked as strings are read: JSON outside strings is ASCII,
// and any byte the YAML loader's check_encoding() would refuse (control
// characters, invalid UTF-8) makes the text "not JSON", so the YAML loader
// reports it with its usual message. Columns are counted the same way as
// the YAML loader's Locator does (code points; a byte order mark takes none)
// but incrementally, without a second pass over the text.
// The end of the run of bytes from `i` that a string holds as they are
// (printable ASCII but '"' and '\\'): eight bytes at a time with
// word-at-a-time byte tests, since most of a state is such text. The first
// flagged byte of a word is exact (a borrow only flags bytes after a true
// match), so the word that stops the run gives the end by its lowest set
// bit: without that, the bytes before the stop were tested again one by one
// (most strings of a state are shorter than a word; with skip_blanks()'s
// inline test, BM_BatchParseStateInto 11,001 -> 10,239 instructions).
inline std::size_t plain_ascii_end(std::string_view text, std::size_t i) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  const auto has_zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
#if defined(__SSE2__)
  // Sixteen bytes at a time where SSE2 is there (every x86-64): a signed
  // compare below ' ' flags the control characters and every byte >= 0x80
  // at once; the words below finish what is left.
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i stops = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                                                    _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F))),
                                       _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
    if (const int mask = _mm_movemask_epi8(stops))
      return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
  }
#endif
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    if constexpr (std::endian::native == std::endian::little) {
      const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;
      const std::uint64_t stops = (x & highs) | below_space | has_zero_byte(x ^ (ones * '"')) |
                                  has_zero_byte(x ^ (ones * '\\')) |
                                  has_zero_byte(x ^ (ones * 0x7F));
      if (stops) return i + static_cast<std::size_t>(std::countr_zero(stops)) / 8;
    } else {
      const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;
      if ((x & highs) | below_space | has_zero_byte(x ^ (ones * '"')) |
          has_zero_byte(x ^ (ones * '\\')) | has_zero_byte(x ^ (ones * 0x7F)))
        break;
    }
  }
  static constexpr auto stops = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
    return table;
  }();
  while (i < text.size() && !stops[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

}  // namespace fascia::detail::json
