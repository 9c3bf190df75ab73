#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

const detail::TechniqueEntry& tp() { return technique("trigger_point"); }

TEST(TriggerPoint, Info) {
  EXPECT_FALSE(tp().info.flare_safe);
  EXPECT_EQ(tp().info.max_pressure, 7);
  EXPECT_EQ(tp().info.default_pressure, 4);
}

TEST(TriggerPoint, DefaultsLimitThePoints) {
  Adjusted r = run(tp(), typical_client(), {}, 5);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_FALSE(r.result.hold);
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{5}},
                                         {"max_points", std::int64_t{4}},
                                         {"hold_seconds", std::int64_t{30}}}));
  EXPECT_TRUE(r.result.adjustments.empty());
  EXPECT_EQ(as_int(run(tp(), typical_client(), {}, 10).param("pressure_max")), 7);
}

TEST(TriggerPoint, HoldsItselfDuringAFlare) {
  ClientState s = typical_client();
  s.flare.active = true;
  s.flare.severity = 7;
  Adjusted r = run(tp(), s);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty());
  EXPECT_TRUE(r.result.hold);
  EXPECT_EQ(r.result.hold_rule, "flare");
  EXPECT_EQ(r.result.hold_reason,
            "Active flare (severity 7): trigger point work waits until the flare settles");
  EXPECT_TRUE(r.result.parameters.empty());
}

TEST(TriggerPoint, HighSensitivityHalvesThePoints) {
  ClientState s = typical_client();
  s.sensitivity = Sensitivity::high;
  Adjusted r = run(tp(), s);
  EXPECT_EQ(as_int(r.param("max_points")), 2);
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].rule, "fewer-points");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "High touch sensitivity: at most 2 trigger points this session instead of 4");

  EXPECT_EQ(as_int(run(tp(), s, {{"max_points", std::int64_t{5}}}).param("max_points")), 2);
  Adjusted one = run(tp(), s, {{"max_points", std::int64_t{1}}});
  EXPECT_EQ(as_int(one.param("max_points")), 1);  // never below one
  EXPECT_TRUE(one.result.adjustments.empty());
}

TEST(TriggerPoint, ConfiguredPointsHoldAndRegions) {
  Params config = {{"max_points", std::int64_t{6}},
                   {"hold_seconds", std::int64_t{45}},
                   {"regions", std::vector<std::string>{"upper_trapezius"}}};
  Adjusted r = run(tp(), typical_client(), config, 4);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.result.parameters,
            (Params{{"pressure_max", std::int64_t{4}},
                    {"max_points", std::int64_t{6}},
                    {"hold_seconds", std::int64_t{45}},
                    {"regions", std::vector<std::string>{"upper_trapezius"}}}));
}

}  // namespace
}  // namespace fascia::test
