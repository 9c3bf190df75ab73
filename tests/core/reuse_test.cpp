// Protocol::evaluate_into() over a Recommendation that already holds another
// evaluation's content (more or fewer techniques, holds, home items,
// adjustments, warnings, a trace): the result must equal a fresh evaluate().
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fascia::test {
namespace {

const std::string kRoot = FASCIA_SOURCE_DIR;
const std::string test_plugins = FASCIA_BINARY_DIR "/lib/fascia/test-plugins/";

std::string replaced(std::string text,
                     const std::vector<std::pair<std::string, std::string>>& edits) {
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

// Evaluates every state in turn into one Recommendation, forwards then
// backwards (so each one follows a different predecessor), with and without
// a trace, and compares each result with a fresh evaluation.
void expect_reuse_matches_fresh(const Protocol& protocol, const std::vector<std::string>& states) {
  std::vector<ClientState> parsed;
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto s = protocol.parse_state(states[i], "s" + std::to_string(i) + ".yaml");
    ASSERT_TRUE(s.ok()) << s.diagnostics()[0].to_string();
    parsed.push_back(s.value());
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < parsed.size(); ++i) order.push_back(i);
  for (std::size_t i = parsed.size(); i-- > 0;) order.push_back(i);
  Recommendation reused;
  Diagnostics diagnostics;
  for (std::size_t round = 0; round < order.size(); ++round) {
    const std::size_t i = order[round];
    EvaluateOptions options;
    options.explain = round % 3 == 1;
    auto fresh = protocol.evaluate(parsed[i], options);
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(protocol.evaluate_into(parsed[i], reused, diagnostics, options));
    EXPECT_EQ(to_json(reused, true), to_json(fresh.value(), true))
        << "state " << i << " after round " << round;
  }
}

TEST(Reuse, BundledProtocolsAndExampleStates) {
  const std::string client = read_file(kRoot + "/protocols/examples/fibromyalgia-client.yaml");
  const std::vector<std::string> fibromyalgia = {
      client,
      read_file(kRoot + "/protocols/examples/fibromyalgia-flare.yaml"),
      read_file(kRoot + "/protocols/examples/new-client.yaml"),
      replaced(client, {{"stage: foundation", "stage: myofascial_introduction"}}),
      // Holds, fewer home items, shortened activities, other stages.
      // Text of the same length, other bytes: written, not kept.
      replaced(client, {{"id: C-1042", "id: C-2042"}}),
      replaced(client, {{"sensitivity: moderate", "sensitivity: high"}}),
      replaced(client, {{"medications_changed: false", "medications_changed: true"}}),
      replaced(client, {{"stage: foundation", "stage: targeted"}}),
      replaced(client, {{"stage: foundation", "stage: targeted"},
                        {"active: false", "active: true"},
                        {"severity: 0", "severity: 6"}}),
      replaced(client, {{"pressure_tolerance: 5", "pressure_tolerance: 2"}}),
  };
  auto p = bundled_engine().load_protocol(kRoot + "/protocols/fibromyalgia.yaml");
  ASSERT_TRUE(p.ok());
  expect_reuse_matches_fresh(*p.value(), fibromyalgia);

  auto low_back = bundled_engine().load_protocol(kRoot + "/protocols/chronic-low-back-pain.yaml");
  ASSERT_TRUE(low_back.ok());
  expect_reuse_matches_fresh(*low_back.value(),
                             {read_file(kRoot + "/protocols/examples/low-back-client.yaml")});
  auto course = bundled_engine().load_protocol(kRoot + "/protocols/myofascial-release-course.yaml");
  ASSERT_TRUE(course.ok());
  expect_reuse_matches_fresh(*course.value(),
                             {read_file(kRoot + "/protocols/examples/mfr-course-client.yaml")});
}

// A trace entry's rule texts are the protocol's, shared, not copied; what a
// caller changed in a reused trace (a value edited in place, another rule's
// texts) is written over by the next evaluation.
TEST(Reuse, TraceEntriesShareTheRuleTextsAndCallerEditsAreWrittenOver) {
  auto p = bundled_engine().load_protocol(kRoot + "/protocols/fibromyalgia.yaml");
  ASSERT_TRUE(p.ok());
  const Protocol& protocol = *p.value();
  auto state = protocol.load_state(kRoot + "/protocols/examples/fibromyalgia-flare.yaml").value();
  EvaluateOptions options;
  options.explain = true;
  const Recommendation fresh = protocol.evaluate(state, options).value();
  ASSERT_GE(fresh.trace.size(), 2u);
  Recommendation reused;
  Diagnostics diagnostics;
  ASSERT_TRUE(protocol.evaluate_into(state, reused, diagnostics, options));
  for (std::size_t i = 0; i < fresh.trace.size(); ++i)
    EXPECT_EQ(reused.trace[i].rule.get(), fresh.trace[i].rule.get()) << i;
  TraceEntry& edited = reused.trace[0];
  ASSERT_FALSE(edited.values.empty());
  edited.values[0][0] = '#';  // same length, other bytes
  edited.rule = reused.trace[1].rule;
  edited.detail = "edited";
  ASSERT_TRUE(protocol.evaluate_into(state, reused, diagnostics, options));
  EXPECT_EQ(to_json(reused, true), to_json(fresh, true));
}

// Plugin failures, invalid parameters and clamps leave held techniques,
// warnings and extra adjustments behind for the next evaluation to replace.
TEST(Reuse, MisbehavingPluginsBetweenOrdinaryEvaluations) {
  Engine engine(test::bundled_plugins_only());
  for (const auto& d : engine.load_plugins()) ADD_FAILURE() << d.to_string();
  for (const char* name : {"adjust_throws", "pressure_above_cap", "bad_parameters"})
    for (const auto& d :
         engine.load_plugin(test_plugins + name + "/libfascia-test_" + name + ".so"))
      ADD_FAILURE() << d.to_string();
  const std::string protocol = R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins:
  swedish: ">=1.0.0"
  myofascial_release: ">=1.0.0"
  home_program: ">=1.0.0"
  test_adjust_throws: "*"
  test_pressure_above_cap: "*"
  test_bad_parameters: "*"
techniques:
  home_program: {}
session: {duration_minutes: 60}
stages:
  - id: a
    techniques: [swedish, myofascial_release]
    pressure_max: 4
  - id: b
    techniques: [test_adjust_throws, swedish, test_bad_parameters]
    pressure_max: 4
  - id: c
    techniques: [test_pressure_above_cap]
    pressure_max: 3
  - id: d
    techniques: [test_adjust_throws]
    pressure_max: 4
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)";
  auto p = engine.parse_protocol(protocol, "p.yaml");
  for (const auto& d : p.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(p.ok());
  std::vector<std::string> states;
  for (const char* stage : {"a", "b", "c", "d"})
    states.push_back(small_state(std::string("program:\n  stage: ") + stage + "\n"));
  states.push_back(replaced(states[0], {{"active: false", "active: true"}}));
  expect_reuse_matches_fresh(*p.value(), states);
}

// Conditions that hold, fail to hold, fail to evaluate, lack a value or are
// suppressed by a healing response, each state after each other one.
TEST(Reuse, EveryOutcomeOfARuleCondition) {
  auto p = bundled_engine().parse_protocol(small_protocol(R"(pressure_caps:
  - id: cap.broken
    when: pain.current / (pain.baseline - 6) > 1
    cap: 3
    reason: "broken: {cap}"
  - id: cap.sore
    when: last.soreness_24h >= 5
    cap: 2
    reason: sore
healing_response:
  - id: heal
    when: "'myofascial_release' in last.techniques and last.soreness_24h <= 6"
    suppresses: [cap.sore]
    reason: "soreness {last.soreness_24h|not recorded} after MFR is expected"
)"),
                                           "p.yaml");
  ASSERT_TRUE(p.ok());
  const std::string base = small_state();
  auto history = [](const std::string& techniques, int soreness) {
    return "history:\n  - {date: 2026-11-13, techniques: [" + techniques +
           "], pressure: 4, soreness_24h: " + std::to_string(soreness) + "}\n";
  };
  expect_reuse_matches_fresh(
      *p.value(), {
                      base,                                                    // absent soreness
                      small_state(history("swedish", 5)),                      // sore
                      small_state(history("swedish, myofascial_release", 5)),  // suppressed
                      small_state(history("swedish", 2)),                      // not sore
                      replaced(base, {{"baseline: 6", "baseline: 4"}}),  // no division by zero
                  });
}

}  // namespace
}  // namespace fascia::test
