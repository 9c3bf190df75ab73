#include "core/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fascia::detail {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  if (n == 3) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;  // overlong, surrogate
  }
  if (n == 4) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return 0;
  }
  return n;
}

// Bytes that need no escaping: printable ASCII but '"' and '\\'. Returns
// the length of the prefix of `s` made of such bytes; with `Copy`, copies
// it to `out` as it goes (`out` has room for all of `s`; bytes past the
// prefix may be written too, for the caller to overwrite). Sixteen bytes at
// a time where SSE2 is there (every x86-64), else eight with word-at-a-time
// byte tests, since recommendation text is long and almost never needs
// escaping.
template <bool Copy>
[[gnu::always_inline]] inline std::size_t plain_prefix(std::string_view s,
                                                       [[maybe_unused]] char* out = nullptr) {
  std::size_t i = 0;
  const std::size_t n = s.size();
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // Signed compare: bytes from 0x80 are negative, so "below a space" too.
  const auto stops = [&](std::size_t at) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
    if constexpr (Copy) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at), x);
    const __m128i bad =
        _mm_or_si128(_mm_cmplt_epi8(x, space),
                     _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
    return static_cast<unsigned>(_mm_movemask_epi8(bad));
  };
  for (; i + 16 <= n; i += 16)
    if (const unsigned mask = stops(i)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  if (i < n && n >= 16) {  // the last 16 bytes, overlapping what was checked
    const std::size_t at = n - 16;
    const unsigned mask = stops(at) >> (i - at);
    return mask ? i + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
  }
  // Shorter text (most of it: ids, versions, dates): short_plain().
  if (n >= 4 && n < 16 && short_plain<Copy>(s, out)) return n;
#else
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  const auto has_zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;
    if ((x & highs) | below_space | has_zero_byte(x ^ (ones * '"')) |
        has_zero_byte(x ^ (ones * '\\')))
      break;
    if constexpr (Copy) std::memcpy(out + i, &x, 8);
  }
#endif
  static constexpr auto needs_escape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
    return table;
  }();
  for (; i < n && !needs_escape[static_cast<unsigned char>(s[i])]; ++i)
    if constexpr (Copy) out[i] = s[i];
  return i;
}

}  // namespace

void JsonWriter::put_long(std::string_view text) {
  flush();
  if (text.size() > buffer_size) {
    out_.append(text);
    return;
  }
  std::memcpy(pos_, text.data(), text.size());
  pos_ += text.size();
}

void JsonWriter::flush() {
  out_.append(buffer_, static_cast<std::size_t>(pos_ - buffer_));
  pos_ = buffer_;
}

void JsonWriter::push_deep() { deep_.push_back(has_element_ >> 63); }

void JsonWriter::pop_deep() {
  has_element_ |= static_cast<std::uint64_t>(deep_.back()) << 63;
  deep_.pop_back();
}

void JsonWriter::value(bool b) {
  before_value();
  boolean(b);
}

void JsonWriter::boolean(bool b) { put(b ? std::string_view("true") : std::string_view("false")); }

char* JsonWriter::write_integer(char* at, std::int64_t n) {
  return std::to_chars(at, at + 24, n).ptr;
}

void JsonWriter::value(double d) {
  before_value();
  real(d);
}

void JsonWriter::real(double d) {
  if (!std::isfinite(d)) {  // JSON has no NaN/Infinity
    put("null");
    return;
  }
  char* p = room(40);
  char* end = std::to_chars(p, p + 32, d).ptr;  // shortest round-trip form
  // Keep a double recognisable as one: 5.0, not 5.
  if (std::string_view(p, static_cast<std::size_t>(end - p)).find_first_of(".e") ==
      std::string_view::npos) {
    end[0] = '.';
    end[1] = '0';
    end += 2;
  }
  pos_ = end;
}

void JsonWriter::null() {
  before_value();
  put("null");
}

