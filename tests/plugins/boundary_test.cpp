// The boundary wrappers: a plugin that throws, asks for too much pressure
// or returns parameters outside its own schema is caught and reported,
// never trusted and never allowed to crash the host.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

using detail::PluginHost;
using ::testing::ElementsAre;

class Boundary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new PluginHost;
    for (const char* c : {"adjust_throws", "pressure_above_cap", "bad_parameters"}) {
      Diagnostics d = host_->load_file(test_plugin(c));
      for (const auto& x : d) ADD_FAILURE() << x.to_string();
    }
  }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }
  static const detail::TechniqueEntry& entry(std::string_view id) {
    auto e = host_->find_technique(id);
    if (!e) throw std::runtime_error("missing technique");
    return *e;
  }
  static std::string file(const char* test_case) {
    return std::filesystem::canonical(test_plugin(test_case)).string();
  }
  static PluginHost* host_;
};
PluginHost* Boundary::host_ = nullptr;

TEST_F(Boundary, AdjustThatThrowsIsCaughtAndReported) {
  Adjusted r = run(entry("test_adjust_throws"), typical_client());
  EXPECT_FALSE(r.ok);
  // No library path: the text reaches a hold reason a therapist reads.
  EXPECT_EQ(r.error,
            "technique 'test_adjust_throws' (plugin test_adjust_throws 1.0.0) failed: lost track "
            "of the session");
}

TEST_F(Boundary, AdjustThatThrowsANonExceptionIsCaught) {
  Adjusted r = run(entry("test_adjust_throws_unknown"), typical_client());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error,
            "technique 'test_adjust_throws_unknown' (plugin test_adjust_throws 1.0.0) failed: "
            "unknown exception");
}

FunctionValue call(const detail::TechniqueEntry& e, std::string_view name, bool& failed,
                   std::string& error, std::vector<FunctionValue> args = {}) {
  for (const auto& f : e.functions)
    if (f.name == name)
      return detail::call_function(f, typical_client(), {}, args.data(), args.size(), failed,
                                   error);
  throw std::runtime_error("no such function");
}

TEST_F(Boundary, FunctionFailures) {
  const auto& e = entry("test_adjust_throws");
  bool failed = false;
  std::string error;
  EXPECT_TRUE(std::holds_alternative<std::monostate>(call(e, "fails", failed, error)));
  EXPECT_TRUE(failed);
  EXPECT_EQ(error, "function 'fails' failed: no history to look at");

  call(e, "wrong_type", failed, error);
  EXPECT_TRUE(failed);
  EXPECT_EQ(error, "function 'wrong_type' returned a string, declared to return a boolean");

  call(e, "not_finite", failed, error);
  EXPECT_TRUE(failed);
  EXPECT_EQ(error, "function 'not_finite' returned a number that is not finite");

  call(e, "fails", failed, error, {FunctionValue{true}});
  EXPECT_TRUE(failed);
  EXPECT_EQ(error, "function 'fails' takes 0 argument(s), got 1");
}

TEST_F(Boundary, FunctionArgumentTypesAreChecked) {
  PluginFunction f;
  f.name = "above";
  f.parameters = {FunctionType::number};
  f.result = FunctionType::boolean;
  f.call = [](const ClientState&, const Params&, const FunctionValue* args,
              std::size_t) -> FunctionValue { return std::get<double>(args[0]) > 3; };
  bool failed = true;
  std::string error;
  FunctionValue arg = 4.0;
  EXPECT_EQ(detail::call_function(f, typical_client(), {}, &arg, 1, failed, error),
            FunctionValue{true});
  EXPECT_FALSE(failed);
  arg = std::string("four");
  detail::call_function(f, typical_client(), {}, &arg, 1, failed, error);
  EXPECT_TRUE(failed);
  EXPECT_EQ(error, "function 'above' argument 1 must be a number, got a string");
  f.call = nullptr;
  detail::call_function(f, typical_client(), {}, &arg, 1, failed, error);
  EXPECT_EQ(error, "function 'above' has no implementation");
}

