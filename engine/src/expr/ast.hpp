#pragma once
// The syntax tree Spirit X3 builds (private to parser.cpp, which converts it
// to the checker's Node tree). Every node records where it starts and ends
// in the expression text (set by the rules' on_success handler).

#include "expr/operators.hpp"

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fascia::detail::ast {

namespace x3 = boost::spirit::x3;

struct Tagged {
  std::size_t offset = 0;  // first character of the node
  std::size_t end = 0;     // one past its last character
};

enum class UnaryKind : std::uint8_t { not_, negate };

struct Number : Tagged {
  double value = 0;
};
struct Boolean : Tagged {
  bool value = false;
};
struct String : Tagged {
  std::string value;
};
struct List;
struct Name;
struct Unary;
struct Chain;

using Operand = x3::variant<Number, Boolean, String, x3::forward_ast<List>, x3::forward_ast<Name>,
                            x3::forward_ast<Unary>, x3::forward_ast<Chain>>;

struct List : Tagged {
  std::vector<Operand> items;
};

// A field path (`pain.current`), a bare name (`high`), or a call when
// `args` is set (`min(a, b)`, `technique.fn()`).
struct Name : Tagged {
  std::string name;
  std::optional<std::vector<Operand>> args;
};

struct Unary : Tagged {
  UnaryKind kind = UnaryKind::not_;
  Operand operand;
};

// One operator and its right operand in a chain.
struct Op : Tagged {
  expr::BinaryOp kind = expr::BinaryOp::or_;
  Operand operand;
};

// `first op operand op operand ...` at one precedence level.
struct Chain : Tagged {
  Operand first;
  std::vector<Op> rest;
};

}  // namespace fascia::detail::ast

BOOST_FUSION_ADAPT_STRUCT(fascia::detail::ast::Name, name, args)
BOOST_FUSION_ADAPT_STRUCT(fascia::detail::ast::Unary, kind, operand)
BOOST_FUSION_ADAPT_STRUCT(fascia::detail::ast::Op, kind, operand)
BOOST_FUSION_ADAPT_STRUCT(fascia::detail::ast::Chain, first, rest)
