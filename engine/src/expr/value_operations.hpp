#pragma once
// What the evaluator's instructions do to values (evaluator.cpp, the hot
// path): arithmetic, equality, ordering, membership and the Kleene merges of
// `and` and `or`, with error winning over missing. Inline, in a header only
// the evaluator includes, so that its loops still inline them.

#include "expr/program.hpp"

#include <algorithm>
#include <cmath>

namespace fascia::detail::expr::value_operations {

using Kind = Value::Kind;

// Error wins over missing; returns true (with `out` set) when either operand
// is not a known value.
inline bool unknown(const Value& a, const Value& b, Value& out) noexcept {
  if (a.kind == Kind::error || b.kind == Kind::error) {
    out = Value::make_error();
    return true;
  }
  if (a.kind == Kind::missing || b.kind == Kind::missing) {
    out = Value::make_missing();
    return true;
  }
  return false;
}

inline Value arithmetic(OpCode code, const Value& a, const Value& b) noexcept {
  Value out;
  if (unknown(a, b, out)) return out;
  if (a.kind != Kind::number || b.kind != Kind::number) return Value::make_error();
  double result = 0;
  switch (code) {
    case OpCode::add:
      result = a.number + b.number;
      break;
    case OpCode::sub:
      result = a.number - b.number;
      break;
    case OpCode::mul:
      result = a.number * b.number;
      break;
    default:
      if (b.number == 0) return Value::make_error();
      result = a.number / b.number;
      break;
  }
  // An infinite or NaN result would make comparisons fail open.
  if (!std::isfinite(result)) return Value::make_error();
  return Value::make_number(result);
}

inline Value equality(bool equal, const Value& a, const Value& b) noexcept {
  Value out;
  if (unknown(a, b, out)) return out;
  if (a.kind != b.kind) return Value::make_error();  // only from a misbehaving function
  bool same = false;
  switch (a.kind) {
    case Kind::boolean:
      same = a.boolean == b.boolean;
      break;
    case Kind::number:
      same = a.number == b.number;
      break;
    case Kind::string:
      same = a.string == b.string;
      break;
    default:
      return Value::make_error();
  }
  return Value::make_bool(same == equal);
}

inline bool compare(OpCode code, double a, double b) noexcept {
  switch (code) {
    case OpCode::eq:
      return a == b;
    case OpCode::ne:
      return a != b;
    case OpCode::lt:
      return a < b;
    case OpCode::le:
      return a <= b;
    case OpCode::gt:
      return a > b;
    default:
      return a >= b;
  }
}

inline Value ordering(OpCode code, const Value& a, const Value& b) noexcept {
  Value out;
  if (unknown(a, b, out)) return out;
  if (a.kind != Kind::number || b.kind != Kind::number) return Value::make_error();
  switch (code) {
    case OpCode::lt:
      return Value::make_bool(a.number < b.number);
    case OpCode::le:
      return Value::make_bool(a.number <= b.number);
    case OpCode::gt:
      return Value::make_bool(a.number > b.number);
    default:
      return Value::make_bool(a.number >= b.number);
  }
}

inline Value membership(bool wanted, const Value& x, const Value& list) noexcept {
  Value out;
  if (unknown(x, list, out)) return out;
  bool found = false;
  if (x.kind == Kind::number && list.kind == Kind::number_list) {
    found = std::find(list.numbers.begin(), list.numbers.end(), x.number) != list.numbers.end();
  } else if (x.kind == Kind::string && list.kind == Kind::string_list) {
    for (const auto& s : list.strings)
      if (s == x.string) {
        found = true;
        break;
      }
  } else {
    return Value::make_error();
  }
  return Value::make_bool(found == wanted);
}

// Kleene `and` of an operand that is not false (a) with b.
inline Value merge_and(const Value& a, const Value& b) noexcept {
  if (b.kind == Kind::boolean && !b.boolean) return b;
  Value out;
  if (unknown(a, b, out)) return out;
  if (a.kind != Kind::boolean || b.kind != Kind::boolean) return Value::make_error();
  return Value::make_bool(true);
}

inline Value merge_or(const Value& a, const Value& b) noexcept {
  if (b.kind == Kind::boolean && b.boolean) return b;
  Value out;
  if (unknown(a, b, out)) return out;
  if (a.kind != Kind::boolean || b.kind != Kind::boolean) return Value::make_error();
  return Value::make_bool(false);
}

// `a and b` (or `a or b`) into a, an operand that did not decide the result
// (true for `and`, false for `or`): two booleans in place, the rest through
// merge_and/merge_or. The and_merge/or_merge instructions and the chains
// without a stack all merge here.
inline void merge_into(Value& a, const Value& b, bool is_and) noexcept {
  if (a.kind == Kind::boolean && b.kind == Kind::boolean)
    a.boolean = b.boolean;
  else
    a = is_and ? merge_and(a, b) : merge_or(a, b);
}

}  // namespace fascia::detail::expr::value_operations
