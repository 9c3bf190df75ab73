#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

using Strings = std::vector<std::string>;

TEST(Swedish, Info) {
  const auto& e = technique("swedish");
  EXPECT_EQ(e.info.kind, TechniqueKind::in_session);
  EXPECT_TRUE(e.info.flare_safe);
  EXPECT_EQ(e.info.default_pressure, 3);
  EXPECT_EQ(e.info.max_pressure, 10);
  EXPECT_EQ(e.plugin->description.version, "1.0.0");
  EXPECT_TRUE(e.functions.empty());
  EXPECT_TRUE(e.home_templates.empty());
}

TEST(Swedish, DefaultsFollowTheSessionCap) {
  Adjusted r = run(technique("swedish"), typical_client(), {}, 4);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_FALSE(r.result.hold);
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{4}},
                                         {"stroke_pace", std::string("moderate")},
                                         {"strokes", Strings{"effleurage", "petrissage"}}}));
  EXPECT_TRUE(r.result.adjustments.empty());
  EXPECT_FALSE(r.result.pressure_max);  // no limit of its own below 10
}

TEST(Swedish, FlareMeansSlowEffleurageOnly) {
  ClientState s = typical_client();
  s.flare.active = true;
  s.flare.severity = 6;
  Adjusted r = run(technique("swedish"), s, {}, 3);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty());
  EXPECT_FALSE(r.result.hold);  // flare-safe
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{3}},
                                         {"stroke_pace", std::string("slow")},
                                         {"strokes", Strings{"effleurage"}}}));
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].kind, AdjustmentKind::note);
  EXPECT_EQ(r.result.adjustments[0].rule, "gentle-strokes");
  EXPECT_EQ(r.result.adjustments[0].reason,
            "Active flare (severity 6): Swedish work limited to slow effleurage");
}

TEST(Swedish, HighSensitivityMeansSlowEffleurageOnly) {
  ClientState s = typical_client();
  s.sensitivity = Sensitivity::high;
  Adjusted r = run(technique("swedish"), s);
  ASSERT_EQ(r.result.adjustments.size(), 1u);
  EXPECT_EQ(r.result.adjustments[0].reason,
            "High touch sensitivity: Swedish work limited to slow effleurage");
  EXPECT_EQ(*r.param("stroke_pace"), ParamValue{std::string("slow")});
}

TEST(Swedish, NoNoteWhenTheConfigIsAlreadyGentle) {
  ClientState s = typical_client();
  s.flare.active = true;
  Params config = {{"pace", std::string("slow")}, {"strokes", Strings{"effleurage"}}};
  Adjusted r = run(technique("swedish"), s, config);
  EXPECT_TRUE(r.result.adjustments.empty());
}

TEST(Swedish, ConfigChoosesPaceStrokesAndFocus) {
  Params config = {{"pace", std::string("slow")},
                   {"strokes", Strings{"effleurage", "vibration"}},
                   {"focus_areas", Strings{"neck", "lower_back"}}};
  Adjusted r = run(technique("swedish"), typical_client(), config, 12);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.result.parameters, (Params{{"pressure_max", std::int64_t{10}},
                                         {"stroke_pace", std::string("slow")},
                                         {"strokes", Strings{"effleurage", "vibration"}},
                                         {"focus_areas", Strings{"neck", "lower_back"}}}));
}

TEST(Swedish, ConfigSchema) {
  const auto& e = technique("swedish");
  std::vector<std::string> names;
  for (const auto& f : e.config_schema) names.push_back(f.name);
  EXPECT_THAT(names, ::testing::ElementsAre("pace", "strokes", "focus_areas"));
  EXPECT_EQ(detail::check_value(e.config_schema[1], Strings{"kneading"}),
            "may only contain effleurage, petrissage, friction, vibration, tapotement, got "
            "\"kneading\"");
}

}  // namespace
}  // namespace fascia::test
