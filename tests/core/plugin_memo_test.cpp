// Plugin ABI 2 memoisation with a real plugin library (tests/plugins/bad/
// memo_probe.cpp): a declared technique runs once per distinct declared
// input on a thread, and what it reads without declaring it is the default
// value, never another client's, so a memoised result is never stale and
// the output does not depend on which states came before.
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <fascia/plugin_support.hpp>

#include <filesystem>
#include <functional>
#include <thread>

namespace fascia::test {
namespace {

const std::string kProbe =
    FASCIA_BINARY_DIR "/lib/fascia/test-plugins/memo_probe/libfascia-test_memo_probe.so";

Engine& probe_engine() {
  static Engine engine = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    for (const auto& d : e.load_plugin(kProbe)) ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

std::shared_ptr<const Protocol> load_probe_protocol(int level) {
  auto protocol = probe_engine().parse_protocol(R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", test_memo_probe: "*"}
techniques: {test_memo_probe: {level: )" + std::to_string(level) +
                                                    R"(, extra: 5}}
session: {duration_minutes: 60}
stages:
  - {id: only, techniques: [swedish, test_memo_probe], pressure_max: 4}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)",
                                                "p.yaml");
  for (const auto& d : protocol.diagnostics()) ADD_FAILURE() << d.to_string();
  return protocol.value();
}

const Protocol& probe_protocol() {
  static auto protocol = load_probe_protocol(2);
  return *protocol;
}

long probe_calls() {
  void* library = dlopen(kProbe.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!library) return -1;
  auto calls = reinterpret_cast<long (*)()>(dlsym(library, "fascia_test_memo_probe_calls"));
  const long n = calls ? calls() : -1;
  dlclose(library);
  return n;
}

ClientState base_state() {
  auto state = probe_protocol().parse_state(small_state(), "s.yaml");
  for (const auto& d : state.diagnostics()) ADD_FAILURE() << d.to_string();
  return state.value();
}

std::string seen(const Recommendation& r) {
  for (const auto& a : r.adjustments)
    if (a.rule == "test_memo_probe.seen") return a.reason;
  return "(no note)";
}

Recommendation evaluate(const ClientState& state) {
  auto r = probe_protocol().evaluate(state);
  EXPECT_TRUE(r.ok());
  return r.value();
}

// Same pain and level, different undeclared fields.
ClientState other_client() {
  ClientState s = base_state();
  s.client_id = "T-2";
  s.sensitivity = Sensitivity::low;
  HistoryEntry e;
  e.date = *Date::parse("2026-11-13");
  e.techniques = {"swedish"};
  s.history.push_back(e);
  return s;
}

// `json` of a state on a thread of its own: no memo carried over.
std::string on_a_fresh_thread(const std::function<std::string(const ClientState&)>& json,
                              const ClientState& state) {
  std::string out;
  std::thread([&] { out = json(state); }).join();
  return out;
}

// The states of `order` evaluated in turn on one thread (its memo answering
// from the union and the last calls where it may) give what each gives on a
// fresh thread.
void expect_as_on_fresh_threads(const std::vector<const ClientState*>& order,
                                const std::function<std::string(const ClientState&)>& json) {
  std::vector<std::string> expected, got;
  for (const ClientState* s : order) expected.push_back(on_a_fresh_thread(json, *s));
  std::thread([&] {
    for (const ClientState* s : order) got.push_back(json(*s));
  }).join();
  ASSERT_EQ(got.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "state " << i;
}

TEST(PluginMemo, RunsOncePerDistinctDeclaredInputAndSeesOnlyWhatItDeclared) {
  const ClientState first = base_state();
  const ClientState second = other_client();
  ClientState more_pain = base_state();
  more_pain.pain.current = 6;
  std::string in_thread;
  long calls = 0;
  // A fresh thread: its memo is empty whatever ran before in this process.
  std::thread([&] {
    const long before = probe_calls();
    const std::string expected =
        "pain 5, level 2; undeclared: sensitivity moderate, flare no, history 0, "
        "observation absent, extra 0";
    EXPECT_EQ(seen(evaluate(first)), expected);
    EXPECT_EQ(seen(evaluate(second)), expected);  // from the memo: same declared inputs
    EXPECT_EQ(seen(evaluate(more_pain)),
              "pain 6, level 2; undeclared: sensitivity moderate, flare no, history 0, "
              "observation absent, extra 0");
    EXPECT_EQ(probe_calls() - before, 2);  // pain 5 and pain 6
    EXPECT_EQ(seen(evaluate(first)), expected);
    EXPECT_EQ(seen(evaluate(second)), expected);
    calls = probe_calls() - before;
    in_thread = to_json(evaluate(second));
  }).join();
  // Pain 5 again is a memo hit: the memo is two-way (plugin_memo.cpp), so
  // two inputs are both kept even when their keys share a pair of slots.
  EXPECT_EQ(calls, 2);
  // The same state first on another fresh thread gives the same bytes: a
  // memoised result is what the plugin would have said for this state.
  std::string fresh;
  std::thread([&] { fresh = to_json(evaluate(second)); }).join();
  EXPECT_EQ(fresh, in_thread);
}

// A call with the last call's inputs is answered from that call's result
// without a key (plugin_memo.cpp): the comparison is as exact as the key's,
// numbers bit for bit, and sees a state changed in place.
TEST(PluginMemo, TheLastCallsInputsAreComparedAsExactlyAsItsKey) {
  ClientState state = base_state();
  long calls = 0;
  std::thread([&] {
    const long before = probe_calls();
    state.pain.current = 0.0;
    evaluate(state);
    evaluate(state);  // the last call's inputs
    EXPECT_EQ(probe_calls() - before, 1);
    state.pain.current = -0.0;
    evaluate(state);  // == 0.0, but another input
    evaluate(state);
    EXPECT_EQ(probe_calls() - before, 2);
    state.pain.current = 0.0;
    evaluate(state);  // from the memo: the first input (see below)
    calls = probe_calls() - before;
  }).join();
  // A memo hit: two inputs are both kept (the memo is two-way).
  EXPECT_EQ(calls, 2);
}

// A state that repeats is compared once for all techniques, on the union of
// their declared fields (PluginMemo::begin): a change in a field only one
// technique declares still reaches that technique, and every answer is the
// one a fresh thread gives for the same state.
TEST(PluginMemo, ARepeatedStateIsComparedOnceAndAChangeOfOneTechniquesFieldIsSeen) {
  const ClientState first = base_state();
  ClientState more_pain = first;  // declared by the probe, not by swedish
  more_pain.pain.current = 6;
  ClientState sensitive = first;  // declared by swedish, not by the probe
  sensitive.sensitivity = Sensitivity::high;
  auto fresh = [](const ClientState& s) {
    std::string json;
    std::thread([&] { json = to_json(evaluate(s)); }).join();
    return json;
  };
  const std::string first_json = fresh(first), pain_json = fresh(more_pain),
                    sensitive_json = fresh(sensitive);
  ASSERT_NE(first_json, pain_json);
  ASSERT_NE(first_json, sensitive_json);
  const std::vector<const ClientState*> order = {&first,     &first, &first, &more_pain, &more_pain,
                                                 &more_pain, &first, &first, &sensitive, &sensitive,
                                                 &sensitive, &first, &first};
  std::vector<std::string> got;
  long calls = 0;
  std::thread([&] {
    const long before = probe_calls();
    for (const ClientState* s : order) got.push_back(to_json(evaluate(*s)));
    calls = probe_calls() - before;
  }).join();
  ASSERT_EQ(got.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(got[i], order[i] == &first       ? first_json
                      : order[i] == &more_pain ? pain_json
                                               : sensitive_json)
        << "state " << i;
  EXPECT_EQ(calls, 2);  // pain 5 and pain 6
}

// A state equal on the union (PluginMemo::all) answers only the techniques
// whose last calls it covers. Here the union is swedish's fields alone; a
// rule adds the probe (another draft) while the state stays equal on them, so
// the probe's results are not in the union: a change of pain, which only the
// probe declares, must still reach it however often the state repeated.
TEST(PluginMemo, ACallTheUnionDoesNotCoverIsNeverAnsweredFromIt) {
  auto protocol = probe_engine().parse_protocol(R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", test_memo_probe: "*"}
session: {duration_minutes: 60}
stages:
  - {id: only, techniques: [swedish], pressure_max: 4}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
rules:
  - id: rules.probe
    when: medications_changed
    add_techniques: [test_memo_probe]
    reason: "Probe"
)",
                                                "p.yaml");
  for (const auto& d : protocol.diagnostics()) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(protocol.ok());
  const Protocol& p = *protocol.value();
  const ClientState plain = base_state();
  ClientState probed = plain;  // not a field of swedish's
  probed.medications_changed = true;
  ClientState more_pain = probed;  // the probe's field only
  more_pain.pain.current = 6;
  auto json = [&](const ClientState& s) {
    auto r = p.evaluate(s);
    EXPECT_TRUE(r.ok());
    return to_json(r.value());
  };
  const std::string probed_json = on_a_fresh_thread(json, probed);
  ASSERT_NE(probed_json, on_a_fresh_thread(json, more_pain));
  ASSERT_NE(probed_json.find("pain 5"), std::string::npos);
  expect_as_on_fresh_threads({&plain, &plain, &plain, &probed, &probed, &probed, &more_pain,
                              &more_pain, &probed, &more_pain, &plain, &plain, &more_pain},
                             json);
}

// ... nor a call of another draft: a pressure tolerance no plugin declares
// changes the cap the plugins are told, the state stays equal on the union.
TEST(PluginMemo, ACallOfAnotherDraftIsNeverAnsweredFromTheLast) {
  ClientState gentle = base_state();
  gentle.pressure_tolerance = 2;
  ClientState firmer = gentle;
  firmer.pressure_tolerance = 3;
  auto json = [](const ClientState& s) { return to_json(evaluate(s)); };
  ASSERT_NE(on_a_fresh_thread(json, gentle), on_a_fresh_thread(json, firmer));
  expect_as_on_fresh_threads(
      {&gentle, &gentle, &gentle, &firmer, &firmer, &firmer, &gentle, &firmer}, json);
}

// More distinct inputs than a technique keeps results for: the slots grow as
// inputs arrive, then new inputs take slots over; every answer is still the
// one for its own input, however the keys collide.
TEST(PluginMemo, ManyDistinctInputsEachGetTheirOwnResult) {
  ClientState state = base_state();
  long calls = 0;
  std::thread([&] {
    const long before = probe_calls();
    for (int round = 0; round < 2; ++round)
      for (int i = 0; i < 600; ++i) {
        state.pain.current = i / 100.0;
        const std::string note = seen(evaluate(state));
        ASSERT_EQ(note.substr(0, note.find(',')), "pain " + plugins::number_text(i / 100.0));
      }
    calls = probe_calls() - before;
  }).join();
  EXPECT_GE(calls, 600);   // each input at least once ...
  EXPECT_LT(calls, 1200);  // ... and some answered from the memo the second time
}

// A thread's memo starts again after 64 techniques (engines made and
// dropped, each loading its own plugins), between evaluations: never in the
// middle of one, whose plan still holds the results it was given (it used
// to start again there: valgrind and ASan saw the plan read a freed result
// in the 21st engine's evaluation). Every engine's JSON is the first one's.
TEST(PluginMemo, StartingAgainNeverFreesAResultAnEvaluationHolds) {
  const std::filesystem::path root = FASCIA_SOURCE_DIR;
  const std::string protocol_file = (root / "protocols/fibromyalgia.yaml").string();
  const std::string state_file = (root / "protocols/examples/fibromyalgia-client.json").string();
  std::thread([&] {
    // Two techniques first (swedish and the probe), so that the 64th lands
    // inside an evaluation of the bundled protocol's 3 (or 4, 5 or 6).
    evaluate(base_state());
    std::string expected;
    for (int i = 0; i < 40; ++i) {  // 3 techniques called each: 120 on this thread
      Engine engine(test::bundled_plugins_only());
      for (const auto& d : engine.load_plugins()) ADD_FAILURE() << d.to_string();
      auto protocol = engine.load_protocol(protocol_file);
      ASSERT_TRUE(protocol.ok());
      auto state = protocol.value()->load_state(state_file);
      ASSERT_TRUE(state.ok());
      for (int repeat = 0; repeat < 2; ++repeat) {  // the second one answers from the union
        std::string json;
        Diagnostics problems;
        ASSERT_TRUE(protocol.value()->evaluate_json_into(state.value(), json, problems));
        if (expected.empty()) expected = json;
        ASSERT_EQ(json, expected) << "engine " << i << ", evaluation " << repeat;
      }
    }
  }).join();
}

// The configuration is part of the key: a protocol reloaded with another
// value (its configuration may even reuse the freed one's address) is never
// answered from the old one's results.
TEST(PluginMemo, AReloadedProtocolsConfigurationIsNotAnsweredFromTheOldOne) {
  const ClientState state = base_state();
  std::thread([&] {
    for (int level : {2, 3, 2, 4}) {
      auto protocol = load_probe_protocol(level);
      auto r = protocol->evaluate(state);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(seen(r.value()), "pain 5, level " + std::to_string(level) +
                                     "; undeclared: sensitivity moderate, flare no, history 0, "
                                     "observation absent, extra 0");
    }
  }).join();
}

// A technique keeps one configuration view per configuration it is called
// with (plugin_memo.cpp): alternating between two loaded protocols, each
// call sees its own protocol's value, and each input runs once.
TEST(PluginMemo, AlternatingConfigurationsEachSeeTheirOwnValues) {
  const ClientState state = base_state();
  long calls = 0;
  std::thread([&] {
    auto two = load_probe_protocol(2), three = load_probe_protocol(3);
    const long before = probe_calls();
    for (int round = 0; round < 3; ++round)
      for (const auto* protocol : {two.get(), three.get(), two.get()}) {
        auto r = protocol->evaluate(state);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(seen(r.value()), std::string("pain 5, level ") +
                                       (protocol == two.get() ? "2" : "3") +
                                       "; undeclared: sensitivity moderate, flare no, history 0, "
                                       "observation absent, extra 0");
      }
    calls = probe_calls() - before;
  }).join();
  EXPECT_EQ(calls, 2);
}

// More configurations than a technique keeps views of (16, plugin_memo.cpp):
// its views start again and the next ones get new numbers, never one a kept
// result's key holds, so every call still sees its own protocol's value.
TEST(PluginMemo, ConfigurationsBeyondTheKeptViewsAreNeverAnsweredFromAnother) {
  const ClientState state = base_state();
  std::thread([&] {
    std::vector<std::shared_ptr<const Protocol>> protocols;
    for (int i = 0; i < 20; ++i) protocols.push_back(load_probe_protocol(1 + i % 5));
    for (int round = 0; round < 2; ++round)
      for (int i = 0; i < 20; ++i) {
        auto r = protocols[static_cast<std::size_t>(i)]->evaluate(state);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(seen(r.value()), "pain 5, level " + std::to_string(1 + i % 5) +
                                       "; undeclared: sensitivity moderate, flare no, history 0, "
                                       "observation absent, extra 0")
            << "round " << round << ", protocol " << i;
      }
  }).join();
}

// Every call of a technique in one evaluation has one key: the state and
// draft are the evaluation's, and the technique one configuration in it. A
// second key could take over a slot whose result the plan still reads
// (plugin_memo.cpp, slot_for: with a stage listing swedish twice, with two
// configurations, 5 of 20,000 states showed the first the second's
// parameters). What gives a technique one configuration: a stage lists a
// technique once and never a home technique (only under `techniques:`) ...
TEST(PluginMemo, AStageCannotGiveATechniqueASecondConfiguration) {
  auto refused = [](const std::string& techniques, const std::string& message) {
    auto protocol = probe_engine().parse_protocol(R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", home_program: ">=1.0.0", test_memo_probe: "*"}
techniques: {test_memo_probe: {level: 3}, home_program: {}}
session: {duration_minutes: 60}
stages:
  - {id: only, techniques: )" + techniques + R"(, pressure_max: 4}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)",
                                                  "p.yaml");
    EXPECT_FALSE(protocol.ok()) << techniques;
    bool found = false;
    for (const auto& d : protocol.diagnostics())
      found = found || d.message.find(message) != std::string::npos;
    EXPECT_TRUE(found) << techniques;
  };
  refused("[swedish, {id: test_memo_probe, config: {level: 2}}, test_memo_probe]",
          "technique 'test_memo_probe' is listed twice in this stage");
  refused("[swedish, {id: home_program, config: {items: [foam_roller]}}]",
          "technique 'home_program' is a home-program technique");
}

// ... and a rule adds only what is not planned, with the technique's own
// configuration, which the home technique's own call has too. Here the
// probe is planned by the stage (level 2) and added by rules (level 3), the
// home technique added twice as well: each evaluation runs the probe at most
// once, with the stage's configuration, and every answer is the one the same
// state gets in the other order (other slots taken over before it).
TEST(PluginMemo, ATechniqueReachedSeveralWaysInOneEvaluationHasOneKey) {
  auto protocol = probe_engine().parse_protocol(R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", home_program: ">=1.0.0", test_memo_probe: "*"}
techniques: {test_memo_probe: {level: 3}, home_program: {items: [foam_roller, hydration]}}
session: {duration_minutes: 60}
stages:
  - {id: only, techniques: [swedish, {id: test_memo_probe, config: {level: 2}}], pressure_max: 4}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
rules:
  - id: rules.add
    when: pain.current >= 0
    add_techniques: [test_memo_probe, home_program, test_memo_probe]
    reason: "Adds"
  - id: rules.add-again
    when: pain.current >= 2
    add_techniques: [home_program, test_memo_probe]
    reason: "Adds again"
)",
                                                "p.yaml");
  ASSERT_TRUE(protocol.ok());
  const Protocol& p = *protocol.value();
  ClientState state = base_state();
  constexpr int inputs = 600;
  auto run = [&](bool reversed, std::vector<std::string>& out) {
    std::thread([&] {
      out.assign(inputs, "");
      for (int n = 0; n < inputs; ++n) {
        const int i = reversed ? inputs - 1 - n : n;
        state.pain.current = i / 100.0;
        state.flare.active = i % 3 == 0;  // read by the home technique
        const long before = probe_calls();
        auto r = p.evaluate(state);
        ASSERT_TRUE(r.ok());
        ASSERT_LE(probe_calls() - before, 1) << "pain " << i / 100.0;
        const std::string note = seen(r.value());
        ASSERT_EQ(note.substr(0, note.find(';')),
                  "pain " + plugins::number_text(i / 100.0) + ", level 2");
        out[static_cast<std::size_t>(i)] = to_json(r.value());
      }
    }).join();
  };
  std::vector<std::string> forward, backward;
  run(false, forward);
  run(true, backward);
  for (std::size_t i = 0; i < forward.size(); ++i) EXPECT_EQ(forward[i], backward[i]) << i;
}

}  // namespace
}  // namespace fascia::test
