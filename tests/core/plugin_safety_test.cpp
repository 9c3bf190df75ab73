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
    for (const char* name : {"adjust_throws", "pressure_above_cap", "bad_parameters", "bad_output"})
      for (const auto& d : e.load_plugin(kTestPlugins + name + "/libfascia-test_" + name + ".so"))
        ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

std::shared_ptr<const Protocol> protocol_with(const std::string& technique,
                                              const std::string& plugin) {
  const std::string protocol = R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins:
  swedish: ">=1.0.0"
  )" + plugin + R"(: "*"
session: {duration_minutes: 60}
stages:
  - id: only
    techniques: [swedish, )" + technique +
                               R"(]
    pressure_max: 4
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)";
  auto p = engine_with_bad_plugins().parse_protocol(protocol, "p.yaml");
  for (const auto& d : p.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  return p.value();
}

Recommendation evaluate_with(const std::string& technique, const std::string& plugin) {
  auto p = protocol_with(technique, plugin);
  auto state = p->parse_state(small_state(), "s.yaml");
  auto r = p->evaluate(state.value());
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

// The plugin's result is memoised and used in place: the second evaluation
// sees what the plugin asked for, not the first one's clamped value.
TEST(PluginSafety, TheClampLeavesTheMemoisedResultAsThePluginGaveIt) {
  auto p = protocol_with("test_pressure_above_cap", "test_pressure_above_cap");
  const ClientState state = p->parse_state(small_state(), "s.yaml").value();
  const std::string first = to_json(p->evaluate(state).value());
  EXPECT_THAT(first, HasSubstr("asked for pressure 15"));
  EXPECT_EQ(to_json(p->evaluate(state).value()), first);
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

// Plugin output a protocol rule could never carry (issue 11): on main each
// of these reached the recommendation as is.
TEST(PluginSafety, AdjustmentKindsReservedToTheProtocolHoldTheTechnique) {
  for (const std::string id : {"test_emits_cap", "test_emits_postpone", "test_reserved_rule"}) {
    const auto r = evaluate_with(id, "test_bad_output");
    const auto* h = held(r, id);
    ASSERT_NE(h, nullptr) << id;
    EXPECT_EQ(h->rule, id + ".invalid-parameters");
    for (const auto& a : r.adjustments) {
      EXPECT_NE(a.rule, id + ".cap");
      EXPECT_NE(a.rule, id + ".postpone");
      EXPECT_NE(a.rule, id + ".pressure-clamped");
      if (a.kind == AdjustmentKind::pressure_cap)
        EXPECT_LE(std::get<std::int64_t>(a.value), 10) << a.rule;
    }
    EXPECT_EQ(r.session.postpone_days, 0);
    EXPECT_EQ(r.session.pressure_cap, 4);
  }
  const auto r = evaluate_with("test_emits_cap", "test_bad_output");
  EXPECT_THAT(held(r, "test_emits_cap")->reason,
              HasSubstr("adjustment 'cap' has kind 'pressure_cap', which a plugin may not emit"));
}

TEST(PluginSafety, HoldWithAnInvalidRuleIdIsCheckedToo) {
  const auto r = evaluate_with("test_bad_hold_id", "test_bad_output");
  const auto* h = held(r, "test_bad_hold_id");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->rule, "test_bad_hold_id.invalid-parameters");
  EXPECT_THAT(h->reason, HasSubstr("hold rule id 'bad rule id!' is invalid"));
  for (const auto& x : r.held_techniques) EXPECT_EQ(x.rule.find(' '), std::string::npos);
}

TEST(PluginSafety, NegativePressureIsRaisedToOneAndTheReasonSaysSo) {
  const auto r = evaluate_with("test_negative_pressure", "test_bad_output");
  bool recorded = false;
  for (const auto& a : r.adjustments)
    if (a.rule == "test_negative_pressure.pressure-clamped") {
      recorded = true;
      EXPECT_EQ(a.value, ParamValue(std::int64_t{1}));
      EXPECT_EQ(a.reason,
                "Bad output (test_negative_pressure) plugin asked for pressure -3, below the "
                "minimum 1; set to 1");
    }
  EXPECT_TRUE(recorded);
  for (const auto& t : r.session.techniques)
    if (t.id == "test_negative_pressure")
      EXPECT_EQ(*find_param(t.parameters, "pressure_max"), ParamValue(std::int64_t{1}));
}

TEST(PluginSafety, HeldReasonNamesNoLibraryPath) {
  const auto r = evaluate_with("test_adjust_throws", "test_adjust_throws");
  for (const auto& h : r.held_techniques) EXPECT_EQ(h.reason.find(".so"), std::string::npos);
}

}  // namespace
}  // namespace fascia::test
