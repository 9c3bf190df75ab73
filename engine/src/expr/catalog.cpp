// The catalog and the built-in functions of the expression language.

#include "expr/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fascia::detail {
namespace {

using Kind = Value::Kind;

// Error if any argument is an error, else missing if any is missing.
bool unknown_argument(const Value* args, std::size_t count, Value& out) noexcept {
  bool missing = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (args[i].kind == Kind::error) {
      out = Value::make_error();
      return true;
    }
    if (args[i].kind == Kind::missing) missing = true;
  }
  if (missing) out = Value::make_missing();
  return missing;
}

Value fn_min(const ClientState&, const void*, const Value* args, std::size_t count) noexcept {
  Value out;
  if (unknown_argument(args, count, out)) return out;
  double m = args[0].number;
  for (std::size_t i = 1; i < count; ++i) m = std::min(m, args[i].number);
  return Value::make_number(m);
}

Value fn_max(const ClientState&, const void*, const Value* args, std::size_t count) noexcept {
  Value out;
  if (unknown_argument(args, count, out)) return out;
  double m = args[0].number;
  for (std::size_t i = 1; i < count; ++i) m = std::max(m, args[i].number);
  return Value::make_number(m);
}

Value fn_abs(const ClientState&, const void*, const Value* args, std::size_t count) noexcept {
  Value out;
  if (unknown_argument(args, count, out)) return out;
  return Value::make_number(std::fabs(args[0].number));
}

Value fn_round(const ClientState&, const void*, const Value* args, std::size_t count) noexcept {
  Value out;
  if (unknown_argument(args, count, out)) return out;
  return Value::make_number(std::round(args[0].number));  // halves away from zero
}

Value fn_value_or(const ClientState&, const void*, const Value* args, std::size_t) noexcept {
  return args[0].kind == Kind::missing ? args[1] : args[0];
}

// The `n` of a history function: a whole number of entries >= 1 (a fraction
// is rounded down). Returns false with `out` set when there is none.
bool entry_count(const Value& n, std::size_t history_size, std::size_t& count,
                 Value& out) noexcept {
  if (n.kind == Kind::error || n.kind == Kind::missing) {
    out = n;
    return false;
  }
  if (n.kind != Kind::number || !(n.number >= 1)) {
    out = Value::make_error();
    return false;
  }
  const double whole = std::floor(n.number);
  count =
      whole >= static_cast<double>(history_size) ? history_size : static_cast<std::size_t>(whole);
  return true;
}

// Calls visit(index, value) for the last `n` history entries that have the
// value, newest first; returns how many there were.
template <class Visit>
std::size_t for_each_value(const ClientState& state, SeriesGetter series, std::size_t n,
                           Visit&& visit) noexcept {
  std::size_t seen = 0;
  for (std::size_t i = state.history.size(); i-- > 0 && seen < n;) {
    const Value v = series(state.history[i]);
    if (v.kind != Kind::number) continue;
    visit(i, v.number);
    ++seen;
  }
  return seen;
}

Value fn_avg(const ClientState& state, SeriesGetter series, const Value* args,
             std::size_t) noexcept {
  std::size_t n = 0;
  Value out;
  if (!entry_count(args[0], state.history.size(), n, out)) return out;
  double sum = 0;
  const std::size_t seen =
      for_each_value(state, series, n, [&](std::size_t, double v) { sum += v; });
  if (seen == 0) return Value::make_missing();
  return Value::make_number(sum / static_cast<double>(seen));
}

// Least-squares slope of value against session index (the position in the
// history), over the last n entries that have the value.
Value fn_trend(const ClientState& state, SeriesGetter series, const Value* args,
               std::size_t) noexcept {
  std::size_t n = 0;
  Value out;
  if (!entry_count(args[0], state.history.size(), n, out)) return out;
  double sum_x = 0;
  double sum_y = 0;
  const std::size_t seen = for_each_value(state, series, n, [&](std::size_t i, double v) {
    sum_x += static_cast<double>(i);
    sum_y += v;
  });
  if (seen < 2) return Value::make_missing();
  const double mean_x = sum_x / static_cast<double>(seen);
  const double mean_y = sum_y / static_cast<double>(seen);
  double sxy = 0;
  double sxx = 0;
  for_each_value(state, series, n, [&](std::size_t i, double v) {
    const double dx = static_cast<double>(i) - mean_x;
    sxy += dx * (v - mean_y);
    sxx += dx * dx;
  });
  return Value::make_number(sxy / sxx);  // sxx > 0: at least two distinct indices
}

Value fn_min_over(const ClientState& state, SeriesGetter series, const Value* args,
                  std::size_t) noexcept {
  std::size_t n = 0;
  Value out;
  if (!entry_count(args[0], state.history.size(), n, out)) return out;
  double m = std::numeric_limits<double>::infinity();
  if (!for_each_value(state, series, n, [&](std::size_t, double v) { m = std::min(m, v); }))
    return Value::make_missing();
  return Value::make_number(m);
}

