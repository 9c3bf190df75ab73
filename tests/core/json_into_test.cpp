// Protocol::evaluate_json_into() writes the contract JSON straight from the
// decision record: its bytes must be those of to_json(evaluate()) for the
// golden cases, flares, red flags, misbehaving plugins and thousands of
// varied states, with and without the trace, into a reused buffer.
#include "../../tools/bench/state_maker.hpp"
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace fascia::test {
namespace {

const std::string root = FASCIA_SOURCE_DIR;
const std::string test_plugins = FASCIA_BINARY_DIR "/lib/fascia/test-plugins/";

// The bundled plugins and the named test plugins (tests/plugins/bad), every
// load problem a test failure.
void load_plugins_with_test_plugins(Engine& engine, std::initializer_list<const char*> names) {
  for (const auto& d : engine.load_plugins()) ADD_FAILURE() << d.to_string();
  for (const char* name : names)
    for (const auto& d :
         engine.load_plugin(test_plugins + name + "/libfascia-test_" + name + ".so"))
      ADD_FAILURE() << d.to_string();
}

// Each state, with and without the trace, appended to one buffer that
// keeps what earlier states wrote.
void expect_same_json(const Protocol& protocol, const std::vector<std::string>& states) {
  std::string out = "kept";
  Diagnostics diagnostics;
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto state = protocol.parse_state(states[i], "s" + std::to_string(i) + ".yaml");
    ASSERT_TRUE(state.ok()) << state.diagnostics()[0].to_string();
    for (const bool explain : {false, true}) {
      EvaluateOptions options;
      options.explain = explain;
      auto fresh = protocol.evaluate(state.value(), options);
      ASSERT_TRUE(fresh.ok());
      const std::size_t start = out.size();
      ASSERT_TRUE(protocol.evaluate_json_into(state.value(), out, diagnostics, options));
      EXPECT_TRUE(diagnostics.empty());
      ASSERT_EQ(out.substr(start), to_json(fresh.value())) << "state " << i << " " << explain;
    }
  }
  EXPECT_EQ(out.substr(0, 4), "kept");
}

std::shared_ptr<const Protocol> load(const std::string& file) {
  auto p = bundled_engine().load_protocol(root + "/protocols/" + file);
  EXPECT_TRUE(p.ok()) << file;
  return p ? p.value() : nullptr;
}

TEST(JsonInto, GoldenCasesFlaresAndExampleStates) {
  const std::string client = read_file(root + "/protocols/examples/fibromyalgia-client.yaml");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = client;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
  };
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  expect_same_json(*fibromyalgia,
                   {client, read_file(root + "/protocols/examples/fibromyalgia-client.json"),
                    read_file(root + "/protocols/examples/fibromyalgia-flare.yaml"),
                    read_file(root + "/protocols/examples/new-client.yaml"),
                    with("sensitivity: moderate", "sensitivity: high"),
                    with("medications_changed: false", "medications_changed: true"),
                    with("stage: foundation", "stage: targeted"),
                    with("pressure_tolerance: 5", "pressure_tolerance: 2")});
  auto low_back = load("chronic-low-back-pain.yaml");
  ASSERT_TRUE(low_back);
  expect_same_json(*low_back, {read_file(root + "/protocols/examples/low-back-client.yaml")});
  auto course = load("myofascial-release-course.yaml");
  ASSERT_TRUE(course);
  expect_same_json(*course, {read_file(root + "/protocols/examples/mfr-course-client.yaml")});
}

// The members that depend only on the protocol (format to plugins) are
// rendered once per protocol and thread, then copied: protocols taking turns
// on one thread each get their own.
TEST(JsonInto, ProtocolsTakingTurnsOnOneThreadEachWriteTheirOwnHead) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  auto low_back = load("chronic-low-back-pain.yaml");
  ASSERT_TRUE(fibromyalgia && low_back);
  const std::string client = read_file(root + "/protocols/examples/fibromyalgia-client.yaml");
  const std::string low_back_client = read_file(root + "/protocols/examples/low-back-client.yaml");
  for (int round = 0; round < 2; ++round) {
    expect_same_json(*fibromyalgia, {client});
    expect_same_json(*low_back, {low_back_client});
  }
  auto reloaded = load("fibromyalgia.yaml");  // another model, the same text
  ASSERT_TRUE(reloaded);
  expect_same_json(*reloaded, {client});
}

