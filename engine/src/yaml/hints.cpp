#include "yaml/hints.hpp"

#include <string>

namespace fascia::detail::yaml {

namespace {

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

// The line of `text` starting at `begin`, without its line break.
std::string_view line_at(std::string_view text, std::size_t begin) {
  const std::size_t end = text.find('\n', begin);
  std::string_view line =
      text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Where a plain-scalar key ends in `line` from `pos` (the ':' followed by a
// blank or the end of the line), or npos.
std::size_t key_colon(std::string_view line, std::size_t pos) {
  if (pos >= line.size()) return std::string_view::npos;
  const char first = line[pos];
  if (first == '"' || first == '\'' || first == '#' || first == '[' || first == '{' ||
      first == '|' || first == '>' || first == '&' || first == '*' || first == '!' ||
      first == '?' || first == '%' || first == '@' || first == '`')
    return std::string_view::npos;
  for (std::size_t i = pos; i < line.size(); ++i) {
    if (line[i] == '#' && i > pos && is_space_or_tab(line[i - 1])) return std::string_view::npos;
    if (line[i] == ':' && (i + 1 == line.size() || is_space_or_tab(line[i + 1]))) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<TextProblem> unquoted_colons(std::string_view text) {
  std::vector<TextProblem> problems;
  // A block scalar (| or >) runs while lines are indented deeper than the
  // line that opened it; its content is not YAML.
  std::size_t block_indent = std::string_view::npos;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::string_view line = line_at(text, begin);
    const std::size_t next = text.find('\n', begin);
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] == ' ') ++pos;
    const bool blank = pos == line.size();
    if (block_indent != std::string_view::npos) {
      if (blank || pos > block_indent) {
        begin = next == std::string_view::npos ? text.size() : next + 1;
        continue;
      }
      block_indent = std::string_view::npos;
    }
    const std::size_t indent = pos;
    while (pos + 1 < line.size() && line[pos] == '-' && line[pos + 1] == ' ') {
      pos += 2;
      while (pos < line.size() && line[pos] == ' ') ++pos;
    }
    const std::size_t colon = key_colon(line, pos);
    if (colon != std::string_view::npos) {
      std::size_t value = colon + 1;
      while (value < line.size() && is_space_or_tab(line[value])) ++value;
      const std::string_view rest = line.substr(value);
      if (!rest.empty() && (rest[0] == '|' || rest[0] == '>')) {
        block_indent = indent;
      } else if (!rest.empty() && rest[0] != '#') {
        const std::size_t inner = key_colon(line, value);
        if (inner != std::string_view::npos) {
          const std::string key(line.substr(pos, colon - pos));
          problems.push_back(
              {begin + inner, "the value of '" + key +
                                  "' contains ': ', which YAML reads as another key; quote the "
                                  "whole value: " +
                                  key + ": \"" + std::string(rest) + "\""});
        }
      }
    }
    begin = next == std::string_view::npos ? text.size() : next + 1;
  }
  return problems;
}

std::optional<TextProblem> unclosed_quote_before(std::string_view text, std::size_t offset) {
  char open = 0;  // the quote of the string being read, or 0
  std::size_t opened_at = 0;
  bool spans_lines = false;
  // The last string that ran over a line break, and where it closed: the
  // closing quote YAML found may be the next string's opening one.
  char runaway = 0;
  std::size_t runaway_at = 0, runaway_closed = 0;
  char previous = '\n';
  auto close = [&](std::size_t i) {
    if (spans_lines) {
      runaway = open;
      runaway_at = opened_at;
      runaway_closed = i;
    }
    open = 0;
  };
  for (std::size_t i = 0; i < text.size() && i < offset; ++i) {
    const char c = text[i];
    if (open == '"') {
      if (c == '\\')
        ++i;
      else if (c == '"')
        close(i);
      else if (c == '\n')
        spans_lines = true;
    } else if (open == '\'') {
      if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'')
        ++i;
      else if (c == '\'')
        close(i);
      else if (c == '\n')
        spans_lines = true;
    } else if (c == '#' && (previous == ' ' || previous == '\n' || previous == '\t')) {
      while (i < text.size() && text[i] != '\n') ++i;
      previous = '\n';
      continue;
    } else if ((c == '"' || c == '\'') &&
               (previous == ' ' || previous == '\n' || previous == '[' || previous == '{' ||
                previous == ',' || previous == '\t')) {
      open = c;
      opened_at = i;
      spans_lines = false;
    }
    previous = c;
  }
  char quote = 0;
  std::size_t at = 0;
  if (open && spans_lines) {
    quote = open;
    at = opened_at;
  } else if (!open && runaway &&
             text.substr(runaway_closed, offset - runaway_closed).find('\n') ==
                 std::string_view::npos) {
    quote = runaway;
    at = runaway_at;
  }
  if (!quote) return std::nullopt;
  return TextProblem{at, std::string("this ") + (quote == '"' ? "double" : "single") +
                             "-quoted string is not closed on its line (YAML then reads the "
                             "next lines into it); add the closing " +
                             std::string(1, quote)};
}

}  // namespace fascia::detail::yaml