Value fn_max_over(const ClientState& state, SeriesGetter series, const Value* args,
                  std::size_t) noexcept {
  std::size_t n = 0;
  Value out;
  if (!entry_count(args[0], state.history.size(), n, out)) return out;
  double m = -std::numeric_limits<double>::infinity();
  if (!for_each_value(state, series, n, [&](std::size_t, double v) { m = std::max(m, v); }))
    return Value::make_missing();
  return Value::make_number(m);
}

Value fn_count_at_least(const ClientState& state, SeriesGetter series, const Value* args,
                        std::size_t count_args) noexcept {
  std::size_t n = 0;
  Value out;
  if (unknown_argument(args, count_args, out)) return out;
  if (!entry_count(args[0], state.history.size(), n, out)) return out;
  const double threshold = args[1].number;
  double count = 0;
  if (!for_each_value(state, series, n, [&](std::size_t, double v) { count += v >= threshold; }))
    return Value::make_missing();
  return Value::make_number(count);
}

// How many of the last n sessions (with or without other values) included
// the technique; 0 for a client without history.
Value fn_sessions_with(const ClientState& state, const void*, const Value* args,
                       std::size_t count_args) noexcept {
  std::size_t n = 0;
  Value out;
  if (unknown_argument(args, count_args, out)) return out;
  if (!entry_count(args[1], state.history.size(), n, out)) return out;
  double count = 0;
  for (std::size_t i = state.history.size() - n; i < state.history.size(); ++i) {
    const auto& techniques = state.history[i].techniques;
    count += std::find(techniques.begin(), techniques.end(), args[0].string) != techniques.end();
  }
  return Value::make_number(count);
}

FunctionInfo plain(std::string name, std::vector<Type> parameters, Type result,
                   decltype(FunctionInfo::call) call, std::string description) {
  FunctionInfo f;
  f.name = std::move(name);
  f.parameters = std::move(parameters);
  f.result = result;
  f.call = call;
  f.description = std::move(description);
  return f;
}

FunctionInfo history(std::string name, std::vector<Type> parameters,
                     decltype(FunctionInfo::series_call) call, std::string description) {
  FunctionInfo f;
  f.name = std::move(name);
  f.parameters = std::move(parameters);
  f.result = Type::number;
  f.series_call = call;
  f.description = std::move(description);
  return f;
}

}  // namespace

bool is_builtin_value_or(const FunctionInfo& function) noexcept {
  return function.call == fn_value_or && function.shape == FunctionInfo::Shape::same_type;
}

const char* to_string(Type type) noexcept {
  switch (type) {
    case Type::boolean:
      return "boolean";
    case Type::number:
      return "number";
    case Type::string:
      return "string";
    case Type::string_list:
      return "string list";
    case Type::number_list:
      return "number list";
    case Type::series:
      return "series";
  }
  return "unknown";
}

Catalog::Catalog() {
  const Type N = Type::number;
  const Type S = Type::series;

  FunctionInfo min = plain("min", {N}, N, fn_min, "smallest of the numbers");
  min.variadic = true;
  min.min_args = 2;
  add_function(std::move(min));
  FunctionInfo max = plain("max", {N}, N, fn_max, "largest of the numbers");
  max.variadic = true;
  max.min_args = 2;
  add_function(std::move(max));
  add_function(plain("abs", {N}, N, fn_abs, "absolute value"));
  add_function(plain("round", {N}, N, fn_round, "nearest whole number (halves away from zero)"));

  FunctionInfo has;
  has.name = "has";
  has.shape = FunctionInfo::Shape::field_presence;
  has.parameters = {N};  // one argument; its type is not checked
  has.result = Type::boolean;
  has.description = "true when the field has a value";
  add_function(std::move(has));

  FunctionInfo value_or = plain("value_or", {N, N}, N, fn_value_or,
                                "the first argument, or the second when the first is absent");
  value_or.shape = FunctionInfo::Shape::same_type;
  add_function(std::move(value_or));

  add_function(
      history("avg", {S, N}, fn_avg, "mean over the last n history entries that have the value"));
  add_function(history("trend", {S, N}, fn_trend,
                       "least-squares slope per session over the last n entries that have "
                       "the value (negative = falling)"));
  add_function(history("min_over", {S, N}, fn_min_over,
                       "smallest value over the last n entries that have it"));
  add_function(history("max_over", {S, N}, fn_max_over,
                       "largest value over the last n entries that have it"));
  add_function(history("count_at_least", {S, N, N}, fn_count_at_least,
                       "how many of the last n entries that have the value have one >= x"));
  add_function(plain("sessions_with", {Type::string, N}, N, fn_sessions_with,
                     "how many of the last n sessions included the technique"));
}

void Catalog::add_field(FieldInfo field) {
  for (auto& f : fields_)
    if (f.path == field.path) {
      f = std::move(field);
      return;
    }
  fields_.push_back(std::move(field));
}

void Catalog::add_function(FunctionInfo function) {
  for (auto& f : functions_)
    if (f.name == function.name) {
      f = std::move(function);
      return;
    }
  functions_.push_back(std::move(function));
}

const FieldInfo* Catalog::find_field(std::string_view path) const noexcept {
  for (const auto& f : fields_)
    if (f.path == path) return &f;
  return nullptr;
}

const FunctionInfo* Catalog::find_function(std::string_view name) const noexcept {
  for (const auto& f : functions_)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace fascia::detail
