#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

using Strings = std::vector<std::string>;

const detail::TechniqueEntry& home() { return technique("home_program"); }

std::vector<std::string> ids(const Adjusted& r) {
  std::vector<std::string> out;
  for (const auto& item : r.result.home_program) out.push_back(item.id);
  return out;
}

const Params& item(const Adjusted& r, std::string_view id) {
  for (const auto& i : r.result.home_program)
    if (i.id == id) return i.parameters;
  throw std::runtime_error("no item " + std::string(id));
}

TEST(HomeProgram, InfoAndTemplates) {
  EXPECT_EQ(home().info.kind, TechniqueKind::home);
  EXPECT_TRUE(home().info.flare_safe);
  std::vector<std::string> templates;
  for (const auto& t : home().home_templates) templates.push_back(t.id);
  // self_mfr belongs to the myofascial_release plugin.
  EXPECT_THAT(templates, ::testing::ElementsAre("foam_roller", "massage_ball", "gentle_stretching",
                                                "short_walks", "hydration", "symptom_journal",
                                                "posture_breaks"));
}

TEST(HomeProgram, DefaultItems) {
  Adjusted r = run(home(), typical_client());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_TRUE(r.result.parameters.empty());
  EXPECT_THAT(ids(r), ::testing::ElementsAre("gentle_stretching", "short_walks", "hydration",
                                             "symptom_journal"));
  EXPECT_EQ(item(r, "gentle_stretching"), (Params{{"minutes_per_day", std::int64_t{10}}}));
  EXPECT_EQ(item(r, "short_walks"), (Params{{"minutes_per_day", std::int64_t{10}}}));
  EXPECT_TRUE(item(r, "hydration").empty());
  EXPECT_EQ(item(r, "symptom_journal"), (Params{{"entries_per_day", std::int64_t{1}},
                                                {"fields", Strings{"pain", "sleep", "mood"}}}));
  EXPECT_TRUE(r.result.adjustments.empty());
}

TEST(HomeProgram, ConfiguredItemsAlwaysWithTheJournal) {
  Adjusted r = run(home(), typical_client(),
                   {{"items", Strings{"foam_roller", "posture_breaks", "foam_roller"}}});
  EXPECT_TRUE(r.problems.empty());
  EXPECT_THAT(ids(r), ::testing::ElementsAre("foam_roller", "posture_breaks", "symptom_journal"));
  EXPECT_EQ(item(r, "foam_roller"), (Params{{"minutes_per_day", std::int64_t{5}}}));
  EXPECT_EQ(item(r, "posture_breaks"), (Params{{"every_minutes", std::int64_t{45}}}));
  Adjusted empty = run(home(), typical_client(), {{"items", Strings{}}});
  EXPECT_THAT(ids(empty), ::testing::ElementsAre("symptom_journal"));
}

TEST(HomeProgram, FlareKeepsOnlyGentleItems) {
  ClientState s = typical_client();
  s.flare.active = true;
  s.flare.severity = 6;
  Params config = {{"items", Strings{"foam_roller", "massage_ball", "gentle_stretching",
                                     "short_walks", "hydration"}}};
  Adjusted r = run(home(), s, config);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_THAT(ids(r), ::testing::ElementsAre("gentle_stretching", "short_walks", "hydration",
                                             "symptom_journal"));
  EXPECT_EQ(item(r, "gentle_stretching"), (Params{{"minutes_per_day", std::int64_t{5}}}));
  EXPECT_EQ(item(r, "short_walks"), (Params{{"minutes_per_day", std::int64_t{5}}}));
  ASSERT_EQ(r.result.adjustments.size(), 2u);
  EXPECT_EQ(r.result.adjustments[0].rule, "flare-no-pressure-tools");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "Active flare (severity 6): foam_roller, massage_ball left out of the home program");
  EXPECT_EQ(r.result.adjustments[1].rule, "flare-shorter-activity");
  EXPECT_EQ(r.result.adjustments[1].reason,
            "Active flare (severity 6): gentle_stretching, short_walks halved for now");
}

TEST(HomeProgram, HighSensitivityLeavesOutPressureTools) {
  ClientState s = typical_client();
  s.sensitivity = Sensitivity::high;
  Adjusted r = run(home(), s, {{"items", Strings{"massage_ball", "short_walks"}}});
  EXPECT_THAT(ids(r), ::testing::ElementsAre("short_walks", "symptom_journal"));
  EXPECT_EQ(item(r, "short_walks"), (Params{{"minutes_per_day", std::int64_t{10}}}));
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].rule, "sensitivity-no-pressure-tools");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "High touch sensitivity: massage_ball left out of the home program");
}

TEST(HomeProgram, UnknownItemsAreRefusedByTheSchema) {
  EXPECT_EQ(detail::check_value(home().config_schema[0], Strings{"sauna"}),
            "may only contain foam_roller, massage_ball, gentle_stretching, short_walks, "
            "hydration, symptom_journal, posture_breaks, got \"sauna\"");
  EXPECT_EQ(detail::check_value(home().config_schema[0], Strings{"self_mfr"}),
            "may only contain foam_roller, massage_ball, gentle_stretching, short_walks, "
            "hydration, symptom_journal, posture_breaks, got \"self_mfr\"");
}

}  // namespace
}  // namespace fascia::test
