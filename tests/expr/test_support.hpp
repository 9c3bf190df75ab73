#pragma once
// A catalog and client states shared by the expression tests.

#include "expr/catalog.hpp"
#include "expr/client_fields.hpp"
#include "expr/expression.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fascia::test {
using namespace fascia::detail;

// Fields whose value is fixed by their getter arg, to drive truth tables:
// 0 false, 1 true, 2 missing, 3 error.
inline Value fixed_boolean(const ClientState&, std::uint32_t arg) noexcept {
  switch (arg) {
    case 0:
      return Value::make_bool(false);
    case 1:
      return Value::make_bool(true);
    case 2:
      return Value::make_missing();
    default:
      return Value::make_error();
  }
}
// Number fields: arg 1000 missing, 1001 error, otherwise the arg itself.
inline Value fixed_number(const ClientState&, std::uint32_t arg) noexcept {
  if (arg == 1000) return Value::make_missing();
  if (arg == 1001) return Value::make_error();
  return Value::make_number(arg);
}

inline void add_fixed(Catalog& catalog, std::string path, Type type, std::uint32_t arg) {
  FieldInfo f;
  f.path = std::move(path);
  f.type = type;
  f.getter = type == Type::boolean ? fixed_boolean : fixed_number;
  f.arg = arg;
  catalog.add_field(std::move(f));
}

inline std::vector<ObservationDecl> test_observations() {
  std::vector<ObservationDecl> decls(4);
  decls[0].name = "morning_stiffness_minutes";
  decls[0].kind = ObservationDecl::Kind::integer;
  decls[1].name = "energy";
  decls[1].kind = ObservationDecl::Kind::enumeration;
  decls[1].values = {"low", "ok", "high"};
  decls[2].name = "notes";
  decls[2].kind = ObservationDecl::Kind::string;
  decls[3].name = "swollen";
  decls[3].kind = ObservationDecl::Kind::boolean;
  return decls;
}

// The client-state fields of a fibromyalgia-like protocol, plus test fields
// named like keywords and number specials.
inline const Catalog& test_catalog() {
  static const Catalog catalog = [] {
    Catalog c;
    add_client_state_fields(c, {"fibromyalgia", "low_back_pain"},
                            {"foundation", "building", "maintenance"},
                            {"twice_weekly", "weekly", "biweekly"}, test_observations());
    add_fixed(c, "b.yes", Type::boolean, 1);
    add_fixed(c, "b.no", Type::boolean, 0);
    add_fixed(c, "b.unknown", Type::boolean, 2);
    add_fixed(c, "b.fails", Type::boolean, 3);
    add_fixed(c, "n.seven", Type::number, 7);
    add_fixed(c, "n.missing", Type::number, 1000);
    add_fixed(c, "n.error", Type::number, 1001);
    std::uint32_t value = 1;
    for (const char* name : {"inflammation", "order", "android", "notable", "nan", "inf",
                             "nan_count", "infinity", "oracle", "truest", "falsehood", "innate"})
      add_fixed(c, name, Type::number, value++);
    return c;
  }();
  return catalog;
}

inline HistoryEntry entry(Date date, std::vector<std::string> techniques,
                          std::optional<int> pressure, std::optional<double> soreness,
                          std::optional<double> pain_before = {},
                          std::optional<double> pain_after = {}) {
  HistoryEntry e;
  e.date = date;
  e.techniques = std::move(techniques);
  e.pressure = pressure;
  e.soreness_24h = soreness;
  e.pain_before = pain_before;
  e.pain_after = pain_after;
  return e;
}

// A client six sessions in, with four history entries (some values absent).
inline ClientState sample_state() {
  ClientState s;
  s.client_id = "C-1042";
  s.condition = "fibromyalgia";
  s.as_of = Date{2026, 11, 20};
  s.program.stage = "foundation";
  s.program.sessions_completed = 6;
  s.program.weeks_in_program = 6;
  s.program.frequency = "weekly";
  s.program.missed_sessions_30d = 1;
  s.pain = {6, 8};
  s.sensitivity = Sensitivity::high;
  s.pressure_tolerance = 5;
  s.flare.active = false;
  s.flare.severity = 0;
  s.flare.count_30d = 0;
  s.history = {
      entry({2026, 10, 23}, {"swedish"}, 4, 3, 8, 6),
      entry({2026, 10, 30}, {"swedish", "myofascial_release"}, 5, std::nullopt, 7, 5),
      entry({2026, 11, 6}, {"myofascial_release"}, std::nullopt, 5, 7, std::nullopt),
      entry({2026, 11, 13}, {"swedish", "myofascial_release"}, 6, 7, 6, 4),
  };
  const auto decls = test_observations();
  for (const auto& d : decls) s.observations.push_back({d.name, std::monostate{}});
  return s;
}

struct Compiled {
  bool ok = false;
  Expression expression;
  std::vector<ExpressionError> errors;
};

inline Compiled compile_any(std::string_view text, const Catalog& catalog = test_catalog(),
                            CompileLimits limits = {}) {
  Compiled c;
  c.ok = compile_expression(text, catalog, limits, c.expression, c.errors);
  return c;
}

inline Compiled compile_as(std::string_view text, Type expected,
                           const Catalog& catalog = test_catalog(), CompileLimits limits = {}) {
  Compiled c;
  c.ok = compile_expression(text, expected, catalog, limits, c.expression, c.errors);
  return c;
}

// "offset: message" lines, for exact comparisons.
inline std::vector<std::string> describe(const std::vector<ExpressionError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(std::to_string(e.offset) + ": " + e.message);
  return out;
}

inline std::vector<std::string> errors_of(std::string_view text,
                                          std::optional<Type> expected = Type::boolean,
                                          const Catalog& catalog = test_catalog()) {
  Compiled c = expected ? compile_as(text, *expected, catalog) : compile_any(text, catalog);
  if (c.ok) return {};
  return describe(c.errors);
}

// Evaluates an expression of any type; fails the test when it does not compile.
inline Value eval(std::string_view text, const ClientState& state = sample_state(),
                  const Catalog& catalog = test_catalog()) {
  Compiled c = compile_any(text, catalog);
  EXPECT_TRUE(c.ok) << text << ": " << (c.errors.empty() ? "" : c.errors[0].message);
  if (!c.ok) return Value::make_error();
  return c.expression.evaluate(state);
}

// format_value of the result, with "absent"/"error" for the unknown kinds.
inline std::string eval_text(std::string_view text, const ClientState& state = sample_state(),
                             const Catalog& catalog = test_catalog()) {
  return format_value(eval(text, state, catalog));
}

}  // namespace fascia::test
