#pragma once
// The common YAML mistakes of protocol authors, found by scanning the text
// so that each gets its own located message, all in one pass:
// - an unquoted value containing ": " (`reason: Flare: go gently`), which
//   a YAML parser reports at the first one only ("mapping values are not
//   allowed in this context" from libyaml);
// - a quoted value whose closing quote is missing, which a YAML parser
//   reports lines later where the runaway string finally breaks something.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "yaml/text.hpp"

namespace fascia::detail::yaml {

// Every block-context line `KEY: VALUE` (or `- KEY: VALUE`) whose plain
// VALUE contains ": " or ends with ':', outside block scalars (| and >),
// quoted strings and comments. The offset is that of the value's colon.
std::vector<TextProblem> unquoted_colons(std::string_view text);

// When `offset` (where a parse failed) lies inside a quoted string that
// was opened on an earlier line, the opening quote's offset and a message
// saying the quote is not closed; also for a multi-line string closed on
// the failing line (its closing quote was the next string's opening one).
// A string left open at the end of the text is found this way too: libyaml
// fails there.
std::optional<TextProblem> unclosed_quote_before(std::string_view text, std::size_t offset);

}  // namespace fascia::detail::yaml
