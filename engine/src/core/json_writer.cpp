#include "core/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace fascia::detail {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
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

// Bytes that need no escaping: printable ASCII but '"' and '\\'. Checks
// eight bytes at a time (word-at-a-time byte tests: any byte below 0x20,
// with the high bit, or equal to '"' or '\\'), since recommendation text is
// long and almost never needs escaping. Returns the length of the prefix of
// `s` made of such bytes.
std::size_t plain_prefix(std::string_view s) {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  const auto has_zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;
    if ((x & highs) | below_space | has_zero_byte(x ^ (ones * '"')) |
        has_zero_byte(x ^ (ones * '\\')))
      break;
  }
  static constexpr auto needs_escape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
    return table;
  }();
  while (i < s.size() && !needs_escape[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

}  // namespace

void JsonWriter::newline() {
  if (indent_ == 0) return;
  out_ += '\n';
  out_.append(has_element_.size() * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_ += ',';
    has_element_.back() = true;
    newline();
  }
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  has_element_.push_back(false);
}

void JsonWriter::end_object() {
  const bool had = has_element_.back();
  has_element_.pop_back();
  if (had) newline();
  out_ += '}';
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  has_element_.push_back(false);
}

void JsonWriter::end_array() {
  const bool had = has_element_.back();
  has_element_.pop_back();
  if (had) newline();
  out_ += ']';
}

void JsonWriter::key(std::string_view name) {
  before_value();
  if (indent_) {
    write_string(name);
    out_ += ": ";
  } else {
    write_string(name, ':');
  }
  after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
  before_value();
  write_string(text);
}

void JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
}

void JsonWriter::value(std::int64_t n) {
  before_value();
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out_.append(buf, end);
}

void JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {  // JSON has no NaN/Infinity
    out_ += "null";
    return;
  }
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, d).ptr;  // shortest round-trip form
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out_ += text;
  // Keep a double recognisable as one: 5.0, not 5.
  if (text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::write_string(std::string_view s, char after) {
  // Most strings are short and need no escaping: one append for the quotes,
  // the text and what follows (each std::string append has a cost of its own).
  constexpr std::size_t short_string = 60;
  if (s.size() <= short_string && plain_prefix(s) == s.size()) {
    char buffer[short_string + 3];
    buffer[0] = '"';
    std::memcpy(buffer + 1, s.data(), s.size());
    buffer[s.size() + 1] = '"';
    buffer[s.size() + 2] = after;
    out_.append(buffer, s.size() + (after ? 3 : 2));
    return;
  }
  out_ += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      // Copy the longest run that needs no escaping in one go.
      const std::size_t run = plain_prefix(s.substr(i));
      out_.append(s.data() + i, run);
      i += run;
      continue;
    }
    switch (c) {
      case '"': out_ += "\\\""; ++i; continue;
      case '\\': out_ += "\\\\"; ++i; continue;
      case '\b': out_ += "\\b"; ++i; continue;
      case '\f': out_ += "\\f"; ++i; continue;
      case '\n': out_ += "\\n"; ++i; continue;
      case '\r': out_ += "\\r"; ++i; continue;
      case '\t': out_ += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out_ += "\\u00";
      out_ += hex[c >> 4];
      out_ += hex[c & 0xF];
      ++i;
      continue;
    }
    // Non-ASCII: copy valid UTF-8, replace anything else with U+FFFD.
    if (const std::size_t n = utf8_length(s, i)) {
      out_.append(s.data() + i, n);
      i += n;
    } else {
      out_ += "\xEF\xBF\xBD";
      ++i;
    }
  }
  out_ += '"';
  if (after) out_ += after;
}

}  // namespace fascia::detail
