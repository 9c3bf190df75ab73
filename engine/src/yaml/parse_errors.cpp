#include "yaml/parse_errors.hpp"

#include "yaml/hints.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

namespace fascia::detail::yaml {

namespace {

bool is_line_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The whole UTF-8 character at `offset`, or "" at the end of the text.
std::string_view character_at(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return {};
  std::size_t end = offset + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return text.substr(offset, end - offset);
}

// A tab in the indentation of the line at `offset` or of the previous
// non-blank line: libyaml reports these as "found character that cannot
// start any token", "found a tab character that violates indentation" and
// the like.
std::optional<std::size_t> indentation_tab(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = offset;
  while (line > 0 && text[line - 1] != '\n') --line;
  for (int checked = 0; checked < 2;) {
    std::size_t i = line;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      if (text[i] == '\t') return i;
      ++i;
    }
    const bool blank = i >= text.size() || text[i] == '\n' || text[i] == '\r';
    if (!blank) ++checked;
    if (line == 0) break;
    --line;  // onto the previous line's '\n'
    while (line > 0 && text[line - 1] != '\n') --line;
  }
  return std::nullopt;
}

// The code point of the escape at `offset` (`\xXX`, `\uXXXX`, `\UXXXXXXXX`).
unsigned escaped_code_point(std::string_view text, std::size_t offset) {
  if (offset + 1 >= text.size()) return 0;
  const char kind = text[offset + 1];
  const std::size_t digits = kind == 'x' ? 2 : kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
  unsigned value = 0;
  for (std::size_t k = 0; k < digits && offset + 2 + k < text.size(); ++k) {
    const char c = text[offset + 2 + k];
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) break;
    value = value * 16 + static_cast<unsigned>(digit);
  }
  return value;
}

std::string unexpected(std::string_view text, std::size_t offset) {
  const std::string_view c = character_at(text, offset);
  if (c.empty()) return "invalid YAML: the file ends where a value was expected";
  return "unexpected '" + std::string(c) + "'";
}

std::string in_context(std::string_view text, const SyntaxError& error) {
  std::string message = "invalid YAML: " + std::string(error.problem);
  if (!error.context.empty()) {
    const auto start = Locator(text).at(error.context_offset);
    message += " (" + std::string(error.context) + " that starts at line " +
               std::to_string(start.line) + ")";
  }
  return message;
}

}  // namespace

bool starts_second_document(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return false;
  if (text.compare(offset, 3, "---") == 0 || text[offset] == '%') return true;
  std::size_t i = offset;
  while (i > 0 && is_line_space(text[i - 1])) --i;
  return i >= 3 && text.compare(i - 3, 3, "...") == 0 && (i == 3 || text[i - 4] == '\n');
}

TextProblem describe_syntax_error(std::string_view text, const SyntaxError& error) {
  const std::size_t at = std::min(error.offset, text.size());
  if (error.reader) {
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X", error.value);
    return {at, "character " + std::string(name) + " is not allowed in YAML text"};
  }
  if (auto tab = indentation_tab(text, at))
    return {*tab, "tabs are not allowed in YAML indentation; use spaces"};
  if (auto quote = unclosed_quote_before(text, at)) return std::move(*quote);

  const std::string_view problem = error.problem;
  if (problem == "did not find expected ',' or ']'")
    return {at, "invalid YAML: end of sequence flow not found"};
  if (problem == "did not find expected ',' or '}'")
    return {at, "invalid YAML: end of map flow not found"};
  if (problem == "mapping values are not allowed in this context")
    return {at, "invalid YAML: illegal map value"};
  if (problem == "found unknown escape character")
    return {at,
            "invalid YAML: unknown escape character: " + std::string(character_at(text, at + 1))};
  if (problem == "found invalid Unicode character escape code") {
    // libyaml points at the hex digits; point at the escape's backslash.
    const std::size_t escape = at >= 2 && text[at - 2] == '\\' ? at - 2 : at;
    return {escape,
            "invalid YAML: invalid unicode: " + std::to_string(escaped_code_point(text, escape))};
  }
  if (problem == "did not find expected <document start>")
    return {at, starts_second_document(text, at) ? "only one YAML document per file is allowed"
                                                 : unexpected(text, at)};
  if (problem == "did not find expected node content") return {at, unexpected(text, at)};
  if (problem == "did not find expected key" && at < text.size() && text[at] == ':')
    return {at, "a mapping key must not be empty"};
  if (problem == "found character that cannot start any token" && at < text.size())
    return {at, "invalid YAML: '" + std::string(character_at(text, at)) +
                    "' cannot start a value; put the value in quotes"};
  return {at, in_context(text, error)};
}

}  // namespace fascia::detail::yaml