TEST_F(Boundary, PressureAboveEveryCapIsClamped) {
  const auto& e = entry("test_pressure_above_cap");
  Adjusted r = run(e, typical_client(), {}, 4);
  ASSERT_TRUE(r.ok) << r.error;
  // Asking for too much is not a schema problem: it is clamped.
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.result.pressure_max, 15);
  detail::PressureClamp clamp = detail::clamp_pressure(e, r.result, 4);
  EXPECT_TRUE(clamp.clamped());
  EXPECT_EQ(clamp.limit, 4);
  EXPECT_EQ(clamp.result_value, 15.0);
  EXPECT_EQ(clamp.parameter_value, 15.0);
  EXPECT_EQ(clamp.applied, 4);
  EXPECT_EQ(r.result.pressure_max, 15);  // the result itself is not changed
  detail::apply_clamp(clamp, r.result.parameters);
  EXPECT_EQ(as_int(r.param("pressure_max")), 4);

  // A cap above the technique's own maximum: the technique's limit (5) wins.
  Adjusted high = run(e, typical_client(), {}, 9);
  clamp = detail::clamp_pressure(e, high.result, 9);
  EXPECT_EQ(clamp.limit, 5);
  EXPECT_EQ(clamp.applied, 5);
  detail::apply_clamp(clamp, high.result.parameters);
  EXPECT_EQ(as_int(high.param("pressure_max")), 5);
}

TEST_F(Boundary, ClampFillsAndRespectsTheTechniquesOwnLimit) {
  const auto& e = entry("test_pressure_above_cap");
  // The pressure_max parameter the session gets from `result` under `cap`.
  auto clamped = [&](const TechniqueResult& result, int cap, detail::PressureClamp& clamp) {
    clamp = detail::clamp_pressure(e, result, cap);
    Params parameters = result.parameters;
    detail::apply_clamp(clamp, parameters);
    return as_int(find_param(parameters, "pressure_max"));
  };
  detail::PressureClamp clamp;
  TechniqueResult result;
  EXPECT_EQ(clamped(result, 3, clamp), 3);
  EXPECT_FALSE(clamp.clamped());

  TechniqueResult lower;
  lower.pressure_max = 2;  // the technique's own, lower limit today
  set_param(lower.parameters, "pressure_max", std::int64_t{3});
  EXPECT_EQ(clamped(lower, 4, clamp), 2);
  EXPECT_FALSE(clamp.result_value);
  EXPECT_EQ(clamp.parameter_value, 3.0);

  TechniqueResult within;
  set_param(within.parameters, "pressure_max", std::int64_t{2});
  EXPECT_EQ(clamped(within, 4, clamp), 2);
  EXPECT_FALSE(clamp.clamped());
  EXPECT_FALSE(clamp.set_parameter);

  TechniqueResult zero;
  zero.pressure_max = 0;
  EXPECT_EQ(clamped(zero, 4, clamp), 1);
  EXPECT_EQ(clamp.result_value, 0.0);
  EXPECT_EQ(clamp.applied, 1);

  TechniqueResult fractional;
  set_param(fractional.parameters, "pressure_max", 2.5);
  EXPECT_EQ(clamped(fractional, 4, clamp), 2);
  EXPECT_EQ(clamp.parameter_value, 2.5);
}

TEST_F(Boundary, ParametersOutsideTheirOwnSchemaAreReported) {
  const auto& e = entry("test_bad_parameters");
  Adjusted r = run(e, typical_client());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_THAT(r.problems,
              ElementsAre("parameter 'intensity' must be one of low, medium, got \"extreme\"",
                          "parameter 'minutes' must be at most 10, got 30",
                          "unknown parameter 'oil' (the technique declares: pressure_max, "
                          "intensity, minutes)",
                          "home-program item 'mystery' is not one of the technique's templates "
                          "(test_stretch)"));
}

TEST_F(Boundary, CheckParametersDuplicatesTypesAndRequired) {
  detail::TechniqueEntry e = entry("test_bad_parameters");
  e.parameter_schema[2].required = true;  // minutes
  TechniqueResult r;
  r.parameters = {{"pressure_max", std::string("high")},
                  {"intensity", std::string("low")},
                  {"intensity", std::string("low")}};
  EXPECT_THAT(detail::check_result(e, r),
              ElementsAre("parameter 'pressure_max' must be an integer, got \"high\"",
                          "parameter 'intensity' is given twice",
                          "required parameter 'minutes' is missing"));
}

