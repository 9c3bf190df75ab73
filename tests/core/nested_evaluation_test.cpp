// A technique whose adjust() evaluates another protocol: the inner
// evaluation runs on the same thread while the outer one is in progress
// (its plugin results read, its decision record half filled), so it gets a
// scratch of its own (session_planner.cpp, evaluate()). Neither may see
// or spoil the other's: the outer plan, the inner plan and every later plan
// on the thread are what they would be without the nesting.
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <fascia/plugin_support.hpp>

#include <memory>
#include <string>
#include <thread>

namespace fascia::test {
namespace {

const std::string kFibromyalgia = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";
const std::string kClient = FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.yaml";
const std::string kFlare = FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-flare.yaml";

// The protocol test_nested evaluates inside adjust(), set before use.
std::shared_ptr<const Protocol>& inner_protocol() {
  static std::shared_ptr<const Protocol> protocol;
  return protocol;
}

// What the inner plan says, in a few words.
std::string summary(const Recommendation& r) {
  std::string out = "stage " + r.session.stage + ", cap " + std::to_string(r.session.pressure_cap);
  for (const auto& t : r.session.techniques) out += ", " + t.id;
  out += ", " + std::to_string(r.adjustments.size()) + " adjustments";
  return out;
}

void register_nested(TechniqueRegistry& registry) {
  struct Nested final : Technique {
    TechniqueInfo info() const override {
      TechniqueInfo i;
      i.id = "test_nested";
      i.display_name = "Asks another protocol";
      i.flare_safe = true;
      return i;
    }
    // Reads everything: called on every evaluation, never memoised.
    void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
      TechniqueAdjustment note;
      note.rule = "inner";
      auto inner = inner_protocol()->evaluate(context.state);
      note.reason = inner ? "inner plan: " + summary(inner.value()) : "inner plan failed";
      result.adjustments.push_back(std::move(note));
    }
  };
  registry.add(std::make_unique<Nested>());
}
FASCIA_PLUGIN_INFO(nested_plugin, "test_nested", "1.0.0", register_nested);

Engine& nested_engine() {
  static Engine engine = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    for (const auto& d : e.add_plugin(nested_plugin)) ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

// The outer protocol: the bundled stages' ids, so the example clients fit.
std::shared_ptr<const Protocol> outer_protocol() {
  auto protocol = nested_engine().parse_protocol(R"(format: 1
protocol: {id: outer, version: 1.0.0, title: Outer, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", myofascial_release: ">=1.0.0", test_nested: "*"}
observations:
  morning_stiffness_minutes: {type: integer, min: 0, max: 600, description: Minutes.}
session: {duration_minutes: 60}
stages:
  - {id: foundation, techniques: [swedish, myofascial_release, test_nested], pressure_max: 5}
  - {id: introduction, techniques: [swedish, test_nested], pressure_max: 6}
  - {id: progression, techniques: [swedish, test_nested], pressure_max: 7}
  - {id: maintenance, techniques: [swedish, test_nested], pressure_max: 7}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}, {id: biweekly, interval_days: 14},
           {id: monthly, interval_days: 28}]
)",
                                                 "outer.yaml");
  for (const auto& d : protocol.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  return protocol.value();
}

std::string inner_note(const Recommendation& r) {
  for (const auto& a : r.adjustments)
    if (a.rule == "test_nested.inner") return a.reason;
  return "(no note)";
}

TEST(NestedEvaluation, APluginEvaluatingAProtocolSeesAndSpoilsNothing) {
  inner_protocol() = nested_engine().load_protocol(kFibromyalgia).value();
  const auto outer = outer_protocol();
  const Protocol& inner = *inner_protocol();
  const ClientState client = inner.load_state(kClient).value();
  const ClientState flare = inner.load_state(kFlare).value();

  // A fresh thread: its scratch and plugin memo start empty.
  std::thread([&] {
    // The inner plans on their own, before any nesting.
    const std::string inner_client = to_json(inner.evaluate(client).value());
    const std::string inner_flare = to_json(inner.evaluate(flare).value());
    const std::string summary_client = "inner plan: " + summary(inner.evaluate(client).value());
    const std::string summary_flare = "inner plan: " + summary(inner.evaluate(flare).value());
    ASSERT_NE(summary_client, summary_flare);

    // The outer plan carries the inner plan as the plugin saw it.
    const Recommendation first = outer->evaluate(client).value();
    EXPECT_EQ(inner_note(first), summary_client);
    const Recommendation in_flare = outer->evaluate(flare).value();
    EXPECT_EQ(inner_note(in_flare), summary_flare);
    EXPECT_EQ(in_flare.session.stage, first.session.stage);

    // Nothing the nesting did leaks into later evaluations on this thread:
    // the outer plan again, through the Recommendation and the JSON paths,
    // and the inner plans directly.
    const std::string outer_json = to_json(first);
    EXPECT_EQ(to_json(outer->evaluate(client).value()), outer_json);
    std::string written;
    Diagnostics diagnostics;
    ASSERT_TRUE(outer->evaluate_json_into(client, written, diagnostics));
    EXPECT_EQ(written, outer_json);
    Recommendation reused;
    ASSERT_TRUE(outer->evaluate_into(flare, reused, diagnostics));
    ASSERT_TRUE(outer->evaluate_into(client, reused, diagnostics));
    EXPECT_EQ(to_json(reused), outer_json);
    EXPECT_EQ(to_json(inner.evaluate(client).value()), inner_client);
    EXPECT_EQ(to_json(inner.evaluate(flare).value()), inner_flare);
  }).join();

  // On another fresh thread, the first evaluation is the nested one: the
  // same bytes.
  std::string fresh;
  std::thread([&] { fresh = to_json(outer->evaluate(client).value()); }).join();
  EXPECT_EQ(fresh, to_json(outer->evaluate(client).value()));
  EXPECT_NE(fresh.find("inner plan: stage"), std::string::npos);
}

}  // namespace
}  // namespace fascia::test
