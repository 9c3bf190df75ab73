#pragma once
// The compiled form of an expression: postfix code over a small value stack.
// Every name is resolved at compile time (field getters, function pointers),
// constants live in the program, and `and`/`or` short-circuit with jumps.

#include "expr/catalog.hpp"
#include "expr/expression.hpp"
#include "expr/node.hpp"
#include "expr/value.hpp"

#include <cstdint>
#include <list>
#include <string>
#include <vector>

namespace fascia::detail {

namespace expr {

enum class OpCode : std::uint8_t {
  push_constant,  // a: index into constants
  load_field,     // getter(state, arg)
  has_field,      // getter(state, arg) is not missing
  has_series,     // some history entry has the series value
  not_,
  negate,
  jump_if_false,  // a: target; jumps when the top is false, leaving it as the result
  jump_if_true,   // a: target; jumps when the top is true, leaving it as the result
  and_merge,      // pops b, merges into the top (Kleene and)
  or_merge,       // pops b, merges into the top (Kleene or)
  add,
  sub,
  mul,
  div,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  call,            // function; a: argument count
  call_series,     // function with series; a: count of the other arguments
  compare_number,  // top <op> number, op (eq..ge) in a: `x >= 7` without pushing the 7
  // Fused `field <op> constant`, the commonest conditions: one instruction,
  // same results as load_field followed by compare_number / push_constant, eq.
  compare_field,    // getter(state, arg) <op> number, op (eq..ge) in a
  field_eq_string,  // getter(state, arg) == constants[a] (a string)
  field_ne_string,  // getter(state, arg) != constants[a] (a string)
  // value_or(field, fallback) <op> number, op (eq..ge) in a: what load_field,
  // push_constant, call value_or, compare_number give.
  compare_field_or,
  not_field,  // not getter(state, arg): what load_field then not_ give
  // getter(state, arg) <op> getter2(state, arg2) <arith> number, as in
  // `pain.current >= pain.baseline + 2`: what the unfused loads, push,
  // arithmetic and comparison give. a: op | arith << 8.
  compare_fields,
};

struct Instruction {
  OpCode code = OpCode::push_constant;
  std::uint32_t a = 0;
  std::uint32_t arg = 0;  // load_field/has_field/compare_field/field_*: the getter's arg
  FieldGetter getter = nullptr;
  SeriesGetter series = nullptr;
  const FunctionInfo* function = nullptr;
  double number = 0;              // compare_number/compare_field(_or): the constant
  double fallback = 0;            // compare_field_or: value_or's second argument
  FieldGetter getter2 = nullptr;  // compare_fields: the right-hand field
  std::uint32_t arg2 = 0;
};

// Values are stack slots; the deepest an expression can need is known at
// compile time and bounded by this.
inline constexpr std::size_t max_stack = 256;

}  // namespace expr

struct CompiledProgram {
  std::string text;
  Type type = Type::boolean;
  std::vector<expr::Instruction> code;
  std::vector<Value> constants;
  // Storage the constants point into: lists never move their elements, and
  // an empty one allocates nothing (a deque allocates about 570 bytes even
  // empty: 2.3 KB for each of the ~100 programs of a protocol, 33 page
  // faults of a cold start).
  std::list<std::string> strings;
  std::list<std::vector<std::string>> string_lists;
  std::list<std::vector<double>> number_lists;
  std::vector<const FieldInfo*> fields_used;
  std::size_t stack_size = 0;
  // Shapes run without the value stack. `single`: one instruction that
  // produces a value from the state alone (a field read, a fused comparison,
  // a call without arguments). `and_chain`/`or_chain`: such instructions
  // joined by `and`/`or`: s0; (jump; s; merge)... `prefixed`: a general
  // program that starts with such a chain (s0, or s0 and/or s1...), up to
  // code[prefix_end]: the chain runs first and usually decides the result
  // (`program.frequency == weekly and ...`); otherwise the loop continues
  // from prefix_end with the chain's value as its only stack entry.
  enum class Shape : std::uint8_t { general, single, and_chain, or_chain, prefixed };
  Shape shape = Shape::general;
  std::uint32_t prefix_end = 0;  // prefixed: where the loop takes over
};

namespace expr {

// Compiles a checked tree. Fails only when the expression needs more than
// max_stack slots (an error at offset 0 is appended).
bool compile_program(const Node& root, CompiledProgram& program,
                     std::vector<ExpressionError>& errors);

// The function that runs the program without allocating, chosen for its
// shape (Expression::evaluate calls it). Only a function that breaks its
// no-throw contract can make it throw; Expression::evaluate catches that.
ProgramRunner runner_for(const CompiledProgram& program);

}  // namespace expr
}  // namespace fascia::detail