TEST_F(Boundary, CheckResultHoldsAndAdjustments) {
  const auto& e = entry("test_bad_parameters");
  TechniqueResult hold;
  hold.hold = true;
  hold.hold_rule = "not ok";
  // A holding result is checked for its hold only: nothing else is used.
  hold.adjustments.push_back({AdjustmentKind::note, {}, "", ""});
  EXPECT_THAT(detail::check_result(e, hold),
              ElementsAre("holds itself without a reason",
                          "hold rule id 'not ok' is invalid: use letters, digits, '_', '.' and "
                          "'-' (at most 64 characters)"));
  TechniqueResult result;
  result.parameters = {{"pressure_max", std::int64_t{3}}, {"minutes", std::int64_t{5}}};
  result.adjustments.push_back({AdjustmentKind::note, {}, "fine-rule", ""});
  result.adjustments.push_back({AdjustmentKind::note, {}, "", "why"});
  result.adjustments.push_back({AdjustmentKind::pressure_cap, std::int64_t{999}, "cap", "why"});
  result.adjustments.push_back({AdjustmentKind::note, std::int64_t{3}, "valued", "why"});
  result.adjustments.push_back({AdjustmentKind::check_in, {}, "pressure-clamped", "why"});
  result.adjustments.push_back({AdjustmentKind::note, {}, "long", std::string(1001, 'x')});
  EXPECT_THAT(
      detail::check_result(e, result),
      ElementsAre("adjustment 'fine-rule' has no reason",
                  "adjustment rule id '' is invalid: use letters, digits, '_', '.' and '-' (at "
                  "most 64 characters)",
                  "adjustment 'cap' has kind 'pressure_cap', which a plugin may not emit (plugins "
                  "emit note, check_in and referral; a technique limits its pressure with "
                  "pressure_max and holds itself with hold)",
                  "adjustment 'valued' has value 3; a plugin's note carries no value or a text",
                  "adjustment rule id 'pressure-clamped' is reserved: the engine emits "
                  "'<technique>.pressure-clamped' itself; choose another id",
                  "adjustment 'long''s reason is too long (1001 bytes; the limit is 1000)"));
  // One hold reason carries them: at most eight, then how many more.
  TechniqueResult many;
  many.parameters = result.parameters;
  many.adjustments.resize(12, {AdjustmentKind::note, {}, "", "why"});
  const auto problems = detail::check_result(e, many);
  ASSERT_EQ(problems.size(), 9u);
  EXPECT_EQ(problems.back(), "and 4 more");
}

// check_result() finds each defect on its own, and nothing in a valid result.
TEST_F(Boundary, CheckResultFindsEachDefectAlone) {
  const auto& e = entry("test_bad_parameters");
  TechniqueResult valid;
  valid.parameters = {{"pressure_max", std::int64_t{3}},
                      {"intensity", std::string("low")},
                      {"minutes", std::int64_t{5}}};
  valid.adjustments.push_back({AdjustmentKind::note, {}, "a.rule-1", "why"});
  valid.home_program.push_back({"test_stretch", {}});
  std::vector<std::pair<std::string, TechniqueResult>> cases = {{"valid", valid}};
  auto with = [&](const char* name, auto change) {
    TechniqueResult r = valid;
    change(r);
    cases.emplace_back(name, std::move(r));
  };
  with("enum value", [](auto& r) { r.parameters[1].value = std::string("extreme"); });
  with("above max", [](auto& r) { r.parameters[2].value = std::int64_t{30}; });
  with("wrong type", [](auto& r) { r.parameters[2].value = true; });
  with("pressure not integer", [](auto& r) { r.parameters[0].value = 2.5; });
  with("unknown", [](auto& r) { r.parameters.push_back({"oil", true}); });
  with("twice", [](auto& r) { r.parameters.push_back(r.parameters[1]); });
  with("hold without reason", [](auto& r) { r.hold = true; });
  with("hold with bad rule", [](auto& r) {
    r.hold = true;
    r.hold_rule = "not ok";
    r.hold_reason = "why";
  });
  with("hold", [](auto& r) {
    r.hold = true;
    r.hold_rule = "ok";
    r.hold_reason = "why";
  });
  with("bad adjustment rule", [](auto& r) { r.adjustments[0].rule = "a b"; });
  with("adjustment without reason", [](auto& r) { r.adjustments[0].reason.clear(); });
  with("kind a plugin may not emit", [](auto& r) {
    r.adjustments[0].kind = AdjustmentKind::postponed;
    r.adjustments[0].value = std::int64_t{365};
  });
  with("value on a note", [](auto& r) { r.adjustments[0].value = std::int64_t{3}; });
  with("text value on a note", [](auto& r) { r.adjustments[0].value = std::string("ok"); });
  with("reserved rule", [](auto& r) { r.adjustments[0].rule = "plugin-error"; });
  with("long rule", [](auto& r) { r.adjustments[0].rule = std::string(65, 'a'); });
  with("long reason", [](auto& r) { r.adjustments[0].reason = std::string(1001, 'a'); });
  with("long warning", [](auto& r) { r.warnings.push_back(std::string(1001, 'a')); });
  with("too many adjustments", [](auto& r) { r.adjustments.resize(33, r.adjustments[0]); });
  with("reserved hold rule", [](auto& r) {
    r.hold = true;
    r.hold_rule = "invalid-parameters";
    r.hold_reason = "why";
  });
  with("undeclared item", [](auto& r) { r.home_program.push_back({"mystery", {}}); });
  with("no parameters", [](auto& r) { r.parameters.clear(); });
  detail::TechniqueEntry required = e;
  required.parameter_schema[2].required = true;  // minutes
  for (const auto& [name, r] : cases) {
    const bool fine = name == "valid" || name == "hold" || name == "text value on a note";
    EXPECT_EQ(detail::check_result(e, r).empty(), fine || name == "no parameters") << name;
    EXPECT_EQ(detail::check_result(required, r).empty(), fine) << name;
  }
}