// The common case kept small (no spills, no calls): text that needs no
// escaping and fits in the buffer, copied as it is scanned. Anything else
// starts again in write_string_slow(), which overwrites what was copied.
// (fascia batch: write_string was 117 instructions a call, 76 calls a line.)
void JsonWriter::write_string(std::string_view s, char after) {
  const std::size_t n = s.size();
  char* p = pos_;
  if (static_cast<std::ptrdiff_t>(n + 3) <= end_ - p) [[likely]] {
    p[0] = '"';
    // Below 32 bytes (most names and values) first, without setting up the
    // 16-byte loop: 67 -> 47 instructions a call (callgrind, fascia batch).
    if (n - 4 < 28 ? short_plain<true>(s, p + 1) : plain_prefix<true>(s, p + 1) == n) [[likely]] {
      p[n + 1] = '"';
      p[n + 2] = after;
      pos_ = p + n + (after ? 3 : 2);
      return;
    }
  }
  write_string_slow(s, after);
}

void JsonWriter::write_string_slow(std::string_view s, char after) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  if (n + 3 <= buffer_size) {
    // Quotes and text straight into the buffer, the text copied as it is
    // scanned: most text needs no escaping.
    char* p = room(n + 3);
    p[0] = '"';
    i = plain_prefix<true>(s, p + 1);
    if (i == n) {
      p[n + 1] = '"';
      p[n + 2] = after;
      pos_ = p + n + (after ? 3 : 2);
      return;
    }
    pos_ = p + 1 + i;
  } else {
    i = plain_prefix<false>(s);
    put('"');
    put(s.substr(0, i));
  }
  write_escaped(s, i);
  put('"');
  if (after) put(after);
}

void JsonWriter::string_piece(std::string_view s) {
  const std::size_t n = s.size();
  if (static_cast<std::ptrdiff_t>(n) <= end_ - pos_ && plain_prefix<true>(s, pos_) == n)
      [[likely]] {
    pos_ += n;
    return;
  }
  const std::size_t i = plain_prefix<false>(s);
  put(s.substr(0, i));
  write_escaped(s, i);
}

void JsonWriter::write_escaped(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    char* p = room(6);  // the longest escape
    const auto two = [&](char e) {
      p[0] = '\\';
      p[1] = e;
      pos_ = p + 2;
      ++i;
    };
    switch (c) {
      case '"':
        two('"');
        break;
      case '\\':
        two('\\');
        break;
      case '\b':
        two('b');
        break;
      case '\f':
        two('f');
        break;
      case '\n':
        two('n');
        break;
      case '\r':
        two('r');
        break;
      case '\t':
        two('t');
        break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          std::memcpy(p, "\\u00", 4);
          p[4] = hex[c >> 4];
          p[5] = hex[c & 0xF];
          pos_ = p + 6;
          ++i;
        } else if (const std::size_t length = utf8_length(s, i)) {
          // Non-ASCII: copy valid UTF-8, replace anything else with U+FFFD.
          std::memcpy(p, s.data() + i, length);
          pos_ = p + length;
          i += length;
        } else {
          std::memcpy(p, "\xEF\xBF\xBD", 3);
          pos_ = p + 3;
          ++i;
        }
    }
    // Copy the longest run that needs no escaping in one go.
    const std::size_t run = plain_prefix<false>(s.substr(i));
    put(s.substr(i, run));
    i += run;
  }
}

void append_pretty(std::string_view compact, std::string& out) {
  std::size_t depth = 0;
  const auto newline = [&] { out.append(1, '\n').append(2 * depth, ' '); };
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    switch (c) {
      case '"': {  // a string, copied whole
        std::size_t end = i + 1;
        while (compact[end] != '"') end += compact[end] == '\\' ? 2 : 1;
        out.append(compact.substr(i, end + 1 - i));
        i = end;
        break;
      }
      case '{':
      case '[':
        out += c;
        if (compact[i + 1] == (c == '{' ? '}' : ']')) {
          out += compact[++i];  // empty
          break;
        }
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace fascia::detail
