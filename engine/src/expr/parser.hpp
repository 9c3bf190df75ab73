#pragma once
// Text -> checked-later syntax tree. Checks the input first (ASCII, length,
// nesting depth), then parses with the X3 grammar (parser_def.hpp).

#include "expr/expression.hpp"
#include "expr/node.hpp"

#include <string_view>
#include <vector>

namespace fascia::detail::expr {

// On failure returns false and appends one error (parsing stops at the first).
bool parse_expression(std::string_view text, const CompileLimits& limits, Node& out,
                      std::vector<ExpressionError>& errors);

}  // namespace fascia::detail::expr
