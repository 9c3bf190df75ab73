// Misbehaving plugins inside a real evaluation: the engine holds the
// technique with a reason and a warning, or clamps what it asked for; it
// never crashes and never lets pressure exceed the cap.
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

const std::string kTestPlugins = FASCIA_BINARY_DIR "/lib/fascia/test-plugins/";

Engine& engine_with_bad_plugins() {
  static Engine engine = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    for (const char* name : {"adjust_throws", "pressure_above_cap", "bad_parameters"})
      for (const auto& d : e.load_plugin(kTestPlugins + name + "/libfascia-test_" + name + ".so"))
        ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

Recommendation evaluate_with(const std::string& technique, const std::string& plugin) {
  const std::string protocol = R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins:
  swedish: ">=1.0.0"
  )" + plugin + R"(: "*"
session: {duration_minutes: 60}
stages:
  - id: only
    techniques: [swedish, )" + technique + R"(]
    pressure_max: 4
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)";
  auto p = engine_with_bad_plugins().parse_protocol(protocol, "p.yaml");
  for (const auto& d : p.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  auto state = p.value()->parse_state(small_state(), "s.yaml");
  auto r = p.value()->evaluate(state.value());
  EXPECT_TRUE(r.ok());
  return r.value();
}

const HeldTechnique* held(const Recommendation& r, const std::string& id) {
  for (const auto& h : r.held_techniques)
    if (h.id == id) return &h;
  return nullptr;
}

TEST(PluginSafety, ThrowingAdjustHoldsTheTechniqueWithAReasonAndAWarning) {
  const auto r = evaluate_with("test_adjust_throws", "test_adjust_throws");
  ASSERT_EQ(r.session.techniques.size(), 1u);
  EXPECT_EQ(r.session.techniques[0].id, "swedish");
  const auto* h = held(r, "test_adjust_throws");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->rule, "test_adjust_throws.plugin-error");
  EXPECT_THAT(h->reason, HasSubstr("lost track of the session"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("technique held to be safe"));
}

TEST(PluginSafety, PressureAboveTheCapIsClampedAndRecorded) {
  const auto r = evaluate_with("test_pressure_above_cap", "test_pressure_above_cap");
  EXPECT_EQ(r.session.pressure_cap, 4);
  for (const auto& t : r.session.techniques)
    EXPECT_LE(std::get<std::int64_t>(*find_param(t.parameters, "pressure_max")), 4) << t.id;
  bool recorded = false;
  for (const auto& a : r.adjustments)
    if (a.rule == "test_pressure_above_cap.pressure-clamped") {
      recorded = true;
      EXPECT_THAT(a.reason, HasSubstr("asked for pressure 15"));
      EXPECT_THAT(a.reason, HasSubstr("clamped to 4"));
    }
  EXPECT_TRUE(recorded);
}

TEST(PluginSafety, ParametersOutsideTheirSchemaHoldTheTechnique) {
  const auto r = evaluate_with("test_bad_parameters", "test_bad_parameters");
  const auto* h = held(r, "test_bad_parameters");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->rule, "test_bad_parameters.invalid-parameters");
  EXPECT_THAT(h->reason, HasSubstr("oil"));
  EXPECT_EQ(r.session.techniques.size(), 1u);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_THAT(r.warnings[0], HasSubstr("returned invalid parameters"));
}

}  // namespace
}  // namespace fascia::test
