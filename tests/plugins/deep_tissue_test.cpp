#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

const detail::TechniqueEntry& dt() { return technique("deep_tissue"); }

ClientState ready_client() {
  ClientState s = typical_client();
  s.pressure_tolerance = 7;
  return s;
}

void expect_held(const Adjusted& r, const std::string& rule, const std::string& reason) {
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty());
  EXPECT_TRUE(r.result.hold);
  EXPECT_EQ(r.result.hold_rule, rule);
  EXPECT_EQ(r.result.hold_reason, reason);
  EXPECT_TRUE(r.result.parameters.empty());
}

TEST(DeepTissue, Info) {
  EXPECT_FALSE(dt().info.flare_safe);
  EXPECT_EQ(dt().info.max_pressure, 8);
  EXPECT_EQ(dt().info.default_pressure, 5);
}

TEST(DeepTissue, ReadyClientWorksWithConstantFeedback) {
  Adjusted r = run(dt(), ready_client(), {}, 7);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_FALSE(r.result.hold);
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{7}},
                                         {"constant_feedback", true},
                                         {"pace", std::string("slow")}}));
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].kind, AdjustmentKind::check_in);
  EXPECT_EQ(r.result.adjustments[0].rule, "constant-feedback");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "Deep tissue work: ask for a pressure rating throughout and ease off at any pain");
  EXPECT_EQ(as_int(run(dt(), ready_client(), {}, 10).param("pressure_max")), 8);
  Adjusted focus =
      run(dt(), ready_client(), {{"focus_areas", std::vector<std::string>{"lower_back"}}});
  EXPECT_EQ(*focus.param("focus_areas"), ParamValue{std::vector<std::string>{"lower_back"}});
}

TEST(DeepTissue, HeldDuringAFlare) {
  ClientState s = ready_client();
  s.flare.active = true;
  s.flare.severity = 3;
  s.sensitivity = Sensitivity::high;  // the flare is reported first
  expect_held(run(dt(), s), "flare",
              "Active flare (severity 3): deep tissue work can make it worse");
}

TEST(DeepTissue, HeldForHighSensitivity) {
  ClientState s = ready_client();
  s.sensitivity = Sensitivity::high;
  expect_held(run(dt(), s), "high-sensitivity",
              "High touch sensitivity: deep pressure is likely to hurt and trigger a flare");
}

TEST(DeepTissue, HeldBelowTheMinimumTolerance) {
  ClientState s = ready_client();
  s.pressure_tolerance = 5;
  expect_held(run(dt(), s), "low-tolerance",
              "Pressure tolerance 5 is below the 6 deep tissue work needs");
  EXPECT_FALSE(run(dt(), s, {{"min_tolerance", std::int64_t{5}}}).result.hold);
  s.pressure_tolerance = 6;
  EXPECT_FALSE(run(dt(), s).result.hold);
}

TEST(DeepTissue, HeldAfterAMedicationChange) {
  ClientState s = ready_client();
  s.medications_changed = true;
  expect_held(run(dt(), s), "medication-change",
              "Medications changed since the last session: confirm with the client's "
              "healthcare provider that deeper work is safe before continuing");
  EXPECT_FALSE(run(dt(), s, {{"hold_on_medication_change", false}}).result.hold);
}

TEST(DeepTissue, HeldWhenTheLastDeepSessionLeftTheClientVerySore) {
  ClientState s = ready_client();
  s.history.push_back(session("2026-11-13", {"swedish", "deep_tissue"}, 7));
  expect_held(run(dt(), s), "sore-after-last",
              "Soreness of 7/10 the day after the last deep tissue session is above 6: never "
              "push through pain");
  EXPECT_FALSE(run(dt(), s, {{"max_soreness", 7.0}}).result.hold);
  // Soreness after a session without deep work is not held against it.
  s.history.back().techniques = {"swedish"};
  EXPECT_FALSE(run(dt(), s).result.hold);
}

}  // namespace
}  // namespace fascia::test
