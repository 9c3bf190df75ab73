// locate_in_scalar(): a character of a scalar's value back to its line and
// column in the text, through quotes, escapes and folded lines.
#include "yaml/document.hpp"

#include "yaml/text.hpp"

#include <utility>

namespace fascia::detail::yaml {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::size_t utf8_size_of(char32_t code_point) {
  if (code_point < 0x80) return 1;
  if (code_point < 0x800) return 2;
  if (code_point < 0x10000) return 3;
  return 4;
}

// A double-quoted escape starting at text[i] == '\\': its length in the text
// and the number of bytes it produces in the value.
std::pair<std::size_t, std::size_t> escape_size(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return {1, 0};
  const char kind = text[i + 1];
  std::size_t digits = 0;
  switch (kind) {
    case 'x':
      digits = 2;
      break;
    case 'u':
      digits = 4;
      break;
    case 'U':
      digits = 8;
      break;
    case 'N':
    case '_':
      return {2, 2};  // U+0085, U+00A0
    case 'L':
    case 'P':
      return {2, 3};  // U+2028, U+2029
    default:
      return {2, 1};
  }
  char32_t code_point = 0;
  for (std::size_t k = 0; k < digits && i + 2 + k < text.size(); ++k) {
    const int v = hex_value(text[i + 2 + k]);
    if (v < 0) break;
    code_point = code_point * 16 + static_cast<char32_t>(v);
  }
  return {2 + digits, utf8_size_of(code_point)};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

SourceLocation locate_in_scalar(const Document& document, const Node& node, std::size_t offset) {
  const SourceLocation fallback = location_of(document, node);
  const std::string_view text = document.text;
  const std::string_view value = node.value;
  const std::size_t start = node.mark.offset;
  if (node.kind != NodeKind::scalar || start >= text.size() || node.mark.line == 0) return fallback;
  if (offset > value.size()) offset = value.size();
  Locator locator(text, start, node.mark.line, node.mark.column);
  const auto at = [&](std::size_t text_offset) {
    const auto position = locator.at(text_offset);
    return SourceLocation{document.file, position.line, position.column};
  };

  const char style = text[start];
  std::size_t ti = start;
  std::size_t vi = 0;

  if (style == '|' || style == '>') {
    // Block scalar: skip the header line, find the content indentation, then
    // the value is the content lines without that indentation; folding (>)
    // turns some line breaks into spaces.
    while (ti < text.size() && text[ti] != '\n') ++ti;
    if (ti < text.size()) ++ti;
    std::size_t indent = 0;
    for (std::size_t line = ti; line < text.size();) {
      std::size_t i = line;
      while (i < text.size() && text[i] == ' ') ++i;
      if (i < text.size() && text[i] != '\n' && text[i] != '\r') {
        indent = i - line;
        break;
      }
      while (i < text.size() && text[i] != '\n') ++i;
      line = i + 1;
    }
    bool line_start = true;
    while (true) {
      if (line_start) {
        for (std::size_t k = 0; k < indent && ti < text.size() && text[ti] == ' '; ++k) ++ti;
        line_start = false;
      }
      if (ti >= text.size() || vi >= value.size()) return at(ti);
      const char t = text[ti];
      if (t == value[vi]) {
        if (vi == offset) return at(ti);
        ++ti;
        ++vi;
        line_start = t == '\n';
      } else if (t == '\r') {
        ++ti;
      } else if (t == '\n') {
        if (style == '>' && value[vi] == ' ') {  // a folded line break
          if (vi == offset) return at(ti);
          ++vi;
        }
        ++ti;
        line_start = true;
      } else {
        return fallback;
      }
    }
  }

  // Plain, single- or double-quoted (flow) scalar: line breaks and the
  // indentation after them fold into a space (or newlines for empty lines).
  const bool single = style == '\'';
  const bool dual = style == '"';
  if (single || dual) ++ti;
  while (true) {
    if (ti >= text.size() || vi >= value.size()) return at(ti);
    const char t = text[ti];
    const char v = value[vi];
    if (dual && t == '\\') {
      if (ti + 1 < text.size() && (text[ti + 1] == '\n' || text[ti + 1] == '\r')) {
        ++ti;  // an escaped line break produces nothing
        while (ti < text.size() && is_space(text[ti])) ++ti;
        continue;
      }
      const auto [text_length, value_length] = escape_size(text, ti);
      if (offset < vi + value_length) return at(ti);
      ti += text_length;
      vi += value_length;
    } else if (single && t == '\'' && v == '\'' && ti + 1 < text.size() && text[ti + 1] == '\'') {
      if (vi == offset) return at(ti);
      ti += 2;
      ++vi;
    } else if (t == v) {
      if (vi == offset) return at(ti);
      ++ti;
      ++vi;
    } else if (is_space(t)) {
      const std::size_t run = ti;
      while (ti < text.size() && is_space(text[ti])) ++ti;
      while (vi < value.size() && (value[vi] == ' ' || value[vi] == '\n')) {
        if (vi == offset) return at(run);
        ++vi;
      }
    } else {
      return fallback;
    }
  }
}

}  // namespace fascia::detail::yaml
