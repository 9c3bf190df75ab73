#pragma once
// The expression grammar (docs/protocol-authoring.md "Expressions").
// Precedence, loosest first: or, and, not, comparisons and in, + -, * /,
// unary -. Only parser.cpp includes this file.
//
// Traps of X3 1.74 handled here or before parsing (see PITFALLS.md):
// - no recursion limit: parser.cpp checks the nesting depth first;
// - non-ASCII input asserts: parser.cpp rejects it first;
// - double_ accepts nan/inf: numbers use policies without specials, and a
//   number may not run into a letter, so `inflammation` is a name;
// - prefix success: the top rule expects the end of the input.

#include "expr/ast.hpp"
#include "expr/grammar.hpp"

#include <boost/spirit/home/x3.hpp>

#include <type_traits>

namespace fascia::detail::grammar {

namespace ascii = x3::ascii;

// Every rule records the offsets of what it matched in its node; rules whose
// attribute is a variant leave that to the rule of the alternative.
struct annotate_offsets {
  template <typename Iterator, typename Node, typename Context>
  void on_success(const Iterator& first, const Iterator& last, Node& node,
                  const Context& context) const {
    if constexpr (std::is_base_of_v<ast::Tagged, Node>) {
      const ParseState& state = x3::get<parse_state_tag>(context);
      node.offset = static_cast<std::size_t>(first - state.begin);
      node.end = static_cast<std::size_t>(last - state.begin);
    }
  }
};

// Records the first expectation failure (with its position) for parser.cpp
// to report; parsing then stops.
struct report_failure {
  template <typename Iterator, typename Exception, typename Context>
  x3::error_handler_result on_error(Iterator&, const Iterator&, const Exception& failure,
                                    const Context& context) const {
    ParseState& state = x3::get<parse_state_tag>(context);
    if (!state.failed) {
      state.failed = true;
      state.error_offset = static_cast<std::size_t>(failure.where() - state.begin);
      state.expected = failure.which();
    }
    return x3::error_handler_result::fail;
  }
};

struct top_class : annotate_offsets, report_failure {};
struct expression_class : annotate_offsets {};
struct or_op_class : annotate_offsets {};
struct and_class : annotate_offsets {};
struct and_op_class : annotate_offsets {};
struct not_class : annotate_offsets {};
struct not_op_class : annotate_offsets {};
struct comparison_class : annotate_offsets {};
struct compare_op_class : annotate_offsets {};
struct additive_class : annotate_offsets {};
struct add_op_class : annotate_offsets {};
struct multiplicative_class : annotate_offsets {};
struct mul_op_class : annotate_offsets {};
struct unary_class : annotate_offsets {};
struct negate_class : annotate_offsets {};
struct primary_class : annotate_offsets {};
struct number_class : annotate_offsets {};
struct boolean_class : annotate_offsets {};
struct string_class : annotate_offsets {};
struct list_class : annotate_offsets {};
struct items_class : annotate_offsets {};
struct name_class : annotate_offsets {};
// X3 calls on_success with an unused attribute when the rule's definition
// has a semantic action, so the leaves with actions are inner rules wrapped
// by an annotated rule.
struct number_value_class;
struct boolean_value_class;
struct string_value_class;
struct list_value_class;
struct qualified_name_class;
struct segment_class;
struct end_class;
struct quoted_class;
struct closing_quote_class;
struct closing_double_quote_class;

// Rule names appear in messages as "expected <name>".
const top_type top_rule = "an expression";
const x3::rule<expression_class, ast::Chain> expression = "an expression";
const x3::rule<or_op_class, ast::Op> or_op = "'or'";
const x3::rule<and_class, ast::Chain> and_expr = "an expression";
const x3::rule<and_op_class, ast::Op> and_op = "'and'";
const x3::rule<not_class, ast::Operand> not_expr = "an expression";
const x3::rule<not_op_class, ast::Unary> not_op = "'not'";
const x3::rule<comparison_class, ast::Chain> comparison = "an expression";
const x3::rule<compare_op_class, ast::Op> compare_op = "a comparison";
const x3::rule<additive_class, ast::Chain> additive = "an expression";
const x3::rule<add_op_class, ast::Op> add_op = "'+' or '-'";
const x3::rule<multiplicative_class, ast::Chain> multiplicative = "an expression";
const x3::rule<mul_op_class, ast::Op> mul_op = "'*' or '/'";
const x3::rule<unary_class, ast::Operand> unary = "an expression";
const x3::rule<negate_class, ast::Unary> negate = "'-'";
const x3::rule<primary_class, ast::Operand> primary = "an expression";
const x3::rule<number_class, ast::Number> number = "a number";
const x3::rule<number_value_class, ast::Number> number_value = "a number";
const x3::rule<boolean_class, ast::Boolean> boolean = "true or false";
const x3::rule<boolean_value_class, ast::Boolean> boolean_value = "true or false";
const x3::rule<string_class, ast::String> string = "a string";
const x3::rule<string_value_class, ast::String> string_value = "a string";
const x3::rule<quoted_class, std::string> quoted = "a string";
const x3::rule<list_class, ast::List> list = "a list";
const x3::rule<list_value_class, ast::List> list_value = "a list";
const x3::rule<items_class, std::vector<ast::Operand>> items = "list items";
const x3::rule<name_class, ast::Name> name = "a name";
const x3::rule<qualified_name_class, std::string> qualified_name = "a name";
const x3::rule<segment_class> segment = "a name after '.'";
const x3::rule<end_class> end = "an operator or the end of the expression";
const x3::rule<closing_quote_class> closing_quote = "a closing quote (')";
const x3::rule<closing_double_quote_class> closing_double_quote = "a closing quote (\")";

// Decimal numbers only: no sign (unary minus does that), no nan/inf, no
// leading or trailing dot.
struct number_policies : x3::ureal_policies<double> {
  static constexpr bool allow_leading_dot = false;
  static constexpr bool allow_trailing_dot = false;
  template <typename Iterator, typename Attribute>
  static bool parse_nan(Iterator&, const Iterator&, Attribute&) {
    return false;
  }
  template <typename Iterator, typename Attribute>
  static bool parse_inf(Iterator&, const Iterator&, Attribute&) {
    return false;
  }
};
const x3::real_parser<double, number_policies> unsigned_number;

const auto word_char = ascii::alnum | x3::lit('_');
// A keyword ends at a word boundary: `order`, `android`, `notable` are names.
inline auto keyword(const char* word) { return x3::lexeme[x3::lit(word) >> !word_char]; }
const auto reserved = keyword("and") | keyword("or") | keyword("not") | keyword("in") |
                      keyword("true") | keyword("false");

struct compare_symbols_type : x3::symbols<expr::BinaryOp> {
  compare_symbols_type() {
    add("==", expr::BinaryOp::eq)("!=", expr::BinaryOp::ne)("<", expr::BinaryOp::lt)(
        "<=", expr::BinaryOp::le)(">", expr::BinaryOp::gt)(">=", expr::BinaryOp::ge);
  }
};
struct add_symbols_type : x3::symbols<expr::BinaryOp> {
  add_symbols_type() { add("+", expr::BinaryOp::add)("-", expr::BinaryOp::sub); }
};
struct mul_symbols_type : x3::symbols<expr::BinaryOp> {
  mul_symbols_type() { add("*", expr::BinaryOp::mul)("/", expr::BinaryOp::div); }
};
const compare_symbols_type compare_symbols;
const add_symbols_type add_symbols;
const mul_symbols_type mul_symbols;

const auto set_number = [](auto& ctx) { x3::_val(ctx).value = x3::_attr(ctx); };
const auto set_true = [](auto& ctx) { x3::_val(ctx).value = true; };
const auto set_false = [](auto& ctx) { x3::_val(ctx).value = false; };
const auto set_string = [](auto& ctx) { x3::_val(ctx).value = std::move(x3::_attr(ctx)); };
const auto set_items = [](auto& ctx) { x3::_val(ctx).items = std::move(x3::_attr(ctx)); };

const auto top_rule_def = expression > end;
const auto end_def = x3::eoi;

const auto expression_def = and_expr >> *or_op;
const auto or_op_def = (keyword("or") >> x3::attr(expr::BinaryOp::or_)) > and_expr;
const auto and_expr_def = not_expr >> *and_op;
const auto and_op_def = (keyword("and") >> x3::attr(expr::BinaryOp::and_)) > not_expr;
const auto not_expr_def = not_op | comparison;
const auto not_op_def = (keyword("not") >> x3::attr(ast::UnaryKind::not_)) > not_expr;

const auto comparison_def = additive >> -compare_op;
const auto compare_op_def =
    (compare_symbols | (keyword("not") >> keyword("in") >> x3::attr(expr::BinaryOp::not_in)) |
     (keyword("in") >> x3::attr(expr::BinaryOp::in))) > additive;

const auto additive_def = multiplicative >> *add_op;
const auto add_op_def = add_symbols > multiplicative;
const auto multiplicative_def = unary >> *mul_op;
const auto mul_op_def = mul_symbols > unary;

const auto unary_def = negate | primary;
const auto negate_def = (x3::lit('-') >> x3::attr(ast::UnaryKind::negate)) > unary;

const auto primary_def =
    number | boolean | string | list | name | (x3::lit('(') > expression > x3::lit(')'));

const auto number_def = number_value;
const auto number_value_def =
    x3::lexeme[unsigned_number >> !(word_char | x3::lit('.'))][set_number];
const auto boolean_def = boolean_value;
const auto boolean_value_def = keyword("true")[set_true] | keyword("false")[set_false];
const auto closing_quote_def = x3::lit('\'');
const auto closing_double_quote_def = x3::lit('"');
const auto quoted_def = x3::lexeme[(x3::lit('\'') > *(x3::char_ - '\'') > closing_quote) |
                                   (x3::lit('"') > *(x3::char_ - '"') > closing_double_quote)];
const auto string_def = string_value;
const auto string_value_def = quoted[set_string];
const auto list_def = list_value;
const auto list_value_def = (x3::lit('[') > items > x3::lit(']'))[set_items];
// Items (and call arguments): after a comma another expression must follow.
const auto items_def = -(expression >> *(x3::lit(',') > expression));

const auto name_def = qualified_name >> -(x3::lit('(') > items > x3::lit(')'));
const auto segment_def = (ascii::alpha | x3::lit('_')) >> *word_char;
const auto qualified_name_def =
    x3::raw[x3::lexeme[!reserved >> segment >> *(x3::lit('.') > segment)]];

BOOST_SPIRIT_DEFINE(top_rule, end, expression, or_op, and_expr, and_op, not_expr, not_op,
                    comparison, compare_op, additive, add_op, multiplicative, mul_op, unary, negate,
                    primary, number, number_value, boolean, boolean_value, closing_quote,
                    closing_double_quote, quoted, string, string_value, list, list_value, items,
                    name, segment, qualified_name)

}  // namespace fascia::detail::grammar
