#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

const detail::TechniqueEntry& mfr() { return technique("myofascial_release"); }

// `count` earlier weekly sessions with MFR, the newest a week before as_of.
ClientState client_with_mfr_sessions(int count, std::optional<double> last_soreness = 2) {
  ClientState s = typical_client();
  for (int i = count; i >= 1; --i) {
    Date d = s.as_of.plus_days(-7 * i);
    s.history.push_back(session(d.to_string(), {"swedish", "myofascial_release"}, 2));
  }
  if (!s.history.empty()) s.history.back().soreness_24h = last_soreness;
  return s;
}

std::vector<std::string> rules(const Adjusted& r) {
  std::vector<std::string> out;
  for (const auto& a : r.result.adjustments) out.push_back(a.rule);
  return out;
}

TEST(MyofascialRelease, Info) {
  const auto& e = mfr();
  EXPECT_FALSE(e.info.flare_safe);
  EXPECT_EQ(e.info.max_pressure, 6);
  EXPECT_EQ(e.info.default_pressure, 3);
  ASSERT_EQ(e.home_templates.size(), 1u);
  EXPECT_EQ(e.home_templates[0].id, "self_mfr");
  EXPECT_EQ(e.home_templates[0].defaults, (Params{{"minutes_per_day", std::int64_t{5}}}));
  ASSERT_EQ(e.functions.size(), 1u);
  EXPECT_EQ(e.functions[0].name, "healing_response");
  EXPECT_TRUE(e.functions[0].parameters.empty());
  EXPECT_EQ(e.functions[0].result, FunctionType::boolean);
}

TEST(MyofascialRelease, NewClientStartsWithTheShortestHold) {
  Adjusted r = run(mfr(), typical_client(), {}, 9);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{6}},
                                         {"hold_minutes", std::int64_t{2}},
                                         {"dry_skin", true},
                                         {"lubricant", std::string("none")}}));
  ASSERT_EQ(r.result.home_program.size(), 1u);
  EXPECT_EQ(r.result.home_program[0].id, "self_mfr");
  EXPECT_EQ(r.result.home_program[0].parameters, (Params{{"minutes_per_day", std::int64_t{5}}}));
  EXPECT_TRUE(r.result.adjustments.empty());
}

TEST(MyofascialRelease, HoldsGrowOneMinuteEveryTwoSessions) {
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(1)).param("hold_minutes")), 2);
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(2)).param("hold_minutes")), 3);
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(4)).param("hold_minutes")), 4);
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(6)).param("hold_minutes")), 5);
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(20)).param("hold_minutes")), 5);  // max
  // Sessions without MFR do not count.
  ClientState s = typical_client();
  for (int i = 0; i < 6; ++i) s.history.push_back(session("2026-10-01", {"swedish"}, 1));
  EXPECT_EQ(as_int(run(mfr(), s).param("hold_minutes")), 2);
}

TEST(MyofascialRelease, ConfiguredBounds) {
  Params config = {{"hold_minutes_min", std::int64_t{3}}, {"hold_minutes_max", std::int64_t{4}}};
  EXPECT_EQ(as_int(run(mfr(), typical_client(), config).param("hold_minutes")), 3);
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(20), config).param("hold_minutes")), 4);

  Params inverted = {{"hold_minutes_min", std::int64_t{6}}, {"hold_minutes_max", std::int64_t{4}}};
  Adjusted r = run(mfr(), typical_client(), inverted);
  EXPECT_EQ(as_int(r.param("hold_minutes")), 4);
  ASSERT_EQ(r.result.warnings.size(), 1u);
  EXPECT_EQ(r.result.warnings[0],
            "hold_minutes_min 6 is above hold_minutes_max 4: using 4 minutes");
}

TEST(MyofascialRelease, SorenessAfterTheLastSessionPausesProgression) {
  Adjusted r = run(mfr(), client_with_mfr_sessions(4, 5));
  EXPECT_EQ(as_int(r.param("hold_minutes")), 3);
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].rule, "progression-paused");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "Holds stay at 3 minutes: the client was sore (5/10) the day after the last "
            "myofascial release");
  // Below the threshold: progression goes on.
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(4, 3.5)).param("hold_minutes")), 4);
  // A configured higher threshold.
  Params config = {{"soreness_threshold", 6.0}};
  EXPECT_EQ(as_int(run(mfr(), client_with_mfr_sessions(4, 5), config).param("hold_minutes")), 4);
}

