#pragma once
// The type checker: resolves names against a Catalog and checks types,
// reporting every problem it finds (a subtree with an error does not cause
// follow-up errors in the nodes above it).

#include "expr/catalog.hpp"
#include "expr/expression.hpp"
#include "expr/node.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace fascia::detail::expr {

// Annotates `root` (Node::valid, type, field, function, enum_literal).
// `expected` unset accepts any result type except series and list literals.
// Returns true when no error was found.
bool check_expression(Node& root, std::string_view text, const Catalog& catalog,
                      std::optional<Type> expected, std::vector<ExpressionError>& errors);

}  // namespace fascia::detail::expr
