// The hot path: runs a compiled program against one client state.

#include "expr/program.hpp"
#include "expr/value_operations.hpp"

#include <algorithm>
#include <cmath>
#include <new>

namespace fascia::detail::expr {
namespace {

using Kind = Value::Kind;
using namespace value_operations;

// Uninitialised storage for the value stack: Value's member initialisers
// would otherwise cost a write of every slot on each evaluation.
union Slot {
  Slot() noexcept {}
  Value value;
};

// A function result must have the declared type; a plugin returning another
// kind is treated as failing.
inline Value checked_result(const FunctionInfo& function, const Value& result) noexcept {
  if (!result.is_known() || function.shape != FunctionInfo::Shape::fixed) return result;
  Kind wanted = Kind::number;
  switch (function.result) {
    case Type::boolean:
      wanted = Kind::boolean;
      break;
    case Type::number:
      wanted = Kind::number;
      break;
    case Type::string:
      wanted = Kind::string;
      break;
    case Type::string_list:
      wanted = Kind::string_list;
      break;
    case Type::number_list:
      wanted = Kind::number_list;
      break;
    case Type::series:
      return Value::make_error();
  }
  if (result.kind != wanted) return Value::make_error();
  if (result.kind == Kind::number && !std::isfinite(result.number)) return Value::make_error();
  return result;
}

// Plugin functions are wrapped by the engine so that they cannot throw; a
// throw that gets through anyway fails this call only.
Value call_guarded(const FunctionInfo& f, const ClientState& state, const Value* args,
                   std::size_t count) noexcept {
  try {
    return f.call ? f.call(state, f.user, args, count) : Value::make_error();
  } catch (...) {
    return Value::make_error();
  }
}

// The fused `field <op> number`: what load_field then compare_number give.
inline Value compare_field(const Instruction& in, const ClientState& state) noexcept {
  const Value v = in.getter(state, in.arg);
  if (v.kind == Kind::number)
    return Value::make_bool(compare(static_cast<OpCode>(in.a), v.number, in.number));
  return v.kind == Kind::missing ? v : Value::make_error();
}

// The fused `value_or(field, fallback) <op> number`.
inline Value compare_field_or(const Instruction& in, const ClientState& state) noexcept {
  const Value v = in.getter(state, in.arg);
  const OpCode op = static_cast<OpCode>(in.a);
  if (v.kind == Kind::number) return Value::make_bool(compare(op, v.number, in.number));
  if (v.kind == Kind::missing) return Value::make_bool(compare(op, in.fallback, in.number));
  return Value::make_error();
}

// The fused `field ==/!= "text"`: what load_field, push_constant, eq/ne give.
inline Value field_equals_string(const Instruction& in, const CompiledProgram& program,
                                 const ClientState& state) noexcept {
  const Value v = in.getter(state, in.arg);
  if (v.kind == Kind::string)
    return Value::make_bool((v.string == program.constants[in.a].string) ==
                            (in.code == OpCode::field_eq_string));
  return v.kind == Kind::missing ? v : Value::make_error();
}

// The fused `field <op> field <arith> number`: the same helpers as the
// unfused instructions, in the same order.
inline Value compare_fields(const Instruction& in, const ClientState& state) noexcept {
  const Value a = in.getter(state, in.arg);
  const Value b = arithmetic(static_cast<OpCode>(in.a >> 8), in.getter2(state, in.arg2),
                             Value::make_number(in.number));
  const auto op = static_cast<OpCode>(in.a & 0xff);
  if (op == OpCode::eq || op == OpCode::ne) return equality(op == OpCode::eq, a, b);
  if (a.kind == Kind::number && b.kind == Kind::number)
    return Value::make_bool(compare(op, a.number, b.number));
  return ordering(op, a, b);
}

// The fused `not field`.
inline Value not_field(const Instruction& in, const ClientState& state) noexcept {
  const Value v = in.getter(state, in.arg);
  if (v.kind == Kind::boolean) return Value::make_bool(!v.boolean);
  return v.kind == Kind::missing ? v : Value::make_error();
}

// An instruction that produces a value from the state alone (is_single at
// compile time), evaluated outside the stack machine. Inlined into run_chain
// (a call per operand costs a frame and a copy of the result) and into
// run_single, the runner of the other single instructions.
[[gnu::always_inline]] inline Value single_inline(const Instruction& in,
                                                  const CompiledProgram& program,
                                                  const ClientState& state) noexcept {
  switch (in.code) {
    case OpCode::load_field:
      return in.getter(state, in.arg);
    case OpCode::compare_field:
      return compare_field(in, state);
    case OpCode::compare_field_or:
      return compare_field_or(in, state);
    case OpCode::field_eq_string:
    case OpCode::field_ne_string:
      return field_equals_string(in, program, state);
    case OpCode::not_field:
      return not_field(in, state);
    case OpCode::compare_fields:
      return compare_fields(in, state);
    case OpCode::call: {  // without arguments
      Value none;
      return checked_result(*in.function, call_guarded(*in.function, state, &none, 0));
    }
    default:
      return Value::make_error();  // not reached: the compiler checked the shape
  }
}

// s0 and s1 and ...: what the jumps and merges of the general loop give,
// short-circuit included (a false operand stops, error wins over missing).
template <bool is_and>
[[gnu::noinline]] Value run_chain(const CompiledProgram& program,
                                  const ClientState& state) noexcept {
  const Instruction* const code = program.code.data();
  const Instruction* const end = code + program.code.size();
  Value result = single_inline(code[0], program, state);
  for (const Instruction* in = code + 2; in < end; in += 3) {
    if (result.kind == Kind::boolean && result.boolean != is_and) return result;
    merge_into(result, single_inline(*in, program, state), is_and);
  }
  return result;
}

}  // namespace

// Fast paths below update the top slot in place: copying whole Values is
// what an evaluation mostly spends its time on. A slot may then keep stale
// members of another kind; the result is normalised on return.
namespace {

// Runs code[start...]; `first`, when given, is the only value on the stack
// (what code[0, start) left there: see run_prefixed).
[[gnu::noinline]] Value run_loop(const CompiledProgram& program, const ClientState& state,
                                 const Value* first, std::size_t start) {
  Slot stack[max_stack];
  std::size_t top = 0;  // number of values on the stack
  if (first) new (&stack[top++].value) Value(*first);
  const Instruction* const code = program.code.data();
  const Instruction* const end = code + program.code.size();
  const Instruction* next = code + start;
  auto set_bool = [](Value& v, bool b) {
    v.kind = Kind::boolean;
    v.boolean = b;
  };
  while (next != end) {
    const Instruction& in = *next++;
    switch (in.code) {
      case OpCode::push_constant:
        stack[top++].value = program.constants[in.a];
        break;
      case OpCode::load_field:
        new (&stack[top++].value) Value(in.getter(state, in.arg));
        break;
      case OpCode::has_field:
        new (&stack[top++].value)
            Value(Value::make_bool(in.getter(state, in.arg).kind != Kind::missing));
        break;
      case OpCode::has_series: {
        bool any = false;
        for (const auto& entry : state.history)
          if (in.series(entry).kind != Kind::missing) {
            any = true;
            break;
          }
        new (&stack[top++].value) Value(Value::make_bool(any));
        break;
      }
      case OpCode::not_: {
        Value& v = stack[top - 1].value;
        if (v.kind == Kind::boolean)
          v.boolean = !v.boolean;
        else if (v.kind != Kind::missing)
          v = Value::make_error();
        break;
      }
      case OpCode::negate: {
        Value& v = stack[top - 1].value;
        if (v.kind == Kind::number)
          v.number = -v.number;
        else if (v.kind != Kind::missing)
          v = Value::make_error();
        break;
      }
      case OpCode::jump_if_false: {
        const Value& v = stack[top - 1].value;
        if (v.kind == Kind::boolean && !v.boolean) next = code + in.a;
        break;
      }
      case OpCode::jump_if_true: {
        const Value& v = stack[top - 1].value;
        if (v.kind == Kind::boolean && v.boolean) next = code + in.a;
        break;
      }
      case OpCode::and_merge:
      case OpCode::or_merge: {
        --top;
        merge_into(stack[top - 1].value, stack[top].value, in.code == OpCode::and_merge);
        break;
      }
      case OpCode::add:
      case OpCode::sub:
      case OpCode::mul:
      case OpCode::div:
        --top;
        stack[top - 1].value = arithmetic(in.code, stack[top - 1].value, stack[top].value);
        break;
      case OpCode::eq:
      case OpCode::ne:
        --top;
        stack[top - 1].value =
            equality(in.code == OpCode::eq, stack[top - 1].value, stack[top].value);
        break;
      case OpCode::lt:
      case OpCode::le:
      case OpCode::gt:
      case OpCode::ge: {
        --top;
        Value& a = stack[top - 1].value;
        const Value& b = stack[top].value;
        if (a.kind == Kind::number && b.kind == Kind::number)
          set_bool(a, compare(in.code, a.number, b.number));
        else
          a = ordering(in.code, a, b);
        break;
      }
      case OpCode::compare_number: {
        Value& a = stack[top - 1].value;
        if (a.kind == Kind::number)
          set_bool(a, compare(static_cast<OpCode>(in.a), a.number, in.number));
        else if (a.kind != Kind::missing)
          a = Value::make_error();
        break;
      }
      case OpCode::in:
      case OpCode::not_in:
        --top;
        stack[top - 1].value =
            membership(in.code == OpCode::in, stack[top - 1].value, stack[top].value);
        break;
      case OpCode::call: {
        const FunctionInfo& f = *in.function;
        top -= in.a;
        const Value result = call_guarded(f, state, &stack[top].value, in.a);
        stack[top++].value = checked_result(f, result);
        break;
      }
      case OpCode::call_series: {
        const FunctionInfo& f = *in.function;
        top -= in.a;
        const Value result = f.series_call(state, in.series, &stack[top].value, in.a);
        stack[top++].value = checked_result(f, result);
        break;
      }
      case OpCode::compare_field:
        new (&stack[top++].value) Value(compare_field(in, state));
        break;
      case OpCode::compare_field_or:
        new (&stack[top++].value) Value(compare_field_or(in, state));
        break;
      case OpCode::field_eq_string:
      case OpCode::field_ne_string:
        new (&stack[top++].value) Value(field_equals_string(in, program, state));
        break;
      case OpCode::not_field:
        new (&stack[top++].value) Value(not_field(in, state));
        break;
      case OpCode::compare_fields:
        new (&stack[top++].value) Value(compare_fields(in, state));
        break;
      default:
        __builtin_unreachable();  // every opcode is handled above
    }
  }
  if (top != 1) return Value::make_error();
  const Value& result = stack[0].value;
  switch (result.kind) {
    case Kind::boolean:
      return Value::make_bool(result.boolean);
    case Kind::number:
      return Value::make_number(result.number);
    default:
      return result;  // the other kinds are never updated in place
  }
}

// The chain code[0, prefix_end) as run_chain runs it, then the rest in the
// loop unless a jump to the end decides the result first.
[[gnu::noinline]] Value run_prefixed(const CompiledProgram& program,
                                     const ClientState& state) noexcept {
  const Instruction* const code = program.code.data();
  const Instruction* const stop = code + program.prefix_end;
  const std::size_t size = program.code.size();
  Value result = single_inline(code[0], program, state);
  for (const Instruction* in = code + 1;; in += 3) {
    // Every `in` before `stop` is a jump to the end; `stop` may be one.
    if ((in->code == OpCode::jump_if_false || in->code == OpCode::jump_if_true) && in->a == size &&
        result.kind == Kind::boolean && result.boolean == (in->code == OpCode::jump_if_true))
      return result;
    if (in == stop) break;
    merge_into(result, single_inline(in[1], program, state), in[2].code == OpCode::and_merge);
  }
  return run_loop(program, state, &result, program.prefix_end);
}

}  // namespace

// The runners: most conditions are one instruction or an and/or of such,
// which skip the stack machine; the commonest single instructions have a
// runner of their own with the comparison known at compile time.
namespace {

// A bare field read (`medications_changed`): the getter's own result.
Value run_load(const CompiledProgram& program, const ClientState& state) noexcept {
  const Instruction& in = program.code[0];
  return in.getter(state, in.arg);
}

// `field <op> number` (compare_field) and `value_or(field, k) <op> number`
// (compare_field_or) with op fixed: what compare_field/compare_field_or give.
template <OpCode op, bool with_fallback>
Value run_compare(const CompiledProgram& program, const ClientState& state) noexcept {
  const Instruction& in = program.code[0];
  const Value v = in.getter(state, in.arg);
  if (v.kind == Kind::number) return Value::make_bool(compare(op, v.number, in.number));
  if constexpr (with_fallback) {
    if (v.kind == Kind::missing) return Value::make_bool(compare(op, in.fallback, in.number));
    return Value::make_error();
  } else {
    return v.kind == Kind::missing ? v : Value::make_error();
  }
}

template <bool with_fallback>
ProgramRunner compare_runner(OpCode op) {
  switch (op) {
    case OpCode::eq:
      return run_compare<OpCode::eq, with_fallback>;
    case OpCode::ne:
      return run_compare<OpCode::ne, with_fallback>;
    case OpCode::lt:
      return run_compare<OpCode::lt, with_fallback>;
    case OpCode::le:
      return run_compare<OpCode::le, with_fallback>;
    case OpCode::gt:
      return run_compare<OpCode::gt, with_fallback>;
    default:
      return run_compare<OpCode::ge, with_fallback>;
  }
}

Value run_single(const CompiledProgram& program, const ClientState& state) noexcept {
  return single_inline(program.code[0], program, state);
}

Value run_general(const CompiledProgram& program, const ClientState& state) {
  return run_loop(program, state, nullptr, 0);
}

}  // namespace

ProgramRunner runner_for(const CompiledProgram& program) {
  switch (program.shape) {
    case CompiledProgram::Shape::single: {
      const Instruction& in = program.code[0];
      if (in.code == OpCode::load_field) return run_load;
      if (in.code == OpCode::compare_field) return compare_runner<false>(static_cast<OpCode>(in.a));
      if (in.code == OpCode::compare_field_or)
        return compare_runner<true>(static_cast<OpCode>(in.a));
      return run_single;
    }
    case CompiledProgram::Shape::and_chain:
      return run_chain<true>;
    case CompiledProgram::Shape::or_chain:
      return run_chain<false>;
    case CompiledProgram::Shape::prefixed:
      return run_prefixed;
    case CompiledProgram::Shape::general:
      break;
  }
  return run_general;
}

}  // namespace fascia::detail::expr
