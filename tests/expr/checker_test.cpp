// Type checking: names resolved against the catalog, every error with its
// exact message and offset, several errors in one pass.

#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
using namespace fascia::detail;
namespace {

using ::testing::ElementsAre;
using Errors = std::vector<std::string>;

TEST(Checker, AcceptsTheLanguage) {
  for (const char* text : {
           "flare.active and flare.severity >= 7",
           "sensitivity == high or pressure_tolerance <= 3",
           "avg(history.soreness_24h, 3) >= 6 and not medications_changed",
           "'swedish' in last.techniques",
           "'swedish' not in last.techniques",
           "has(history.pressure) and has(sleep_quality) and has(last.techniques)",
           "value_or(sleep_quality, 5) >= 5",
           "trend(history.pain_after, 3) < 0",
           "min_over(history.pressure, 3) < max_over(history.pressure, 3)",
           "count_at_least(history.soreness_24h, 5, 6) >= 2",
           "sessions_with('myofascial_release', 3) >= 2",
           "sessions_with(client.id, 3) >= 2",
           "observations.energy == high",
           "observations.energy in [low, ok]",
           "observations.swollen",
           "observations.notes == 'x'",
           "observations.morning_stiffness_minutes > 30",
           "client.condition == fibromyalgia",
           "client.condition in [fibromyalgia, 'low_back_pain']",
           "program.stage not in [foundation]",
           "program.frequency != weekly",
           "sensitivity == 'high'",
           "'high' == sensitivity",
           "high == sensitivity",
           "sensitivity == program.stage",
           "value_or(observations.energy, low) == high",
           "high == value_or(observations.energy, 'low')",
           "inflammation > 2 and order < 3 and notable != android",
           "nan + inf > nan_count",
           "-(pain.current) < 0",
           "3 in [-1, 3]",
           "client.id == \"C-1042\"",
           "flare.active == false",
           "abs(round(pain.current - pain.baseline)) >= 2",
           "last.date_days_ago > 14 or history.length == 0",
       }) {
    Compiled c = compile_as(text, Type::boolean);
    EXPECT_TRUE(c.ok) << text << " -> " << (c.errors.empty() ? "" : c.errors[0].message);
  }
  EXPECT_TRUE(compile_as("max(1, pressure_tolerance - 2)", Type::number).ok);
  EXPECT_TRUE(compile_as("client.id", Type::string).ok);
}

TEST(Checker, ResultTypes) {
  EXPECT_EQ(compile_any("sensitivity").expression.type(), Type::string);
  EXPECT_EQ(compile_any("last.techniques").expression.type(), Type::string_list);
  EXPECT_EQ(compile_any("pain.current - 1").expression.type(), Type::number);
  EXPECT_EQ(compile_any("value_or(flare.active, true)").expression.type(), Type::boolean);
  EXPECT_EQ(compile_any("has(sleep_quality)").expression.type(), Type::boolean);
  EXPECT_EQ(compile_any("flare.active").expression.text(), "flare.active");
  EXPECT_THAT(errors_of("pain.current"), ElementsAre("0: condition must be boolean, got number"));
  EXPECT_THAT(errors_of("  flare.active", Type::number),
              ElementsAre("2: expression must be number, got boolean"));
  EXPECT_THAT(errors_of("sensitivity", Type::number),
              ElementsAre("0: expression must be number, got string"));
}

TEST(Checker, FieldsUsedInOrderOfFirstAppearance) {
  Compiled c = compile_any(
      "flare.active and flare.severity >= 7 and flare.active and avg(history.pressure, 2) > 1 "
      "and has(sleep_quality)");
  ASSERT_TRUE(c.ok);
  std::vector<std::string> paths;
  for (const FieldInfo* f : c.expression.fields_used()) paths.push_back(f->path);
  EXPECT_THAT(paths,
              ElementsAre("flare.active", "flare.severity", "history.pressure", "sleep_quality"));
}

TEST(Checker, UnknownNames) {
  EXPECT_THAT(errors_of("pain.curent > 3"),
              ElementsAre("0: unknown field 'pain.curent'; did you mean 'pain.current'?"));
  EXPECT_THAT(errors_of("(pain.curent) > 1"),
              ElementsAre("1: unknown field 'pain.curent'; did you mean 'pain.current'?"));
  EXPECT_THAT(errors_of("high"), ElementsAre("0: unknown field 'high'"));
  // A short name of a field: every path holding it as whole parts.
  EXPECT_THAT(errors_of("sleep > 3"),
              ElementsAre("0: unknown field 'sleep'; did you mean 'sleep_quality'?"));
  EXPECT_THAT(errors_of("Flare.Active"),
              ElementsAre("0: unknown field 'Flare.Active'; did you mean 'flare.active'?"));
  EXPECT_THAT(errors_of("avgg(history.pressure, 3) > 1"),
              ElementsAre("0: unknown function 'avgg'; did you mean 'avg'?"));
  EXPECT_THAT(errors_of("zzz(1)"), ElementsAre("0: unknown function 'zzz'"));
  // Arguments of an unknown function are still checked.
  EXPECT_THAT(errors_of("zzz(pain.curent)"),
              ElementsAre("0: unknown function 'zzz'",
                          "4: unknown field 'pain.curent'; did you mean 'pain.current'?"));
  EXPECT_THAT(errors_of("sessions_with(swedish, 3) > 0"),
              ElementsAre("14: unknown field 'swedish'; to pass text, quote it: 'swedish'"));
  EXPECT_THAT(errors_of("sensitivity == pain.curent"),
              ElementsAre("15: unknown field 'pain.curent'; did you mean 'pain.current'?"));
}

TEST(Checker, EnumValues) {
  const std::string hihg =
      "unknown value 'hihg' for sensitivity; expected one of: low, moderate, high (did you mean "
      "'high'?)";
  EXPECT_THAT(errors_of("sensitivity == hihg"), ElementsAre("15: " + hihg));
  EXPECT_THAT(errors_of("sensitivity == 'hihg'"), ElementsAre("15: " + hihg));
  EXPECT_THAT(errors_of("hihg == sensitivity"), ElementsAre("0: " + hihg));
  EXPECT_THAT(errors_of("sensitivity != hihg"), ElementsAre("15: " + hihg));
  EXPECT_THAT(errors_of("sensitivity in [low, hihg]"), ElementsAre("21: " + hihg));
  EXPECT_THAT(errors_of("sensitivity not in ['hihg']"), ElementsAre("20: " + hihg));
  EXPECT_THAT(errors_of("sensitivity == xyz"),
              ElementsAre("15: unknown value 'xyz' for sensitivity; expected one of: low, "
                          "moderate, high"));
  EXPECT_THAT(errors_of("sensitivity == High"),
              ElementsAre("15: unknown value 'High' for sensitivity; expected one of: low, "
                          "moderate, high (did you mean 'high'?)"));
  EXPECT_THAT(errors_of("program.stage == fundation"),
              ElementsAre("17: unknown value 'fundation' for program.stage; expected one of: "
                          "foundation, building, maintenance (did you mean 'foundation'?)"));
  EXPECT_THAT(errors_of("observations.energy == 'hgh'"),
              ElementsAre("23: unknown value 'hgh' for observations.energy; expected one of: "
                          "low, ok, high (did you mean 'high'?)"));
  EXPECT_THAT(errors_of("value_or(observations.energy, lwo) == high"),
              ElementsAre("30: unknown value 'lwo' for observations.energy; expected one of: "
                          "low, ok, high (did you mean 'low'?)"));
  // A name that is no enum value and no field, outside an enum comparison.
  EXPECT_THAT(errors_of("'swedish' in [swedish]"),
              ElementsAre("14: unknown value 'swedish' in a list: quote it ('swedish') unless "
                          "the left side of 'in' is an enum field"));
}

TEST(Checker, OperatorTypes) {
  EXPECT_THAT(errors_of("pain.current and flare.active"),
              ElementsAre("0: 'and' needs boolean operands; 'pain.current' is a number"));
  EXPECT_THAT(errors_of("flare.active or 3"),
              ElementsAre("16: 'or' needs boolean operands; '3' is a number"));
  EXPECT_THAT(errors_of("1 and 2"),
              ElementsAre("0: 'and' needs boolean operands; '1' is a number",
                          "6: 'and' needs boolean operands; '2' is a number"));
  EXPECT_THAT(errors_of("not pain.current"),
              ElementsAre("4: 'not' needs a boolean operand; 'pain.current' is a number"));
  EXPECT_THAT(errors_of("-flare.active > 1"),
              ElementsAre("1: '-' needs a number operand; 'flare.active' is a boolean"));
  EXPECT_THAT(errors_of("'a' * 2 > 1"),
              ElementsAre("0: '*' needs number operands; 'a' is a string"));
  EXPECT_THAT(errors_of("2 - flare.active > 1"),
              ElementsAre("4: '-' needs number operands; 'flare.active' is a boolean"));
  EXPECT_THAT(errors_of("sensitivity < 3"),
              ElementsAre("0: '<' needs number operands; 'sensitivity' is a string"));
  EXPECT_THAT(errors_of("3 >= true"),
              ElementsAre("5: '>=' needs number operands; 'true' is a boolean"));
  EXPECT_THAT(errors_of("flare.active == 3"),
              ElementsAre("13: '==' needs operands of the same type; 'flare.active' is a "
                          "boolean, '3' is a number"));
  EXPECT_THAT(errors_of("sensitivity == 3"),
              ElementsAre("12: '==' needs operands of the same type; 'sensitivity' is a "
                          "string, '3' is a number"));
  EXPECT_THAT(errors_of("last.techniques == 'a'"),
              ElementsAre("0: '==' needs numbers, booleans or strings; 'last.techniques' is a "
                          "string list"));
  EXPECT_THAT(errors_of("(pain.current + pain.baseline + pressure_tolerance) and b.yes"),
              ElementsAre("1: 'and' needs boolean operands; 'pain.current + pain.baseline + "
                          "pressu...' is a number"));
  EXPECT_THAT(errors_of("'it' and b.yes"),
              ElementsAre("0: 'and' needs boolean operands; 'it' is a string"));
}

TEST(Checker, Membership) {
  EXPECT_THAT(errors_of("pain.current in [1, 'a']"),
              ElementsAre("20: a list cannot mix numbers and strings"));
  EXPECT_THAT(errors_of("pain.current in 3"),
              ElementsAre("16: 'in' needs a list on the right; '3' is a number"));
  EXPECT_THAT(errors_of("pain.current in last.techniques"),
              ElementsAre("0: 'in' needs a string on the left of a string list; 'pain.current' "
                          "is a number"));
  EXPECT_THAT(errors_of("'a' not in [1, 2]"),
              ElementsAre("0: 'not in' needs a number on the left of a number list; 'a' is a "
                          "string"));
  EXPECT_THAT(errors_of("pain.current in []"), ElementsAre("16: a list needs at least one item"));
  EXPECT_THAT(errors_of("3 in [pain.current]"),
              ElementsAre("6: list items must be numbers or strings; 'pain.current' is a field"));
  EXPECT_THAT(errors_of("3 in [min(1, 2)]"),
              ElementsAre("6: list items must be numbers or strings"));
  EXPECT_THAT(errors_of("[1, 2]", std::nullopt),
              ElementsAre("0: a list can only follow 'in' or 'not in'"));
  EXPECT_THAT(errors_of("min([1], 2) > 0"),
              ElementsAre("4: a list can only follow 'in' or 'not in'"));
}

TEST(Checker, Series) {
  EXPECT_THAT(errors_of("history.pressure > 3"),
              ElementsAre("0: 'history.pressure' is a history series: use it as the first "
                          "argument of a history function, e.g. avg(history.pressure, 3)"));
  EXPECT_THAT(errors_of("history.pressure", std::nullopt),
              ElementsAre("0: 'history.pressure' is a history series: use it as the first "
                          "argument of a history function, e.g. avg(history.pressure, 3)"));
  EXPECT_THAT(errors_of("avg(pain.current, 3) > 1"),
              ElementsAre("4: argument 1 of 'avg' must be a history series such as "
                          "history.pressure, got number"));
  EXPECT_THAT(errors_of("avg(3, history.pressure) > 1"),
              ElementsAre("4: argument 1 of 'avg' must be a history series such as "
                          "history.pressure, got number",
                          "7: 'history.pressure' is a history series: use it as the first "
                          "argument of a history function, e.g. avg(history.pressure, 3)"));
}

TEST(Checker, Calls) {
  EXPECT_THAT(errors_of("min(1) > 0"),
              ElementsAre("0: function 'min' takes at least 2 arguments, got 1"));
  EXPECT_THAT(errors_of("max() > 0"),
              ElementsAre("0: function 'max' takes at least 2 arguments, got 0"));
  EXPECT_THAT(errors_of("abs(1, 2) > 0"), ElementsAre("0: function 'abs' takes 1 argument, got 2"));
  EXPECT_THAT(errors_of("avg(history.pressure) > 0"),
              ElementsAre("0: function 'avg' takes 2 arguments, got 1"));
  EXPECT_THAT(errors_of("avg(history.pressure, true) > 1"),
              ElementsAre("22: argument 2 of 'avg' must be a number, got boolean"));
  EXPECT_THAT(errors_of("max(1, true, 'x') > 0"),
              ElementsAre("7: argument 2 of 'max' must be a number, got boolean",
                          "13: argument 3 of 'max' must be a number, got string"));
  EXPECT_THAT(errors_of("sessions_with('swedish', 'x') > 1"),
              ElementsAre("25: argument 2 of 'sessions_with' must be a number, got string"));
  EXPECT_THAT(errors_of("has(1)"), ElementsAre("4: argument 1 of 'has' must be a field name"));
  EXPECT_THAT(errors_of("has(nope)"), ElementsAre("4: unknown field 'nope'"));
  EXPECT_THAT(errors_of("has(sleep_quality, 1)"),
              ElementsAre("0: function 'has' takes 1 argument, got 2"));
  EXPECT_THAT(errors_of("value_or(1) > 0"),
              ElementsAre("0: function 'value_or' takes 2 arguments, got 1"));
  EXPECT_THAT(errors_of("value_or(sleep_quality, true) > 1"),
              ElementsAre("24: argument 2 of 'value_or' must be a number, got boolean"));
}

TEST(Checker, ReportsEveryErrorInOnePass) {
  EXPECT_THAT(
      errors_of("pain.curent > 3 and sensitivity == hihg or avgg(1)"),
      ElementsAre("0: unknown field 'pain.curent'; did you mean 'pain.current'?",
                  "35: unknown value 'hihg' for sensitivity; expected one of: low, moderate, "
                  "high (did you mean 'high'?)",
                  "43: unknown function 'avgg'; did you mean 'avg'?"));
  EXPECT_THAT(errors_of("pain.current + flare.active > 1 and sensitivity"),
              ElementsAre("15: '+' needs number operands; 'flare.active' is a boolean",
                          "36: 'and' needs boolean operands; 'sensitivity' is a string"));
  // No follow-up errors above a broken operand, and no result-type error.
  EXPECT_THAT(errors_of("pain.curent + 1", Type::boolean),
              ElementsAre("0: unknown field 'pain.curent'; did you mean 'pain.current'?"));
}

TEST(Checker, NumberLiterals) {
  Compiled c = compile_as("1e999 > 1", Type::boolean);
  EXPECT_FALSE(c.ok);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].offset, 0u);
}

TEST(Checker, PluginFunctionsWithNamespacedNames) {
  Catalog catalog = test_catalog();
  FunctionInfo f;
  f.name = "myofascial_release.healing_response";
  f.result = Type::boolean;
  f.call = [](const ClientState&, const void*, const Value*, std::size_t) {
    return Value::make_bool(true);
  };
  catalog.add_function(f);
  EXPECT_THAT(errors_of("myofascial_release.healing_response()", Type::boolean, catalog),
              ElementsAre());
  EXPECT_THAT(errors_of("myofascial_release.healing_response(1)", Type::boolean, catalog),
              ElementsAre("0: function 'myofascial_release.healing_response' takes no "
                          "arguments, got 1"));
  EXPECT_THAT(errors_of("myofascial_release.healing_respons()", Type::boolean, catalog),
              ElementsAre("0: unknown function 'myofascial_release.healing_respons'; did you "
                          "mean 'myofascial_release.healing_response'?"));
  // Without the call parentheses it is a field path.
  EXPECT_THAT(errors_of("myofascial_release.healing_response", Type::boolean, catalog),
              ElementsAre("0: unknown field 'myofascial_release.healing_response'"));
}

}  // namespace
}  // namespace fascia::test