// A rule whose reason has no placeholders and that makes two adjustments:
// the second repeats the first one's reason in both forms.
TEST(JsonInto, ARulesSecondAdjustmentRepeatsItsConstantReason) {
  std::string text = read_file(root + "/protocols/fibromyalgia.yaml");
  const std::string rule = "  - id: general.rate-pressure\n    when: true\n";
  const auto at = text.find(rule);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + rule.size(), "    duration_minutes: 50\n");
  auto protocol = bundled_engine().parse_protocol(text, "fibromyalgia.yaml");
  ASSERT_TRUE(protocol.ok());
  const std::string client = read_file(root + "/protocols/examples/fibromyalgia-client.yaml");
  expect_same_json(*protocol.value(), {client});
  const auto r =
      protocol.value()->evaluate(protocol.value()->parse_state(client, "c.yaml").value());
  int repeated = 0;
  for (const auto& a : r.value().adjustments)
    if (a.rule == "general.rate-pressure") {
      EXPECT_EQ(a.reason, "Pressure follows the client's own rating in every session");
      ++repeated;
    }
  EXPECT_EQ(repeated, 2);
}

TEST(JsonInto, VariedStates) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  bench::StateMaker maker;
  std::vector<std::string> states;
  for (int n = 1; n <= 600; ++n) states.push_back(maker.next(n));
  expect_same_json(*fibromyalgia, states);
}

// Protocol::parse_state_into() over one reused ClientState (fascia batch):
// each state reads as a fresh parse_state() gives it, whatever the state
// before it held (history, observations, program), a YAML state included;
// a bad state fails and the next one is read whole.
TEST(ParseStateInto, AReusedStateReadsAsAFreshOne) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  const std::string minimal =
      R"({"client":{"id":"C-9","condition":"fibromyalgia"},"as_of":"2026-06-01",)"
      R"("pain":{"current":5,"baseline":6},"sensitivity":"low","pressure_tolerance":4,)"
      R"("flare":{"active":false}})";
  bench::StateMaker maker;
  std::vector<std::string> states;
  for (int n = 1; n <= 200; ++n) {
    states.push_back(maker.next(n));
    if (n % 7 == 0) states.push_back(minimal);
    if (n % 50 == 0)
      states.push_back(read_file(root + "/protocols/examples/fibromyalgia-client.yaml"));
  }
  ClientState reused;
  Diagnostics diagnostics;
  EvaluateOptions explain;
  explain.explain = true;  // the trace shows the values each rule read
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto fresh = fibromyalgia->parse_state(states[i], "s.json");
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(fibromyalgia->parse_state_into(states[i], "s.json", reused, diagnostics)) << i;
    EXPECT_EQ(reused.history.size(), fresh.value().history.size()) << i;
    EXPECT_EQ(reused.program.stage, fresh.value().program.stage) << i;
    EXPECT_EQ(reused.sleep_quality, fresh.value().sleep_quality) << i;
    ASSERT_EQ(reused.observations.size(), fresh.value().observations.size()) << i;
    for (std::size_t k = 0; k < reused.observations.size(); ++k)
      EXPECT_EQ(reused.observations[k].value, fresh.value().observations[k].value) << i;
    ASSERT_EQ(to_json(fibromyalgia->evaluate(reused, explain).value()),
              to_json(fibromyalgia->evaluate(fresh.value(), explain).value()))
        << "state " << i;
  }
  EXPECT_FALSE(fibromyalgia->parse_state_into(R"({"client": 1})", "bad.json", reused, diagnostics));
  EXPECT_TRUE(has_errors(diagnostics));
  ASSERT_TRUE(fibromyalgia->parse_state_into(minimal, "s.json", reused, diagnostics));
  EXPECT_FALSE(has_errors(diagnostics));
  EXPECT_EQ(reused.client_id, "C-9");
  EXPECT_TRUE(reused.history.empty());
}

// A client state up to its history, for the history tests below.
const std::string history_state_head =
    R"({"client":{"id":"C-9","condition":"fibromyalgia"},"as_of":"2026-06-01",)"
    R"("pain":{"current":5,"baseline":6},"sensitivity":"low","pressure_tolerance":4,)"
    R"("flare":{"active":false},"history":)";

