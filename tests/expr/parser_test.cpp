// Parsing: every construct, precedence, word boundaries, input checks and
// syntax errors with their offsets.

#include "expr/parser.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fascia::test {
using namespace fascia::detail;
using namespace fascia::detail::expr;
namespace {

std::string sexpr(const Node& n) {
  auto join_children = [&](std::size_t from, const char* separator) {
    std::string out;
    for (std::size_t i = from; i < n.children.size(); ++i) {
      if (i > from) out += separator;
      out += sexpr(n.children[i]);
    }
    return out;
  };
  switch (n.kind) {
    case NodeKind::number:
      return format_value(Value::make_number(n.number));
    case NodeKind::boolean:
      return n.boolean ? "true" : "false";
    case NodeKind::string:
      return "'" + n.text + "'";
    case NodeKind::list:
      return std::string("[").append(join_children(0, " ")).append("]");
    case NodeKind::name:
      return n.text;
    case NodeKind::call:
      return n.text + "(" + join_children(0, ", ") + ")";
    case NodeKind::not_:
      return "(not " + sexpr(n.children[0]) + ")";
    case NodeKind::negate:
      return "(neg " + sexpr(n.children[0]) + ")";
    case NodeKind::logical:
      return std::string("(") + to_symbol(n.ops[0]) + " " + join_children(0, " ") + ")";
    case NodeKind::compare:
    case NodeKind::arithmetic: {
      // Left-associative: ((a op b) op c).
      std::string out = sexpr(n.children[0]);
      for (std::size_t i = 1; i < n.children.size(); ++i)
        out = std::string("(") + to_symbol(n.ops[i - 1]) + " " + out + " " + sexpr(n.children[i]) +
              ")";
      return out;
    }
  }
  return "?";
}

std::string parse(std::string_view text, CompileLimits limits = {}) {
  Node root;
  std::vector<ExpressionError> errors;
  if (!parse_expression(text, limits, root, errors)) {
    EXPECT_EQ(errors.size(), 1u);
    return "error " + std::to_string(errors.at(0).offset) + ": " + errors.at(0).message;
  }
  EXPECT_TRUE(errors.empty());
  return sexpr(root);
}

Node parse_tree(std::string_view text) {
  Node root;
  std::vector<ExpressionError> errors;
  EXPECT_TRUE(parse_expression(text, {}, root, errors)) << text;
  return root;
}

TEST(Parser, Literals) {
  EXPECT_EQ(parse("7"), "7");
  EXPECT_EQ(parse("2.5"), "2.5");
  EXPECT_EQ(parse("0.25"), "0.25");
  EXPECT_EQ(parse("1e3"), "1000");
  EXPECT_EQ(parse("true"), "true");
  EXPECT_EQ(parse("false"), "false");
  EXPECT_EQ(parse("'text'"), "'text'");
  EXPECT_EQ(parse("\"text\""), "'text'");
  EXPECT_EQ(parse("'it\"s'"), "'it\"s'");
  EXPECT_EQ(parse("\"it's\""), "'it's'");
  EXPECT_EQ(parse("''"), "''");
  EXPECT_EQ(parse("'  spaced  out '"), "'  spaced  out '");
  EXPECT_EQ(parse("[1, 2, 3]"), "[1 2 3]");
  EXPECT_EQ(parse("[low, 'b', \"c\"]"), "[low 'b' 'c']");
  EXPECT_EQ(parse("[]"), "[]");
  EXPECT_EQ(parse("[-1, 2]"), "[(neg 1) 2]");
}

TEST(Parser, NamesAndCalls) {
  EXPECT_EQ(parse("sensitivity"), "sensitivity");
  EXPECT_EQ(parse("pain.current"), "pain.current");
  EXPECT_EQ(parse("a.b.c"), "a.b.c");
  EXPECT_EQ(parse("_x1.y_2"), "_x1.y_2");
  EXPECT_EQ(parse("min(1, 2)"), "min(1, 2)");
  EXPECT_EQ(parse("min( 1 ,2 , 3 )"), "min(1, 2, 3)");
  EXPECT_EQ(parse("f()"), "f()");
  EXPECT_EQ(parse("myofascial_release.healing_response()"),
            "myofascial_release.healing_response()");
  EXPECT_EQ(parse("technique.fn(pain.current, 'x')"), "technique.fn(pain.current, 'x')");
  EXPECT_EQ(parse("avg(history.soreness_24h, 3) >= 6"), "(>= avg(history.soreness_24h, 3) 6)");
  EXPECT_EQ(parse("max(1, min(2, 3))"), "max(1, min(2, 3))");
  // Keywords may follow a dot: only the first segment is checked.
  EXPECT_EQ(parse("x.in"), "x.in");
}

TEST(Parser, Operators) {
  EXPECT_EQ(parse("a == b"), "(== a b)");
  EXPECT_EQ(parse("a != b"), "(!= a b)");
  EXPECT_EQ(parse("a < b"), "(< a b)");
  EXPECT_EQ(parse("a <= b"), "(<= a b)");
  EXPECT_EQ(parse("a > b"), "(> a b)");
  EXPECT_EQ(parse("a >= b"), "(>= a b)");
  EXPECT_EQ(parse("a in [1]"), "(in a [1])");
  EXPECT_EQ(parse("a not in [1]"), "(not in a [1])");
  EXPECT_EQ(parse("a not  in last.techniques"), "(not in a last.techniques)");
  EXPECT_EQ(parse("a + b"), "(+ a b)");
  EXPECT_EQ(parse("a - b"), "(- a b)");
  EXPECT_EQ(parse("a * b"), "(* a b)");
  EXPECT_EQ(parse("a / b"), "(/ a b)");
  EXPECT_EQ(parse("-a"), "(neg a)");
  EXPECT_EQ(parse("- - a"), "(neg (neg a))");
  EXPECT_EQ(parse("not a"), "(not a)");
  EXPECT_EQ(parse("not not a"), "(not (not a))");
  EXPECT_EQ(parse("a and b"), "(and a b)");
  EXPECT_EQ(parse("a or b"), "(or a b)");
  EXPECT_EQ(parse("a and b and c"), "(and a b c)");
  EXPECT_EQ(parse("a-b"), "(- a b)");
  EXPECT_EQ(parse("a -b"), "(- a b)");
  EXPECT_EQ(parse("a - -b"), "(- a (neg b))");
  EXPECT_EQ(parse("a<=b"), "(<= a b)");
  EXPECT_EQ(parse("(a)"), "a");
  EXPECT_EQ(parse("((a))"), "a");
}

TEST(Parser, Precedence) {
  EXPECT_EQ(parse("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(parse("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(parse("not a and b"), "(and (not a) b)");
  EXPECT_EQ(parse("not a or not b"), "(or (not a) (not b))");
  EXPECT_EQ(parse("not a == b"), "(not (== a b))");
  EXPECT_EQ(parse("not a in [1]"), "(not (in a [1]))");
  EXPECT_EQ(parse("a == b and c != d"), "(and (== a b) (!= c d))");
  EXPECT_EQ(parse("a + b == c * d"), "(== (+ a b) (* c d))");
  EXPECT_EQ(parse("a + b in [1]"), "(in (+ a b) [1])");
  EXPECT_EQ(parse("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(parse("a * b + c"), "(+ (* a b) c)");
  EXPECT_EQ(parse("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(parse("a - b + c"), "(+ (- a b) c)");
  EXPECT_EQ(parse("a / b * c"), "(* (/ a b) c)");
  EXPECT_EQ(parse("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(parse("a * -b"), "(* a (neg b))");
  EXPECT_EQ(parse("-(a + b)"), "(neg (+ a b))");
  EXPECT_EQ(parse("(a or b) and c"), "(and (or a b) c)");
  EXPECT_EQ(parse("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(parse("flare.active and flare.severity >= 7"),
            "(and flare.active (>= flare.severity 7))");
  EXPECT_EQ(parse("sensitivity == high or pressure_tolerance <= 3"),
            "(or (== sensitivity high) (<= pressure_tolerance 3))");
  EXPECT_EQ(parse("avg(history.soreness_24h, 3) >= 6 and not medications_changed"),
            "(and (>= avg(history.soreness_24h, 3) 6) (not medications_changed))");
  EXPECT_EQ(parse("max(1, pressure_tolerance - 2)"), "max(1, (- pressure_tolerance 2))");
}

TEST(Parser, KeywordsNeedWordBoundaries) {
  EXPECT_EQ(parse("order"), "order");
  EXPECT_EQ(parse("oracle or order"), "(or oracle order)");
  EXPECT_EQ(parse("android and notable"), "(and android notable)");
  EXPECT_EQ(parse("notable"), "notable");
  EXPECT_EQ(parse("not notable"), "(not notable)");
  EXPECT_EQ(parse("innate in [1]"), "(in innate [1])");
  EXPECT_EQ(parse("truest == falsehood"), "(== truest falsehood)");
  EXPECT_EQ(parse("a and(b)"), "(and a b)");
  EXPECT_EQ(parse("not(a)"), "(not a)");
  // nan/inf are names, never numbers.
  EXPECT_EQ(parse("inflammation > 2"), "(> inflammation 2)");
  EXPECT_EQ(parse("nan"), "nan");
  EXPECT_EQ(parse("inf"), "inf");
  EXPECT_EQ(parse("infinity"), "infinity");
  EXPECT_EQ(parse("nan_count + inf"), "(+ nan_count inf)");
  EXPECT_EQ(parse("-inf"), "(neg inf)");
  // A keyword alone is not a name.
  EXPECT_EQ(parse("and"), "error 0: expected an expression");
  EXPECT_EQ(parse("a or"), "error 4: expected an expression");
}

TEST(Parser, Whitespace) {
  EXPECT_EQ(parse("  a   and\n\tb  "), "(and a b)");
  EXPECT_EQ(parse("a\r\nor b"), "(or a b)");
}

TEST(Parser, SyntaxErrors) {
  EXPECT_EQ(parse(""), "error 0: expected an expression");
  EXPECT_EQ(parse("   "), "error 3: expected an expression");
  EXPECT_EQ(parse("a and"), "error 5: expected an expression");
  EXPECT_EQ(parse("a and )"), "error 6: expected an expression");
  EXPECT_EQ(parse("(a"), "error 2: expected ')'");
  EXPECT_EQ(parse("(a b)"), "error 3: expected ')'");
  EXPECT_EQ(parse("[1, 2"), "error 5: expected ']'");
  EXPECT_EQ(parse("[1,]"), "error 3: expected an expression");
  EXPECT_EQ(parse("min(1,"), "error 6: expected an expression");
  EXPECT_EQ(parse("min(1"), "error 5: expected ')'");
  EXPECT_EQ(parse("a b"), "error 2: expected an operator or the end of the expression");
  EXPECT_EQ(parse("a = b"),
            "error 2: expected an operator or the end of the expression (use '==' to compare)");
  EXPECT_EQ(parse("a < b < c"),
            "error 6: expected an operator or the end of the expression (comparisons do not "
            "chain: write 'a < b and b < c')");
  EXPECT_EQ(parse("a == == b"), "error 5: expected an expression");
  EXPECT_EQ(parse("'abc"), "error 4: expected a closing quote (')");
  EXPECT_EQ(parse("\"abc"), "error 4: expected a closing quote (\")");
  EXPECT_EQ(parse("x."), "error 2: expected a name after '.'");
  EXPECT_EQ(parse("x.1"), "error 2: expected a name after '.'");
  EXPECT_EQ(parse("not"), "error 3: expected an expression");
  EXPECT_EQ(parse("-"), "error 1: expected an expression");
  EXPECT_EQ(parse("3abc"), "error 0: expected an expression");
  EXPECT_EQ(parse("1 + 3abc"), "error 4: expected an expression");
  EXPECT_EQ(parse("1.2.3"), "error 0: expected an expression");
  EXPECT_EQ(parse(".5"), "error 0: expected an expression");
  EXPECT_EQ(parse("5."), "error 0: expected an expression");
  EXPECT_EQ(parse("a not b"), "error 2: expected an operator or the end of the expression");
  EXPECT_EQ(parse("a @ b"), "error 2: expected an operator or the end of the expression");
  EXPECT_EQ(parse(")"), "error 0: expected an expression");
  EXPECT_EQ(parse("a)"), "error 1: expected an operator or the end of the expression");
}

TEST(Parser, RejectsNonAsciiAtItsOffset) {
  const std::string text = "pain.current > 5 and caf\xC3\xA9 == 1";
  EXPECT_EQ(parse(text),
            "error 24: non-ASCII character (byte 0xC3); expressions must be plain ASCII");
  EXPECT_EQ(parse("'caf\xC3\xA9'"),
            "error 4: non-ASCII character (byte 0xC3); expressions must be plain ASCII");
  EXPECT_EQ(parse("a\x01"), "error 1: non-printable character (byte 0x01)");
  EXPECT_EQ(parse(std::string("a\0b", 3)), "error 1: non-printable character (byte 0x00)");
  EXPECT_EQ(parse("a\x7f"), "error 1: non-printable character (byte 0x7F)");
}

TEST(Parser, LengthLimit) {
  EXPECT_EQ(parse(std::string(5000, 'a')),
            "error 4096: expression too long (5000 characters; limit 4096)");
  EXPECT_EQ(parse(std::string(4096, 'a')), std::string(4096, 'a'));
  CompileLimits small;
  small.max_length = 10;
  EXPECT_EQ(parse("a and b and c", small),
            "error 10: expression too long (13 characters; limit 10)");
}

std::string nested(std::size_t depth, std::string_view open, std::string_view inner,
                   std::string_view close) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += open;
  s += inner;
  for (std::size_t i = 0; i < depth; ++i) s += close;
  return s;
}

TEST(Parser, DepthLimitStopsDeepNesting) {
  const std::string too_deep = "error 64: expression nested too deeply (limit 64)";
  // With the default length limit such inputs are refused for their length.
  EXPECT_EQ(parse(nested(100000, "(", "1", ")")),
            "error 4096: expression too long (200001 characters; limit 4096)");
  CompileLimits long_ok;
  long_ok.max_length = 1'000'000;
  EXPECT_EQ(parse(nested(100000, "(", "1", ")"), long_ok), too_deep);
  EXPECT_EQ(parse(nested(100000, "(", "", ""), long_ok), too_deep);  // unbalanced
  EXPECT_EQ(parse(nested(100000, "[", "1", "]"), long_ok), too_deep);
  EXPECT_EQ(parse(nested(100000, "-", "1", ""), long_ok), too_deep);
  EXPECT_EQ(parse(nested(100000, "f(", "1", ")"), long_ok),
            "error 129: expression nested too deeply (limit 64)");
  EXPECT_EQ(parse(nested(100000, "not ", "a", ""), long_ok),
            "error 256: expression nested too deeply (limit 64)");
  EXPECT_EQ(parse(nested(1000, "(", "1", ")")), too_deep);
  EXPECT_EQ(parse(nested(65, "(", "1", ")")), too_deep);
  EXPECT_EQ(parse(nested(64, "(", "1", ")")), "1");
  EXPECT_EQ(parse(nested(32, "(-", "1", ")")),
            "(neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg "
            "(neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg (neg "
            "1))))))))))))))))))))))))))))))))");
  EXPECT_EQ(parse(nested(33, "(-", "1", ")"))[0], 'e');
  // Unary operators that have ended do not count.
  std::string chain = "-a";
  for (int i = 0; i < 200; ++i) chain += " - -a";
  EXPECT_EQ(parse(chain).substr(0, 5), "(- (-");
  std::string nots = "not a";
  for (int i = 0; i < 200; ++i) nots += " and not a";
  EXPECT_EQ(parse(nots).substr(0, 10), "(and (not ");
  std::string args = "min(-1";
  for (int i = 0; i < 200; ++i) args += ", -1";
  args += ")";
  EXPECT_EQ(parse(args).substr(0, 4), "min(");
  CompileLimits small;
  small.max_depth = 3;
  EXPECT_EQ(parse("((a))", small), "a");
  EXPECT_EQ(parse("(((-a)))", small), "error 3: expression nested too deeply (limit 3)");
}

TEST(Parser, LongFlatChainsDoNotNest) {
  std::string text = "a";
  for (int i = 0; i < 600; ++i) text += " and a";
  Node root = parse_tree(text);
  EXPECT_EQ(root.kind, NodeKind::logical);
  EXPECT_EQ(root.children.size(), 601u);
  std::string sum = "1";
  for (int i = 0; i < 1000; ++i) sum += "+1";
  EXPECT_EQ(parse_tree(sum).children.size(), 1001u);
}

TEST(Parser, NodesKnowTheirOffsets) {
  const Node root = parse_tree("  pain.current >= 7 and min( 'x' , -b) ");
  ASSERT_EQ(root.kind, NodeKind::logical);
  EXPECT_EQ(root.offset, 2u);
  EXPECT_EQ(root.end, 38u);
  EXPECT_EQ(root.op_offsets[0], 20u);
  const Node& compare = root.children[0];
  EXPECT_EQ(compare.offset, 2u);
  EXPECT_EQ(compare.end, 19u);
  EXPECT_EQ(compare.op_offsets[0], 15u);
  EXPECT_EQ(compare.children[0].offset, 2u);
  EXPECT_EQ(compare.children[0].end, 14u);
  EXPECT_EQ(compare.children[1].offset, 18u);
  const Node& call = root.children[1];
  EXPECT_EQ(call.kind, NodeKind::call);
  EXPECT_EQ(call.offset, 24u);
  EXPECT_EQ(call.end, 38u);
  EXPECT_EQ(call.children[0].offset, 29u);
  EXPECT_EQ(call.children[0].end, 32u);
  EXPECT_EQ(call.children[1].kind, NodeKind::negate);
  EXPECT_EQ(call.children[1].offset, 35u);
  EXPECT_EQ(call.children[1].children[0].offset, 36u);
  const Node list = parse_tree("x in [ 1, low ]");
  EXPECT_EQ(list.children[1].offset, 5u);
  EXPECT_EQ(list.children[1].children[1].offset, 10u);
  EXPECT_EQ(parse_tree("(a + b)").offset, 1u);
  EXPECT_EQ(parse_tree("not a").offset, 0u);
  EXPECT_EQ(parse_tree("not a").children[0].offset, 4u);
}

}  // namespace
}  // namespace fascia::test
