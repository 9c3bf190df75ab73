// Built-in functions, history functions on real histories, and plugin-style
// functions registered under namespaced names.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fascia::test {
using namespace fascia::detail;
namespace {

TEST(Functions, MinMaxAbsRound) {
  EXPECT_EQ(eval_text("min(3, 1, 2)"), "1");
  EXPECT_EQ(eval_text("max(3, 1, 2)"), "3");
  EXPECT_EQ(eval_text("min(2, -4)"), "-4");
  EXPECT_EQ(eval_text("max(1, pressure_tolerance - 2)"), "3");
  EXPECT_EQ(eval_text("min(1, n.missing)"), "absent");
  EXPECT_EQ(eval_text("max(1, n.error)"), "error");
  EXPECT_EQ(eval_text("min(n.missing, n.error)"), "error");
  EXPECT_EQ(eval_text("abs(-2.5)"), "2.5");
  EXPECT_EQ(eval_text("abs(3)"), "3");
  EXPECT_EQ(eval_text("abs(n.missing)"), "absent");
  EXPECT_EQ(eval_text("round(2.5)"), "3");
  EXPECT_EQ(eval_text("round(-2.5)"), "-3");
  EXPECT_EQ(eval_text("round(2.4)"), "2");
  EXPECT_EQ(eval_text("round(n.error)"), "error");
}

TEST(Functions, HasAndValueOr) {
  ClientState s = sample_state();
  EXPECT_EQ(eval_text("has(sleep_quality)", s), "false");
  EXPECT_EQ(eval_text("value_or(sleep_quality, 5)", s), "5");
  EXPECT_EQ(eval_text("has(pain.current)", s), "true");
  EXPECT_EQ(eval_text("has(last.pressure)", s), "true");
  EXPECT_EQ(eval_text("has(last.techniques)", s), "true");
  EXPECT_EQ(eval_text("has(history.soreness_24h)", s), "true");
  EXPECT_EQ(eval_text("has(observations.energy)", s), "false");
  EXPECT_EQ(eval_text("value_or(observations.energy, low) == low", s), "true");
  EXPECT_EQ(eval_text("value_or(n.error, 1)", s), "error");
  EXPECT_EQ(eval_text("value_or(b.unknown, true)", s), "true");
  EXPECT_EQ(eval_text("value_or(b.no, true)", s), "false");
  s.sleep_quality = 6;
  s.observations[1].value = std::string("high");
  EXPECT_EQ(eval_text("has(sleep_quality)", s), "true");
  EXPECT_EQ(eval_text("value_or(sleep_quality, 5)", s), "6");
  EXPECT_EQ(eval_text("has(observations.energy)", s), "true");
  EXPECT_EQ(eval_text("value_or(observations.energy, low) == low", s), "false");
  for (auto& e : s.history) e.soreness_24h.reset();
  EXPECT_EQ(eval_text("has(history.soreness_24h)", s), "false");
  s.history.clear();
  EXPECT_EQ(eval_text("has(last.pressure)", s), "false");
  EXPECT_EQ(eval_text("has(history.pressure)", s), "false");
}

// sample_state() history, oldest first:
//   0: pressure 4, soreness 3, pain 8 -> 6, swedish
//   1: pressure 5, soreness -, pain 7 -> 5, swedish + myofascial_release
//   2: pressure -, soreness 5, pain 7 -> -, myofascial_release
//   3: pressure 6, soreness 7, pain 6 -> 4, swedish + myofascial_release
TEST(Functions, Average) {
  EXPECT_EQ(eval_text("avg(history.pressure, 1)"), "6");
  EXPECT_EQ(eval_text("avg(history.pressure, 2)"), "5.5");  // skips the entry without one
  EXPECT_EQ(eval_text("avg(history.pressure, 3)"), "5");
  EXPECT_EQ(eval_text("avg(history.pressure, 100)"), "5");
  EXPECT_EQ(eval_text("avg(history.soreness_24h, 2)"), "6");
  EXPECT_EQ(eval_text("avg(history.pain_before, 4)"), "7");
  EXPECT_EQ(eval_text("avg(history.pain_after, 2)"), "4.5");
  EXPECT_EQ(eval_text("avg(history.pressure, 1.9)"), "6");  // whole entries
}

TEST(Functions, Trend) {
  EXPECT_EQ(eval_text("trend(history.pressure, 3)"), "0.64");  // 9/14 per session
  EXPECT_EQ(eval_text("trend(history.pain_after, 3)"), "-0.64");
  EXPECT_EQ(eval_text("trend(history.pain_before, 2)"), "-1");
  EXPECT_EQ(eval_text("trend(history.pain_before, 4)"), "-0.6");
  EXPECT_EQ(eval_text("trend(history.pressure, 1)"), "absent");  // needs two values
  EXPECT_EQ(eval_text("trend(history.pain_after, 3) < 0"), "true");
  const Value exact = eval("trend(history.pressure, 3)");
  EXPECT_DOUBLE_EQ(exact.number, 9.0 / 14.0);
}

TEST(Functions, MinMaxCountOver) {
  EXPECT_EQ(eval_text("min_over(history.pressure, 2)"), "5");
  EXPECT_EQ(eval_text("max_over(history.pressure, 3)"), "6");
  EXPECT_EQ(eval_text("min_over(history.pain_before, 4)"), "6");
  EXPECT_EQ(eval_text("max_over(history.pain_before, 4)"), "8");
  EXPECT_EQ(eval_text("count_at_least(history.pressure, 3, 5)"), "2");
  EXPECT_EQ(eval_text("count_at_least(history.soreness_24h, 10, 5)"), "2");
  EXPECT_EQ(eval_text("count_at_least(history.soreness_24h, 10, 8)"), "0");
  EXPECT_EQ(eval_text("count_at_least(history.soreness_24h, 10, n.missing)"), "absent");
  EXPECT_EQ(eval_text("count_at_least(history.soreness_24h, n.error, 1)"), "error");
}

TEST(Functions, SessionsWith) {
  EXPECT_EQ(eval_text("sessions_with('swedish', 2)"), "1");
  EXPECT_EQ(eval_text("sessions_with('swedish', 4)"), "3");
  EXPECT_EQ(eval_text("sessions_with('myofascial_release', 10)"), "3");
  EXPECT_EQ(eval_text("sessions_with('deep_tissue', 3)"), "0");
  EXPECT_EQ(eval_text("sessions_with('swedish', 0)"), "error");
  EXPECT_EQ(eval_text("sessions_with('swedish', n.missing)"), "absent");
}

TEST(Functions, EntryCountBelowOneIsAnError) {
  for (const char* text :
       {"avg(history.pressure, 0)", "avg(history.pressure, -1)", "trend(history.pressure, 0.5)",
        "min_over(history.pressure, 0)", "max_over(history.pressure, -3)",
        "count_at_least(history.pressure, 0, 1)"})
    EXPECT_EQ(eval_text(text), "error") << text;
  EXPECT_EQ(eval_text("avg(history.pressure, n.missing)"), "absent");
  EXPECT_EQ(eval_text("avg(history.pressure, n.error)"), "error");
}

TEST(Functions, HistoryFunctionsWithoutValues) {
  ClientState s = sample_state();
  for (auto& e : s.history) e.soreness_24h.reset();
  EXPECT_EQ(eval_text("avg(history.soreness_24h, 3)", s), "absent");
  EXPECT_EQ(eval_text("avg(history.soreness_24h, 3) >= 6", s), "absent");
  EXPECT_EQ(eval_text("max_over(history.soreness_24h, 3)", s), "absent");
  EXPECT_EQ(eval_text("count_at_least(history.soreness_24h, 3, 1)", s), "absent");
  s.history.clear();
  EXPECT_EQ(eval_text("avg(history.pressure, 3)", s), "absent");
  EXPECT_EQ(eval_text("trend(history.pressure, 3)", s), "absent");
  EXPECT_EQ(eval_text("min_over(history.pressure, 3)", s), "absent");
  EXPECT_EQ(eval_text("sessions_with('swedish', 3)", s), "0");
  EXPECT_EQ(eval_text("avg(history.pressure, 0)", s), "error");
}

// Plugin functions as the engine registers them: namespaced names, a user
// pointer, raw argument values.
struct Answer {
  bool healing = true;
};

Catalog plugin_catalog() {
  Catalog catalog = test_catalog();
  static const Answer answer;
  FunctionInfo healing;
  healing.name = "myofascial_release.healing_response";
  healing.result = Type::boolean;
  healing.user = &answer;
  healing.call = [](const ClientState&, const void* user, const Value*, std::size_t) {
    return Value::make_bool(static_cast<const Answer*>(user)->healing);
  };
  catalog.add_function(healing);

  FunctionInfo score;
  score.name = "trigger_point.score";
  score.parameters = {Type::number, Type::string};
  score.result = Type::number;
  score.call = [](const ClientState& state, const void*, const Value* args, std::size_t) {
    if (!args[0].is_known() || !args[1].is_known()) return Value::make_missing();
    return Value::make_number(args[0].number * 2 + state.pain.current +
                              static_cast<double>(args[1].string.size()));
  };
  catalog.add_function(score);

  FunctionInfo throws;
  throws.name = "broken.throws";
  throws.result = Type::boolean;
  throws.call = [](const ClientState&, const void*, const Value*, std::size_t) -> Value {
    throw std::runtime_error("plugin bug");
  };
  catalog.add_function(throws);

  FunctionInfo wrong_kind;
  wrong_kind.name = "broken.wrong_kind";
  wrong_kind.result = Type::boolean;
  wrong_kind.call = [](const ClientState&, const void*, const Value*, std::size_t) {
    return Value::make_number(1);
  };
  catalog.add_function(wrong_kind);
  return catalog;
}

TEST(Functions, PluginFunctions) {
  const Catalog catalog = plugin_catalog();
  const ClientState s = sample_state();
  EXPECT_EQ(eval_text("myofascial_release.healing_response()", s, catalog), "true");
  EXPECT_EQ(eval_text("myofascial_release.healing_response() and not flare.active", s, catalog),
            "true");
  EXPECT_EQ(eval_text("trigger_point.score(2, 'abc')", s, catalog), "13");
  EXPECT_EQ(eval_text("trigger_point.score(n.missing, 'abc')", s, catalog), "absent");
  EXPECT_EQ(eval_text("broken.throws()", s, catalog), "error");
  EXPECT_EQ(eval_text("broken.throws() or b.yes", s, catalog), "true");
  EXPECT_EQ(eval_text("broken.wrong_kind()", s, catalog), "error");
  EXPECT_EQ(errors_of("trigger_point.score(2, 3) > 1", Type::boolean, catalog),
            std::vector<std::string>{
                "23: argument 2 of 'trigger_point.score' must be a string, got number"});
}

}  // namespace
}  // namespace fascia::test