TEST(MyofascialRelease, SensitiveClientsGetShorterHolds) {
  ClientState s = client_with_mfr_sessions(4);
  s.sensitivity = Sensitivity::high;
  Adjusted r = run(mfr(), s);
  EXPECT_EQ(as_int(r.param("hold_minutes")), 3);
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].reason,
            "High touch sensitivity: holds one minute shorter, 3 minutes");

  s = client_with_mfr_sessions(4);
  s.pressure_tolerance = 3;
  r = run(mfr(), s);
  EXPECT_EQ(r.result.adjustments[0].reason,
            "Low pressure tolerance (3): holds one minute shorter, 3 minutes");

  // Already at the shortest hold: nothing to shorten, nothing to report.
  s = typical_client();
  s.sensitivity = Sensitivity::high;
  r = run(mfr(), s);
  EXPECT_EQ(as_int(r.param("hold_minutes")), 2);
  EXPECT_TRUE(r.result.adjustments.empty());
}

TEST(MyofascialRelease, FlareKeepsTheShortestHold) {
  ClientState s = client_with_mfr_sessions(6, 5);
  s.flare.active = true;
  s.flare.severity = 4;
  s.sensitivity = Sensitivity::high;
  Adjusted r = run(mfr(), s);
  EXPECT_EQ(as_int(r.param("hold_minutes")), 2);
  EXPECT_EQ(rules(r),
            (std::vector<std::string>{"progression-paused", "shorter-holds", "flare-holds"}));
  EXPECT_EQ(r.result.adjustments[2].reason,
            "Active flare (severity 4): holds kept at the shortest, 2 minutes");
}

TEST(MyofascialRelease, SelfMfrHomeItemFromConfig) {
  Adjusted off = run(mfr(), typical_client(), {{"self_mfr", false}});
  EXPECT_TRUE(off.result.home_program.empty());
  Adjusted eight = run(mfr(), typical_client(), {{"self_mfr_minutes", std::int64_t{8}}});
  ASSERT_EQ(eight.result.home_program.size(), 1u);
  EXPECT_EQ(eight.result.home_program[0].parameters,
            (Params{{"minutes_per_day", std::int64_t{8}}}));
  EXPECT_TRUE(eight.problems.empty());
}

// healing_response() through the boundary wrapper, with defaults filled in.
FunctionValue healing(const ClientState& s, Params config = {}) {
  const auto& e = mfr();
  detail::fill_defaults(e.config_schema, config);
  bool failed = true;
  std::string error;
  FunctionValue v = detail::call_function(e.functions[0], s, config, nullptr, 0, failed, error);
  EXPECT_FALSE(failed) << error;
  return v;
}

ClientState sore_after_mfr(double soreness, int days_ago) {
  ClientState s = typical_client();  // pain 6, baseline 8
  s.history.push_back(session(s.as_of.plus_days(-days_ago).to_string(),
                              {"swedish", "myofascial_release"}, soreness));
  return s;
}

TEST(HealingResponse, NeedsSorenessAfterMfr) {
  EXPECT_EQ(healing(typical_client()), FunctionValue{false});  // no history
  ClientState swedish_only = typical_client();
  swedish_only.history.push_back(session("2026-11-13", {"swedish"}, 6));
  EXPECT_EQ(healing(swedish_only), FunctionValue{false});
  EXPECT_EQ(healing(sore_after_mfr(3.5, 7)), FunctionValue{false});
  EXPECT_EQ(healing(sore_after_mfr(4, 7)), FunctionValue{true});
  EXPECT_EQ(healing(sore_after_mfr(5, 7), {{"soreness_threshold", 6.0}}), FunctionValue{false});
}

TEST(HealingResponse, UnknownWithoutSoreness) {
  ClientState s = typical_client();
  s.history.push_back(session("2026-11-13", {"myofascial_release"}, std::nullopt));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(healing(s)));
}

TEST(HealingResponse, PainFarAboveBaselineIsNotAHealingResponse) {
  ClientState s = sore_after_mfr(6, 7);
  s.pain = {6, 3};
  EXPECT_EQ(healing(s), FunctionValue{false});  // 6 > 3 + 2
  s.pain = {5, 3};
  EXPECT_EQ(healing(s), FunctionValue{true});
  EXPECT_EQ(healing(s, {{"healing_pain_margin", 1.0}}), FunctionValue{false});
}

TEST(HealingResponse, AFlareSoonAfterMfrMayBeTheHealingResponse) {
  ClientState s = sore_after_mfr(6, 2);
  s.flare.active = true;
  s.flare.severity = 5;
  EXPECT_EQ(healing(s), FunctionValue{true});
  s = sore_after_mfr(6, 3);
  s.flare.active = true;
  EXPECT_EQ(healing(s), FunctionValue{false});  // outside the 2-day window: a real flare
  EXPECT_EQ(healing(s, {{"healing_window_days", std::int64_t{3}}}), FunctionValue{true});
}

}  // namespace
}  // namespace fascia::test