// The history entries of a reused state are read over (their buffers kept):
// an entry without a member, or with fewer techniques, has nothing left of
// the entry read there before; a shorter history drops the rest.
TEST(ParseStateInto, HistoryEntriesReadOverAReusedStateKeepNothingOfIt) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  const std::string head = history_state_head;
  const std::string full =
      R"({"date":"2026-05-01","techniques":["myofascial_release","trigger_point"],"pressure":6,)"
      R"("soreness_24h":3,"pain_before":5,"pain_after":4,"stage":"targeted"})";
  const std::string states[] = {
      head + "[" + full + "," + full + "," + full + "]}",
      head + R"([{"date":"2026-05-02","techniques":["swedish"]},{"date":"2026-05-03"}]})",
      head + "[" + full + "," + full + "]}",
      head + R"([{"date":"2026-05-04","techniques":[]}]})",
      head + "[]}",
      head + "[" + full + "]}",
  };
  ClientState reused;
  Diagnostics diagnostics;
  for (std::size_t i = 0; i < std::size(states); ++i) {
    auto fresh = fibromyalgia->parse_state(states[i], "s.json");
    ASSERT_TRUE(fresh.ok()) << i;
    ASSERT_TRUE(fibromyalgia->parse_state_into(states[i], "s.json", reused, diagnostics)) << i;
    const auto& want = fresh.value().history;
    ASSERT_EQ(reused.history.size(), want.size()) << i;
    for (std::size_t k = 0; k < want.size(); ++k) {
      const HistoryEntry& got = reused.history[k];
      EXPECT_EQ(got.date, want[k].date) << i << ' ' << k;
      EXPECT_EQ(got.techniques, want[k].techniques) << i << ' ' << k;
      EXPECT_EQ(got.pressure, want[k].pressure) << i << ' ' << k;
      EXPECT_EQ(got.soreness_24h, want[k].soreness_24h) << i << ' ' << k;
      EXPECT_EQ(got.pain_before, want[k].pain_before) << i << ' ' << k;
      EXPECT_EQ(got.pain_after, want[k].pain_after) << i << ' ' << k;
      EXPECT_EQ(got.stage, want[k].stage) << i << ' ' << k;
    }
  }
}

// The technique lists of the entries a state drops are kept for the
// thread's next new entries (core/state_json_history.cpp): another state's
// entries read into them hold their own techniques, or none, only.
TEST(ParseStateInto, NewEntriesKeepNothingOfTheListsAnotherStateDropped) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  const std::string head = history_state_head;
  const std::string full =
      R"({"date":"2026-05-01","techniques":["myofascial_release","trigger_point"]})";
  ClientState dropping, other;
  Diagnostics diagnostics;
  ASSERT_TRUE(fibromyalgia->parse_state_into(head + "[" + full + "," + full + "," + full + "]}",
                                             "s.json", dropping, diagnostics));
  ASSERT_TRUE(fibromyalgia->parse_state_into(head + "[]}", "s.json", dropping, diagnostics));
  ASSERT_TRUE(fibromyalgia->parse_state_into(
      head + R"([{"date":"2026-05-02"},{"date":"2026-05-03","techniques":["swedish"]},)"
             R"({"date":"2026-05-04","techniques":[]}]})",
      "s.json", other, diagnostics));
  ASSERT_EQ(other.history.size(), 3u);
  EXPECT_TRUE(other.history[0].techniques.empty());
  EXPECT_EQ(other.history[1].techniques, std::vector<std::string>{"swedish"});
  EXPECT_TRUE(other.history[2].techniques.empty());
  EXPECT_TRUE(dropping.history.empty());
}

// A red flag holds an advance, an added technique and a taper (their
// reasons are built while deciding); a healing response beside a flare.
TEST(JsonInto, RedFlagsAndFloors) {
  auto p = bundled_engine().parse_protocol(small_protocol(R"(rules:
  - id: r.refer
    when: pain.current >= pain.baseline + 3
    refer: physician
    reason: "Pain {pain.current}: refer"
  - id: r.add
    when: pressure_tolerance >= 7
    add_techniques: [trigger_point]
    reason: add
)"),
                                           "p.yaml");
  ASSERT_TRUE(p.ok()) << p.diagnostics()[0].to_string();
  expect_same_json(*p.value(), {small_state(), R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program: {sessions_completed: 3, sessions_in_stage: 3, weeks_in_program: 12}
pain: {current: 9, baseline: 5}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: true, severity: 6}
)"});
}