TEST(CheckValue, EveryType) {
  auto field = [](ConfigType type) {
    ConfigField f;
    f.name = "x";
    f.type = type;
    return f;
  };
  ConfigField integer = field(ConfigType::integer);
  integer.min = 1;
  integer.max = 10;
  EXPECT_EQ(detail::check_value(integer, std::int64_t{5}), std::nullopt);
  EXPECT_EQ(detail::check_value(integer, std::int64_t{0}), "must be at least 1, got 0");
  EXPECT_EQ(detail::check_value(integer, 5.0), "must be an integer, got 5");
  EXPECT_EQ(detail::check_value(integer, ParamValue{}), "has no value");

  ConfigField number = field(ConfigType::number);
  number.max = 2.5;
  EXPECT_EQ(detail::check_value(number, std::int64_t{2}), std::nullopt);
  EXPECT_EQ(detail::check_value(number, 2.75), "must be at most 2.5, got 2.75");
  EXPECT_EQ(detail::check_value(number, std::nan("")), "must be a finite number, got nan");
  EXPECT_EQ(detail::check_value(number, true), "must be a number, got true");

  EXPECT_EQ(detail::check_value(field(ConfigType::boolean), false), std::nullopt);
  EXPECT_EQ(detail::check_value(field(ConfigType::boolean), std::string("yes")),
            "must be true or false, got \"yes\"");
  EXPECT_EQ(detail::check_value(field(ConfigType::string), std::string("any")), std::nullopt);
  EXPECT_EQ(detail::check_value(field(ConfigType::string), std::int64_t{3}),
            "must be a string, got 3");

  ConfigField enumeration = field(ConfigType::enumeration);
  enumeration.allowed = {"slow", "moderate"};
  EXPECT_EQ(detail::check_value(enumeration, std::string("slow")), std::nullopt);
  EXPECT_EQ(detail::check_value(enumeration, std::string("fast")),
            "must be one of slow, moderate, got \"fast\"");
  EXPECT_EQ(detail::check_value(enumeration, std::int64_t{3}),
            "must be one of slow, moderate, got 3");

  ConfigField list = field(ConfigType::string_list);
  EXPECT_EQ(detail::check_value(list, std::vector<std::string>{"anything"}), std::nullopt);
  list.allowed = {"a", "b"};
  EXPECT_EQ(detail::check_value(list, std::vector<std::string>{"a", "c"}),
            "may only contain a, b, got \"c\"");
  EXPECT_EQ(detail::check_value(list, std::string("a")), "must be a list of strings, got \"a\"");
}

TEST(FillDefaults, AddsOnlyMissingFieldsInSchemaOrder) {
  std::vector<ConfigField> schema(3);
  schema[0].name = "a";
  schema[0].default_value = std::int64_t{1};
  schema[1].name = "b";  // no default
  schema[2].name = "c";
  schema[2].default_value = std::string("x");
  Params p = {{"c", std::string("given")}};
  detail::fill_defaults(schema, p);
  EXPECT_EQ(p, (Params{{"c", std::string("given")}, {"a", std::int64_t{1}}}));
}

}  // namespace
}  // namespace fascia::test
