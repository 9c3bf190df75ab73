#pragma once
// Our wording of libyaml's syntax errors: libyaml says what it expected
// ("did not find expected ',' or ']'"); we say what is wrong and where, in
// the words the reader has always used, and point at a tab in the
// indentation or an unclosed quote when one is the real cause.

#include "yaml/text.hpp"

#include <cstddef>
#include <string_view>

namespace fascia::detail::yaml {

// What libyaml reported, with its marks already turned into byte offsets.
struct SyntaxError {
  bool reader = false;       // a character libyaml's reader refuses
  std::string_view problem;  // libyaml's problem, never empty
  std::size_t offset = 0;    // where libyaml noticed the problem
  std::string_view context;  // "while parsing a flow sequence", or empty
  std::size_t context_offset = 0;
  unsigned value = 0;  // the refused character (reader errors)
};

// The located message for `error` in `text` (the text libyaml parsed).
TextProblem describe_syntax_error(std::string_view text, const SyntaxError& error);

// `---`, a directive, or content after a `...` end marker at `offset`: the
// start of a second document.
bool starts_second_document(std::string_view text, std::size_t offset);

}  // namespace fascia::detail::yaml
