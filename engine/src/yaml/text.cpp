#include "yaml/text.hpp"

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace fascia::detail::yaml {

namespace {

// Length of the valid UTF-8 sequence starting at `i`, or 0 if it is invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    code_point = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    code_point = b0 & 0x0F;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    code_point = b0 & 0x07;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF)) return 0;
    code_point = (code_point << 6) | (b & 0x3F);
  }
  return length;
}

std::string code_point_name(char32_t code_point) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(code_point));
  return buf;
}

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_flow_indicator(char c) noexcept {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

// The bytes of `word` (read little-endian) that are not printable ASCII
// (0x20-0x7E), the bulk of any fascia file, each marked by its high bit: a
// high bit set, a byte below 0x20 (its subtraction borrows) or 0x7F (its
// addition carries). A borrow or carry across bytes can mark a printable
// byte above a marked one, never the lowest marked byte: the bytes below it
// are printable, and it goes through the exact checks.
std::uint64_t not_printable_ascii(std::uint64_t word) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  constexpr std::uint64_t highs = ones * 0x80;
  return (word | (word - ones * 0x20) | (word + ones)) & highs;
}

}  // namespace

std::optional<TextProblem> check_encoding(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (text.size() - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      const std::uint64_t marked = not_printable_ascii(word);
      if (marked == 0) {
        i += 8;
        continue;
      }
      if constexpr (std::endian::native == std::endian::little)
        i += static_cast<std::size_t>(std::countr_zero(marked)) / 8;
    }
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence(text, i, code_point);
    if (length == 0) return TextProblem{i, "file is not valid UTF-8 text"};
    if (code_point == 0)
      return TextProblem{i, "file contains a NUL byte (fascia files must be UTF-8 text)"};
    // YAML's printable set: no C0/C1 controls except tab, line breaks, NEL.
    const bool control =
        (code_point < 0x20 && code_point != '\t' && code_point != '\n' && code_point != '\r') ||
        (code_point >= 0x7F && code_point <= 0x9F && code_point != 0x85);
    if (control)
      return TextProblem{
          i, "control character " + code_point_name(code_point) + " is not allowed in YAML text"};
    i += length;
  }
  return std::nullopt;
}

