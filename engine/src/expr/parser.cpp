// The one translation unit that instantiates the X3 grammar.

#include "expr/parser.hpp"

#include "expr/ast.hpp"
#include "expr/grammar.hpp"
#include "expr/parser_def.hpp"

#include <cstdio>
#include <string>
#include <utility>

namespace fascia::detail::grammar {

BOOST_SPIRIT_INSTANTIATE(top_type, iterator_type, context_type)

const top_type& top() { return top_rule; }

}  // namespace fascia::detail::grammar

namespace fascia::detail::expr {
namespace {

namespace x3 = boost::spirit::x3;

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// X3 asserts on bytes >= 0x80 with the ascii encoding; control characters
// other than whitespace have no business in an expression either.
bool check_characters(std::string_view text, std::vector<ExpressionError>& errors) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) continue;
    if (is_space(text[i])) continue;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", byte);
    if (byte >= 0x80)
      errors.push_back({i, std::string("non-ASCII character (byte ") + hex +
                               "); expressions must be plain ASCII"});
    else
      errors.push_back({i, std::string("non-printable character (byte ") + hex + ")"});
    return false;
  }
  return true;
}

// X3 recurses once per nesting level and has no limit, so the depth is
// measured on the tokens before parsing. Counted: open brackets, and unary
// operators still applying (a `not` until the next and/or/comma/closing
// bracket, a `-` until its operand ends). This over-approximates the
// recursion of the parser, the checker and the compiler.
bool check_depth(std::string_view text, std::size_t limit, std::vector<ExpressionError>& errors) {
  struct Frame {
    std::size_t nots = 0;
    std::size_t minuses = 0;
  };
  std::vector<Frame> frames(1);
  std::size_t depth = 0;
  bool after_operand = false;  // a '-' here is binary
  auto too_deep = [&](std::size_t offset) {
    if (depth <= limit) return false;
    errors.push_back(
        {offset, "expression nested too deeply (limit " + std::to_string(limit) + ")"});
    return true;
  };
  auto operand_ends = [&] {
    depth -= frames.back().minuses;
    frames.back().minuses = 0;
    after_operand = true;
  };
  auto unary_ends = [&] {
    depth -= frames.back().minuses + frames.back().nots;
    frames.back() = {};
    after_operand = false;
  };
  auto next_non_space = [&](std::size_t i) {
    while (i < text.size() && is_space(text[i])) ++i;
    return i;
  };

  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const std::size_t start = i;
    if (is_space(c)) {
      ++i;
    } else if (c == '\'' || c == '"') {
      ++i;
      while (i < text.size() && text[i] != c) ++i;
      if (i < text.size()) ++i;
      operand_ends();
    } else if (is_word_char(c) || c == '.') {
      while (i < text.size() && (is_word_char(text[i]) || text[i] == '.')) ++i;
      const std::string_view word = text.substr(start, i - start);
      if (word == "and" || word == "or") {
        unary_ends();
      } else if (word == "in") {
        after_operand = false;
      } else if (word == "not") {
        std::size_t next = next_non_space(i);
        std::size_t next_end = next;
        while (next_end < text.size() && is_word_char(text[next_end])) ++next_end;
        if (text.substr(next, next_end - next) == "in") {
          after_operand = false;  // `not in` is binary
        } else {
          ++frames.back().nots;
          ++depth;
          after_operand = false;
          if (too_deep(start)) return false;
        }
      } else {
        const std::size_t next = next_non_space(i);
        if (next < text.size() && text[next] == '(')
          after_operand = false;  // a call: its operand ends at ')'
        else
          operand_ends();
      }
    } else if (c == '(' || c == '[') {
      ++i;
      frames.emplace_back();
      ++depth;
      after_operand = false;
      if (too_deep(start)) return false;
    } else if (c == ')' || c == ']') {
      ++i;
      if (frames.size() > 1) {
        depth -= 1 + frames.back().nots + frames.back().minuses;
        frames.pop_back();
      }
      operand_ends();
    } else if (c == ',') {
      ++i;
      unary_ends();
    } else if (c == '-' && !after_operand) {
      ++i;
      ++frames.back().minuses;
      ++depth;
      if (too_deep(start)) return false;
    } else {
      ++i;
      after_operand = false;
    }
  }
  return true;
}

// X3 tree -> Node tree; single-operand chains collapse into their operand.
struct Converter {
  using result_type = Node;

  static Node located(NodeKind kind, const ast::Tagged& tagged) {
    Node node;
    node.kind = kind;
    node.offset = tagged.offset;
    node.end = tagged.end;
    return node;
  }

