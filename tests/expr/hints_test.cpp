// Messages an author can act on: the habits of other languages get a hint
// naming what to write instead (issue 11).

#include "expr/expression.hpp"
#include "expr/parser.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace fascia::test {
using namespace fascia::detail;
using namespace fascia::detail::expr;
namespace {

using test::errors_of;
using ::testing::ElementsAre;

std::string parse_error(std::string_view text) {
  Node root;
  std::vector<ExpressionError> errors;
  if (parse_expression(text, {}, root, errors)) return "parsed";
  return std::to_string(errors.at(0).offset) + ": " + errors.at(0).message;
}

TEST(ExpressionHints, CStyleOperatorsNameTheWordToWrite) {
  EXPECT_EQ(parse_error("flare.active && x"),
            "13: expected an operator or the end of the expression (write 'and' to combine "
            "conditions)");
  EXPECT_EQ(parse_error("flare.active || x"),
            "13: expected an operator or the end of the expression (write 'or' to combine "
            "conditions)");
  EXPECT_EQ(parse_error("!flare.active"),
            "0: expected an expression (write 'not' to negate a condition)");
  EXPECT_EQ(parse_error("a and !b"),
            "6: expected an expression (write 'not' to negate a condition)");
  EXPECT_EQ(parse_error("pain.current => 5"),
            "13: expected an operator or the end of the expression (did you mean '>='?)");
  EXPECT_EQ(parse_error("pain.current =< 5"),
            "13: expected an operator or the end of the expression (did you mean '<='?)");
  // `!=` is an operator, not a negation.
  EXPECT_EQ(parse_error("pain.current != 5"), "parsed");
}

TEST(ExpressionHints, ComparisonsDoNotChain) {
  EXPECT_EQ(parse_error("1 < pain.current < 5"),
            "17: expected an operator or the end of the expression (comparisons do not chain: "
            "write 'a < b and b < c')");
  EXPECT_EQ(parse_error("a == b == c"),
            "7: expected an operator or the end of the expression (comparisons do not chain: "
            "write 'a < b and b < c')");
  // A comparison operator where an operand is missing is not a chain.
  EXPECT_EQ(parse_error("a and < 5"), "6: expected an expression");
}

TEST(ExpressionHints, MisspeltFieldIsOneErrorNotACascade) {
  // On main also "unknown field 'high'".
  EXPECT_THAT(errors_of("sensitivty == high"),
              ElementsAre("0: unknown field 'sensitivty'; did you mean 'sensitivity'?"));
  EXPECT_THAT(errors_of("high == pain.curent"),
              ElementsAre("8: unknown field 'pain.curent'; did you mean 'pain.current'?"));
}

TEST(ExpressionHints, HugeNumbersPrintShort) {
  EXPECT_EQ(format_value(Value::make_number(1e300)), "1e+300");
  EXPECT_EQ(format_value(Value::make_number(-2.5e20)), "-2.5e+20");
  EXPECT_EQ(format_value(Value::make_number(123456789012.5)), "123456789012.5");
}

}  // namespace
}  // namespace fascia::test
