#pragma once
// The checked expression tree: produced by the parser, annotated by the type
// checker, flattened by the compiler. Chains of one precedence level stay
// flat (`a + b - c` is one node) so that long chains do not recurse.

#include "expr/catalog.hpp"
#include "expr/operators.hpp"
#include "expr/value.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fascia::detail::expr {

enum class NodeKind : std::uint8_t {
  number,      // literal
  boolean,     // literal
  string,      // literal, 'text' or "text"
  list,        // [a, b]: children are the items
  name,        // a field path, or a bare enum value (decided by the checker)
  call,        // text(children...)
  not_,        // not children[0]
  negate,      // -children[0]
  logical,     // children joined by ops (all `or_` or all `and_`)
  compare,     // children[0] ops[0] children[1]; comparisons and in / not in
  arithmetic,  // children joined by ops (+ - or * /)
};

struct Node {
  NodeKind kind = NodeKind::number;
  std::size_t offset = 0;  // first character in the expression text
  std::size_t end = 0;     // one past the last character
  double number = 0;
  bool boolean = false;
  std::string text;  // string literal, field path, enum value or function name
  std::vector<Node> children;
  std::vector<BinaryOp> ops;            // ops[i] joins children[i] and children[i + 1]
  std::vector<std::size_t> op_offsets;  // where each operator is written

  // Set by the checker.
  bool valid = false;  // false: an error was reported in this subtree
  Type type = Type::boolean;
  const FieldInfo* field = nullptr;        // kind name: the field read
  bool enum_literal = false;               // kind name: a bare enum value, kept in `text`
  const FunctionInfo* function = nullptr;  // kind call
};

}  // namespace fascia::detail::expr