  Node operator()(const ast::Number& n) const {
    Node node = located(NodeKind::number, n);
    node.number = n.value;
    return node;
  }
  Node operator()(const ast::Boolean& b) const {
    Node node = located(NodeKind::boolean, b);
    node.boolean = b.value;
    return node;
  }
  Node operator()(const ast::String& s) const {
    Node node = located(NodeKind::string, s);
    node.text = s.value;
    return node;
  }
  Node operator()(const x3::forward_ast<ast::List>& l) const {
    Node node = located(NodeKind::list, l.get());
    for (const auto& item : l.get().items) node.children.push_back(convert(item));
    return node;
  }
  Node operator()(const x3::forward_ast<ast::Name>& n) const {
    const ast::Name& name = n.get();
    Node node = located(name.args ? NodeKind::call : NodeKind::name, name);
    node.text = name.name;
    if (name.args)
      for (const auto& arg : *name.args) node.children.push_back(convert(arg));
    return node;
  }
  Node operator()(const x3::forward_ast<ast::Unary>& u) const {
    const ast::Unary& unary = u.get();
    Node node =
        located(unary.kind == ast::UnaryKind::not_ ? NodeKind::not_ : NodeKind::negate, unary);
    node.children.push_back(convert(unary.operand));
    return node;
  }
  Node operator()(const x3::forward_ast<ast::Chain>& c) const {
    const ast::Chain& chain = c.get();
    if (chain.rest.empty()) return convert(chain.first);
    NodeKind kind = NodeKind::arithmetic;
    switch (chain.rest.front().kind) {
      case BinaryOp::or_:
      case BinaryOp::and_:
        kind = NodeKind::logical;
        break;
      case BinaryOp::add:
      case BinaryOp::sub:
      case BinaryOp::mul:
      case BinaryOp::div:
        kind = NodeKind::arithmetic;
        break;
      default:
        kind = NodeKind::compare;
        break;
    }
    Node node = located(kind, chain);
    node.children.push_back(convert(chain.first));
    for (const auto& op : chain.rest) {
      node.ops.push_back(op.kind);
      node.op_offsets.push_back(op.offset);
      node.children.push_back(convert(op.operand));
    }
    return node;
  }

  Node convert(const ast::Operand& operand) const { return operand.apply_visitor(*this); }
};

}  // namespace

namespace {

// What an author coming from another language most likely meant by the
// text the parser stopped at: C-style operators and chained comparisons.
std::string hint_at(std::string_view rest, bool after_operand) {
  auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
  if (starts("&&")) return " (write 'and' to combine conditions)";
  if (starts("||")) return " (write 'or' to combine conditions)";
  if (starts("=>")) return " (did you mean '>='?)";
  if (starts("=<")) return " (did you mean '<='?)";
  if (starts("!") && !starts("!=")) return " (write 'not' to negate a condition)";
  if (starts("=") && !starts("==")) return " (use '==' to compare)";
  if (after_operand && (starts("<") || starts(">") || starts("==") || starts("!=")))
    return " (comparisons do not chain: write 'a < b and b < c')";
  return "";
}

}  // namespace

bool parse_expression(std::string_view text, const CompileLimits& limits, Node& out,
                      std::vector<ExpressionError>& errors) {
  if (text.size() > limits.max_length) {
    errors.push_back({limits.max_length, "expression too long (" + std::to_string(text.size()) +
                                             " characters; limit " +
                                             std::to_string(limits.max_length) + ")"});
    return false;
  }
  if (!check_characters(text, errors)) return false;
  if (!check_depth(text, limits.max_depth, errors)) return false;

  grammar::ParseState state;
  state.begin = text.data();
  const char* first = text.data();
  const char* const last = text.data() + text.size();
  ast::Operand tree;
  bool ok = false;
  try {
    ok = x3::phrase_parse(first, last, x3::with<grammar::parse_state_tag>(state)[grammar::top()],
                          x3::ascii::space, tree);
  } catch (const std::exception&) {
    ok = false;  // the grammar reports through on_error; this is a safety net
  }
  if (!ok) {
    std::size_t offset = state.error_offset;
    std::string expected = state.expected;
    if (!state.failed) {
      // The first operand failed before any expectation point.
      offset = 0;
      expected = "an expression";
    }
    // X3 reports the position before skipping whitespace; point at the token.
    while (offset < text.size() && is_space(text[offset])) ++offset;
    std::string message = "expected " + expected +
                          hint_at(text.substr(std::min(offset, text.size())),
                                  state.failed && expected.rfind("an operator", 0) == 0);
    errors.push_back({offset, std::move(message)});
    return false;
  }
  out = Converter{}.convert(tree);
  return true;
}

}  // namespace fascia::detail::expr
