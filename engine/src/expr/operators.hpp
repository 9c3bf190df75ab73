#pragma once
// The binary operators of the expression language, once: the parser's tree
// (ast.hpp), the checked tree (node.hpp) and the compiler use this enum.

#include <cstdint>

namespace fascia::detail::expr {

enum class BinaryOp : std::uint8_t {
  or_,
  and_,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  add,
  sub,
  mul,
  div,
};
const char* to_symbol(BinaryOp op) noexcept;

}  // namespace fascia::detail::expr