std::optional<TextProblem> prescan_structure(std::string_view text, const Limits& limits) {
  const std::size_t n = text.size();
  const auto ws_or_end = [&](std::size_t j) { return j >= n || is_blank(text[j]); };
  const auto skip_to_line_end = [&](std::size_t j) {
    while (j < n && text[j] != '\n') ++j;
    return j;
  };
  const auto too_deep = [&](std::size_t at) {
    return TextProblem{
        at, "nesting too deep (more than " + std::to_string(limits.max_yaml_depth) + " levels)"};
  };
  const auto too_many = [&](std::size_t at) {
    return TextProblem{
        at, "too many YAML nodes (more than " + std::to_string(limits.max_yaml_nodes) + ")"};
  };

  std::size_t i = 0;
  std::size_t line_start = 0;
  bool at_line_start = true;
  std::size_t flow = 0;          // current flow nesting
  std::size_t flow_entries = 0;  // entries seen in the current outermost flow collection
  bool node_start = true;        // a node may begin here
  bool in_plain = false;         // inside a block plain scalar (where [ { are text)
  bool after_quote = false;      // last token was a closed quoted scalar (JSON-style "a":1)
  char quote = 0;
  bool in_block_scalar = false;
  long block_parent = -1;  // lines indented more than this belong to the block scalar
  long line_parent = -1;   // column of the innermost block collection entry on this line
  long key_column = -1;    // column where the current scalar (maybe a key) started
  const auto column = [&](std::size_t j) { return static_cast<long>(j - line_start); };

  while (i < n) {
    const char c = text[i];
    if (quote == '\'') {
      if (c == '\'' && i + 1 < n && text[i + 1] == '\'') {
        i += 2;
        continue;
      }
      if (c == '\'') quote = 0, after_quote = true;
      if (c == '\n') line_start = i + 1;
      ++i;
      continue;
    }
    if (quote == '"') {
      if (c == '\\') {
        if (i + 1 < n && text[i + 1] == '\n') line_start = i + 2;
        i += 2;
        continue;
      }
      if (c == '"') quote = 0, after_quote = true;
      if (c == '\n') line_start = i + 1;
      ++i;
      continue;
    }
    if (at_line_start) {
      at_line_start = false;
      line_start = i;
      std::size_t j = i;
      while (j < n && text[j] == ' ') ++j;
      const long indent = static_cast<long>(j - i);
      if (in_block_scalar) {
        std::size_t k = j;
        while (k < n && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) ++k;
        const bool empty_line = k >= n || text[k] == '\n';
        if (empty_line || indent > block_parent) {
          i = skip_to_line_end(i);
          continue;
        }
        in_block_scalar = false;
      }
      line_parent = indent;
      key_column = indent;
      node_start = true;
      in_plain = false;
      after_quote = false;
      if (indent == 0 && n - i >= 3 &&
          (text.compare(i, 3, "---") == 0 || text.compare(i, 3, "...") == 0) && ws_or_end(i + 3)) {
        line_parent = -1;  // a root block scalar may follow: `--- |`
        i += 3;
        continue;
      }
      i = j;
      continue;
    }
    if (c == '\n') {
      ++i;
      if (flow == 0)
        at_line_start = true;
      else
        line_start = i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#' && (i == 0 || is_blank(text[i - 1]))) {
      i = skip_to_line_end(i);
      continue;
    }
    const bool was_after_quote = after_quote;
    after_quote = false;
    if (flow > 0) {
      if (c == '[' || c == '{') {
        if (++flow > limits.max_yaml_depth) return too_deep(i);
        if (++flow_entries > limits.max_yaml_nodes) return too_many(i);
        node_start = true;
      } else if (c == ']' || c == '}') {
        if (--flow == 0) flow_entries = 0, in_plain = false;
        node_start = false;
      } else if (c == ',') {
        if (++flow_entries > limits.max_yaml_nodes) return too_many(i);
        node_start = true;
      } else if ((c == ':' || c == '?') &&
                 (was_after_quote || ws_or_end(i + 1) || is_flow_indicator(text[i + 1]))) {
        node_start = true;
      } else if (node_start && (c == '\'' || c == '"')) {
        quote = c;
        node_start = false;
      } else {
        node_start = false;
      }
      ++i;
      continue;
    }
    // Block context. `[` and `{` open a flow collection anywhere but inside
    // a plain scalar: also after a quoted scalar or a closed collection,
    // where yaml-cpp tokenizes them before it reports the error.
    if (!in_plain) {
      if (c == '[' || c == '{') {
        flow = 1;
        flow_entries = 1;
        node_start = true;
        if (flow > limits.max_yaml_depth) return too_deep(i);
      } else if ((c == '-' || c == '?' || c == ':') && ws_or_end(i + 1)) {
        line_parent = c == ':' ? key_column : column(i);
        node_start = true;
      } else if (node_start && (c == '\'' || c == '"')) {
        quote = c;
        key_column = column(i);
        node_start = false;
      } else if (node_start && (c == '|' || c == '>')) {
        in_block_scalar = true;
        block_parent = line_parent;
        i = skip_to_line_end(i);
        continue;
      } else if (c == '&' || c == '!' || c == '*') {  // node properties, an alias
        while (i < n && !is_blank(text[i])) ++i;
        continue;
      } else if (node_start) {
        key_column = column(i);
        in_plain = true;
        node_start = false;
      }
      ++i;
      continue;
    }
    if (c == ':' && ws_or_end(i + 1)) {
      in_plain = false;
      node_start = true;
      line_parent = key_column;
    }
    ++i;
  }
  return std::nullopt;
}

std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t count = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

Locator::Position Locator::at(std::size_t offset) noexcept {
  if (offset > text_.size()) offset = text_.size();
  // A byte order mark is invisible in editors: it takes no column.
  const std::size_t bom = text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (offset < bom) offset = bom;
  if (offset_ < bom) offset_ = bom, line_ = 1, column_ = 1;
  const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  while (offset_ < offset) {
    const char c = text_[offset_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if (!continuation(c)) {
      ++column_;
    }
  }
  bool recount = false;
  while (offset_ > offset) {
    const char c = text_[--offset_];
    if (c == '\n') {
      --line_;
      recount = true;
    } else if (!recount && !continuation(c)) {
      --column_;
    }
  }
  if (recount) {  // moved back onto an earlier line: count its columns afresh
    std::size_t start = offset_;
    while (start > bom && text_[start - 1] != '\n') --start;
    column_ = 1 + static_cast<std::uint32_t>(utf8_length(text_.substr(start, offset_ - start)));
  }
  return Position{line_, column_, offset_};
}

}  // namespace fascia::detail::yaml
