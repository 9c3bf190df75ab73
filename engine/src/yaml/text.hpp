#pragma once
// Raw-text helpers for the YAML loader: encoding checks, a cheap structural
// pre-scan of flow nesting, and byte-offset -> line/column conversion.
// Columns count Unicode code points.

#include <fascia/limits.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fascia::detail::yaml {

struct TextProblem {
  std::size_t offset = 0;  // byte offset of the offending character
  std::string message;
};

// The first NUL byte, disallowed control character or invalid UTF-8 sequence.
std::optional<TextProblem> check_encoding(std::string_view text);

// Estimates flow nesting and the number of entries in one flow collection
// from the raw text (ignoring quoted scalars, comments and block scalars)
// and reports input that is certainly over limits.max_yaml_depth /
// max_yaml_nodes. It errs on the side of counting less; the event handler
// enforces the exact limits. Written for yaml-cpp 0.7 (which tokenized a
// whole flow collection before its first event: 4 MB of `[` cost 1 GB);
// libyaml looks ahead at most 1,024 characters, so it now keeps only the
// messages: brackets after a quoted scalar or a closed collection (`'x' [[[`)
// are refused as too deep rather than as a syntax error, and a flow
// collection's nesting is counted on its own, where it is written.
std::optional<TextProblem> prescan_structure(std::string_view text, const Limits& limits);

// Number of code points in valid UTF-8 (counts lead bytes).
std::size_t utf8_length(std::string_view text) noexcept;

// Byte offset -> one-based line and column, moving a cursor incrementally so
// a whole document is located in linear time.
class Locator {
 public:
  explicit Locator(std::string_view text) noexcept : text_(text) {}
  // Starts from a known position instead of the beginning of the text.
  Locator(std::string_view text, std::size_t offset, std::uint32_t line,
          std::uint32_t column) noexcept
      : text_(text), offset_(offset), line_(line), column_(column) {}

  struct Position {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    std::size_t offset = 0;
  };
  Position at(std::size_t offset) noexcept;

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
};

}  // namespace fascia::detail::yaml