// Conditions that fail to evaluate, lack a value or are suppressed by a
// healing response (the trace's details).
TEST(JsonInto, EveryOutcomeOfARuleCondition) {
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
  auto history = [](const std::string& techniques, int soreness) {
    return "history:\n  - {date: 2026-11-13, techniques: [" + techniques +
           "], pressure: 4, soreness_24h: " + std::to_string(soreness) + "}\n";
  };
  expect_same_json(*p.value(), {small_state(), small_state(history("swedish", 5)),
                                small_state(history("swedish, myofascial_release", 5))});
}

// Failing plugins, invalid parameters and clamped pressures: holds,
// warnings and adjustments written from the plugins' results.
TEST(JsonInto, MisbehavingPlugins) {
  Engine engine(test::bundled_plugins_only());
  load_plugins_with_test_plugins(engine, {"adjust_throws", "pressure_above_cap", "bad_parameters"});
  auto p = engine.parse_protocol(R"(format: 1
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
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)",
                                 "p.yaml");
  ASSERT_TRUE(p.ok()) << p.diagnostics()[0].to_string();
  std::vector<std::string> states;
  for (const char* stage : {"a", "b", "c"})
    states.push_back(small_state(std::string("program:\n  stage: ") + stage + "\n"));
  expect_same_json(*p.value(), states);
}

// The plugin memo's result is shared by every evaluation (this plugin reads
// nothing, so the second evaluation is a memo hit): the JSON path writes the
// clamped pressure_max from a copy, and leaves the cached 15 as it was.
TEST(JsonInto, AClampedPressureIsWrittenAndTheMemoisedResultIsUnchanged) {
  Engine engine(test::bundled_plugins_only());
  load_plugins_with_test_plugins(engine, {"pressure_above_cap"});
  auto p = engine.parse_protocol(R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins:
  test_pressure_above_cap: "*"
session: {duration_minutes: 60}
stages:
  - id: c
    techniques: [test_pressure_above_cap]
    pressure_max: 3
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)",
                                 "p.yaml");
  ASSERT_TRUE(p.ok()) << p.diagnostics()[0].to_string();
  auto state = p.value()->parse_state(small_state(), "s.yaml");
  ASSERT_TRUE(state.ok()) << state.diagnostics()[0].to_string();
  Diagnostics diagnostics;
  std::string first, second;
  ASSERT_TRUE(p.value()->evaluate_json_into(state.value(), first, diagnostics));
  ASSERT_TRUE(p.value()->evaluate_json_into(state.value(), second, diagnostics));
  EXPECT_EQ(first, second);
  EXPECT_NE(first.find(R"("parameters":{"pressure_max":3})"), std::string::npos) << first;
  EXPECT_EQ(first.find(R"("pressure_max":15)"), std::string::npos) << first;
  EXPECT_NE(first.find("test_pressure_above_cap.pressure-clamped"), std::string::npos);
  // The Recommendation path after the JSON path reads the same cached result.
  auto fresh = p.value()->evaluate(state.value());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(to_json(fresh.value()), first);
  std::string third;
  ASSERT_TRUE(p.value()->evaluate_json_into(state.value(), third, diagnostics));
  EXPECT_EQ(third, first);
}

TEST(JsonInto, AStateThatFailsItsChecksLeavesTheBufferAsItWas) {
  auto fibromyalgia = load("fibromyalgia.yaml");
  ASSERT_TRUE(fibromyalgia);
  auto state = fibromyalgia->parse_state(
      read_file(root + "/protocols/examples/fibromyalgia-client.yaml"), "s.yaml");
  ASSERT_TRUE(state.ok());
  ClientState bad = state.value();
  bad.pain.current = 11;
  std::string out = "kept";
  Diagnostics diagnostics;
  EXPECT_FALSE(fibromyalgia->evaluate_json_into(bad, out, diagnostics));
  EXPECT_EQ(out, "kept");
  EXPECT_FALSE(diagnostics.empty());
}

}  // namespace
}  // namespace fascia::test
