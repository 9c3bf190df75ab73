#pragma once
// The expression language: parse (Boost.Spirit X3, in parser.cpp only),
// type-check against a Catalog, compile to a flat program, evaluate.
// See docs/protocol-authoring.md "Expressions" for the language.

#include "expr/catalog.hpp"
#include "expr/value.hpp"

#include <fascia/client_state.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// A problem in an expression, at a character offset into its text.
struct ExpressionError {
  std::size_t offset = 0;
  std::string message;
};

struct CompileLimits {
  std::size_t max_length = 4096;
  std::size_t max_depth = 64;
};

struct CompiledProgram;  // private to the expression library
namespace expr {
// Runs a compiled program (program.hpp): chosen for its shape at compile time.
using ProgramRunner = Value (*)(const CompiledProgram& program, const ClientState& state);
}  // namespace expr

// What a rule needs of its condition's value: true, false, or why neither
// (absent data: missing or a value that is not a boolean; a failure: error).
enum class Truth : std::uint8_t { no, yes, missing, error };
inline Truth truth_of(const Value& v) noexcept {
  if (v.kind == Value::Kind::boolean) return v.boolean ? Truth::yes : Truth::no;
  return v.kind == Value::Kind::error ? Truth::error : Truth::missing;
}
namespace expr {
// Runs a compiled program and gives truth_of() its value: returned in a
// register, where a Value is written through memory (fascia::decide runs
// ~30 conditions a state).
using ProgramTest = Truth (*)(const CompiledProgram& program, const ClientState& state);
}  // namespace expr

// A compiled expression: immutable, evaluated from many threads at once.
class Expression {
 public:
  Expression();
  ~Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  Type type() const noexcept;
  const std::string& text() const noexcept;
  // Fields the expression reads, in order of first appearance (for --explain).
  const std::vector<const FieldInfo*>& fields_used() const noexcept;
  // Never throws; a failing plugin function yields Value::error. Inline:
  // every rule's condition is one call (a wrapper frame cost ~10 %), straight
  // to the runner for the program's shape (a dispatch on the shape in a
  // function of its own cost fascia::decide ~400 instructions, callgrind).
  Value evaluate(const ClientState& state) const noexcept {
    try {
      return run_(*compiled_, state);  // an empty expression's runner gives an error
    } catch (...) {
      return Value::make_error();  // a function that threw despite its contract
    }
  }

  // test() in pieces, for loops that keep them side by side: tester()(compiled(), state).
  expr::ProgramTest tester() const noexcept { return test_; }
  const CompiledProgram& compiled() const noexcept { return *compiled_; }

  // truth_of(evaluate(state)), cheaper: the rule loops' call.
  Truth test(const ClientState& state) const noexcept {
    try {
      return test_(*compiled_, state);  // an empty expression's tester gives Truth::error
    } catch (...) {
      return Truth::error;  // a function that threw despite its contract
    }
  }

 private:
  friend Expression make_expression(std::unique_ptr<CompiledProgram>);
  void make_empty() noexcept;
  std::unique_ptr<CompiledProgram> program_;
  // *program_, or (an empty expression) a program of no code whose runner
  // and tester give an error: no null test in each rule's call
  // (fascia::decide 4,631 -> 4,584 instructions, callgrind).
  const CompiledProgram* compiled_;
  expr::ProgramRunner run_;  // set with compiled_
  expr::ProgramTest test_;
};

// Parses and type-checks `text`. `expected` is the type the caller needs
// (boolean for conditions, number for caps); a mismatch is an error.
// On failure returns false and appends every problem found to `errors`.
bool compile_expression(std::string_view text, Type expected, const Catalog& catalog,
                        const CompileLimits& limits, Expression& out,
                        std::vector<ExpressionError>& errors);
// The same, accepting a result of any type except series (reason placeholders:
// `{sensitivity}`, `{last.techniques}`); Expression::type() tells which.
bool compile_expression(std::string_view text, const Catalog& catalog, const CompileLimits& limits,
                        Expression& out, std::vector<ExpressionError>& errors);

// Renders a value for traces and reason templates: numbers with at most two
// decimals and no trailing zeros (7, 2.5, 0.33), booleans as true/false,
// strings as-is, lists as "[a, b]", missing as "absent", error as "error".
std::string format_value(const Value& value);
// The same, appended to `out` (no temporary string).
void append_value(std::string& out, const Value& value);
// A number as format_value() writes it.
void append_number(std::string& out, double number);

}  // namespace fascia::detail
