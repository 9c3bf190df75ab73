// Client states: the contract's format, checked against the protocol, with
// located errors; --set overrides.
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Protocol> small() {
  static auto p = bundled_engine().parse_protocol(small_protocol(""), "p.yaml").value();
  return p;
}

std::string state_errors(const std::string& text, const std::vector<StateOverride>& o = {}) {
  auto s = small()->parse_state(text, "s.yaml", o);
  std::string out;
  for (const auto& d : s.diagnostics()) out += d.to_string() + "\n";
  return out;
}

TEST(ClientState, ContractExampleParses) {
  auto s = small()->parse_state(small_state(R"(program:
  stage: b
  sessions_completed: 6
  weeks_in_program: 6
  frequency: weekly
  missed_sessions_30d: 0
sleep_quality: 6
medications_changed: false
history:
  - date: 2026-11-13
    techniques: [swedish, myofascial_release]
    pressure: 4
    soreness_24h: 3
    pain_before: 7
    pain_after: 5
observations:
  stiffness: 30
)"),
                                "s.yaml");
  for (const auto& d : s.diagnostics()) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(s.ok());
  const ClientState& c = s.value();
  EXPECT_EQ(c.client_id, "T-1");
  EXPECT_EQ(c.program.stage, "b");
  EXPECT_EQ(c.history.size(), 1u);
  EXPECT_EQ(*c.last()->soreness_24h, 3);
  ASSERT_EQ(c.observations.size(), 1u);
  EXPECT_EQ(std::get<double>(c.observations[0].value), 30);
}

TEST(ClientState, UnknownKeysOutOfRangeAndMissingKeysAreLocated) {
  const auto errors = state_errors(R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
pain: {current: 11, baseline: 6}
sensitivty: moderate
pressure_tolerance: 7
flare: {active: yes}
)");
  EXPECT_THAT(errors,
              HasSubstr("s.yaml:3:17: error: pain.current must be between 0 and 10, got 11"));
  EXPECT_THAT(errors, HasSubstr("s.yaml:4:1: error: unknown key 'sensitivty'"));
  EXPECT_THAT(errors, HasSubstr("(did you mean 'sensitivity'?)"));
  EXPECT_THAT(errors, HasSubstr("missing required key 'sensitivity' in client state"));
  EXPECT_THAT(errors,
              HasSubstr("s.yaml:6:17: error: flare.active must be true or false, got 'yes'"));
}

TEST(ClientState, ProtocolSpecificValuesAreChecked) {
  const auto errors =
      state_errors(small_state(R"(program: {stage: z, frequency: daily}
observations: {stifness: 3}
)")
                       .replace(small_state().find("fibromyalgia"), 12, "arthritis"));
  EXPECT_THAT(errors, HasSubstr("client.condition must be one of: fibromyalgia, got 'arthritis'"));
  EXPECT_THAT(errors, HasSubstr("program.stage must be one of: a, b, c, got 'z'"));
  EXPECT_THAT(
      errors,
      HasSubstr(
          "program.frequency must be one of: weekly, every_other_week, monthly, got 'daily'"));
  EXPECT_THAT(errors, HasSubstr("observation 'stifness' is not declared by protocol 'small' (did "
                                "you mean 'stiffness'?)"));
}

TEST(ClientState, FormatOtherThanOneIsRefusedClearly) {
  EXPECT_THAT(state_errors("format: 2\n" + small_state()),
              HasSubstr("s.yaml:1:9: error: client-state format 2 is not supported; this engine "
                        "reads client-state format 1"));
}

TEST(ClientState, OverridesChangeTheDocumentBeforeChecking) {
  auto s = small()->parse_state(small_state("history:\n  - {date: 2026-11-13, soreness_24h: 2}\n"),
                                "s.yaml",
                                {{"flare.active", "true"},
                                 {"last.soreness_24h", "8"},
                                 {"program.stage", "c"},
                                 {"observations.stiffness", "45"}});
  for (const auto& d : s.diagnostics()) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.value().flare.active);
  EXPECT_EQ(*s.value().last()->soreness_24h, 8);
  EXPECT_EQ(s.value().program.stage, "c");
  EXPECT_THAT(state_errors(small_state(), {{"flare.actve", "true"}}),
              HasSubstr("--set: error: unknown state path 'flare.actve' in --set (did you mean "
                        "'flare.active'?)"));
  EXPECT_THAT(state_errors(small_state(), {{"last.soreness_24h", "3"}}),
              HasSubstr("cannot set 'last.soreness_24h': the state has no history entry"));
}

TEST(ClientState, EvaluateRefusesAnInvalidStateBuiltInCode) {
  ClientState s = small()->parse_state(small_state(), "s.yaml").value();
  s.pressure_tolerance = 12;
  auto r = small()->evaluate(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics()[0].message, "pressure_tolerance must be between 1 and 10, got 12");
}

// check_client_state builds these texts only on failure: they must not change.
TEST(ClientState, EvaluateNamesTheInvalidObservationBuiltInCode) {
  const ClientState valid = small()->parse_state(small_state(), "s.yaml").value();
  auto first_error = [&](ObservationValue value) {
    ClientState s = valid;
    s.observations = {{"stiffness", std::move(value)}};
    auto r = small()->evaluate(s);
    return r.ok() ? std::string("ok") : r.diagnostics()[0].message;
  };
  EXPECT_EQ(first_error(30.0), "ok");
  EXPECT_EQ(first_error(ObservationValue{}), "ok");
  EXPECT_EQ(first_error(700.0), "observations.stiffness must be between 0 and 600, got 700");
  EXPECT_EQ(first_error(2.5), "observations.stiffness must be a whole number");
  EXPECT_EQ(first_error(std::string("x")), "observations.stiffness must be a number");
  ClientState s = valid;
  s.observations = {{"mood", 1.0}};
  auto r = small()->evaluate(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics()[0].message,
            "observation 'mood' is not declared by protocol '" + small()->id() + "'");
}

// The integer fields are range-checked as integers: the same bounds and the
// same texts as the double checks gave.
TEST(ClientState, EvaluateChecksTheIntegerFieldsBuiltInCode) {
  const ClientState valid = small()->parse_state(small_state(), "s.yaml").value();
  auto first_error = [&](auto change) {
    ClientState s = valid;
    s.program.sessions_completed = 6;
    change(s);
    auto r = small()->evaluate(s);
    return r.ok() ? std::string("ok") : r.diagnostics()[0].message;
  };
  using S = ClientState&;
  EXPECT_EQ(first_error([](S s) { s.program.sessions_completed = 100000; }), "ok");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_completed = 100001; }),
            "program.sessions_completed must be between 0 and 100000, got 100001");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_completed = -1; }),
            "program.sessions_completed must be between 0 and 100000, got -1");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_completed = 2147483647; }),
            "program.sessions_completed must be between 0 and 100000, got 2.14748e+09");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_in_stage = 6; }), "ok");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_in_stage = 7; }),
            "program.sessions_in_stage must be between 0 and 6, got 7");
  EXPECT_EQ(first_error([](S s) { s.program.sessions_in_stage = -2; }),
            "program.sessions_in_stage must be between 0 and 6, got -2");
  EXPECT_EQ(first_error([](S s) { s.program.weeks_in_program = -1; }),
            "program.weeks_in_program must be between 0 and 100000, got -1");
  EXPECT_EQ(first_error([](S s) { s.program.missed_sessions_30d = 100001; }),
            "program.missed_sessions_30d must be between 0 and 100000, got 100001");
  EXPECT_EQ(first_error([](S s) { s.pressure_tolerance = 10; }), "ok");
  EXPECT_EQ(first_error([](S s) { s.pressure_tolerance = 0; }),
            "pressure_tolerance must be between 1 and 10, got 0");
  EXPECT_EQ(first_error([](S s) { s.pressure_tolerance = -2147483647 - 1; }),
            "pressure_tolerance must be between 1 and 10, got -2.14748e+09");
  EXPECT_EQ(first_error([](S s) { s.flare.days_since_last = 0; }), "ok");
  EXPECT_EQ(first_error([](S s) { s.flare.days_since_last = -1; }),
            "flare.days_since_last must be between 0 and 100000, got -1");
  EXPECT_EQ(first_error([](S s) { s.flare.count_30d = 100001; }),
            "flare.count_30d must be between 0 and 100000, got 100001");
  EXPECT_EQ(first_error([](S s) {
              HistoryEntry h;
              h.date = s.as_of;
              h.pressure = 11;
              s.history.push_back(h);
            }),
            "history pressure must be between 1 and 10, got 11");
}

// The number fields (top level and history) with their bounds as constants
// in check_client_state: the texts and the --set paths of each problem,
// NaN and infinities included.
TEST(ClientState, EvaluateChecksTheNumberFieldsBuiltInCode) {
  const ClientState valid = small()->parse_state(small_state(), "s.yaml").value();
  using S = ClientState&;
  auto problem = [&](auto change) {
    ClientState s = valid;
    change(s);
    auto r = small()->evaluate(s);
    if (r.ok()) return std::string("ok");
    const Diagnostic& d = r.diagnostics()[0];
    std::string fields;
    for (const auto& f : d.fields) fields += " [" + f + "]";
    return d.message + fields;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(problem([](S s) { s.pain.current = 10; }), "ok");
  EXPECT_EQ(problem([](S s) { s.pain.current = 10.5; }),
            "pain.current must be between 0 and 10, got 10.5 [pain.current]");
  EXPECT_EQ(problem([&](S s) { s.pain.baseline = nan; }),
            "pain.baseline must be between 0 and 10, got nan [pain.baseline]");
  EXPECT_EQ(problem([&](S s) { s.sleep_quality = -inf; }),
            "sleep_quality must be between 0 and 10, got -inf [sleep_quality]");
  EXPECT_EQ(problem([](S s) { s.flare.severity = -0.5; }),
            "flare.severity must be between 0 and 10, got -0.5 [flare.severity]");
  auto entry = [&](auto change) {
    return problem([&](S s) {
      HistoryEntry h;
      h.date = s.as_of;
      change(h);
      s.history.push_back(h);
    });
  };
  EXPECT_EQ(entry([](HistoryEntry& h) { h.pressure = 10; }), "ok");
  EXPECT_EQ(entry([](HistoryEntry& h) { h.pressure = 0; }),
            "history pressure must be between 1 and 10, got 0 [last.pressure]");
  EXPECT_EQ(entry([&](HistoryEntry& h) { h.soreness_24h = nan; }),
            "history soreness_24h must be between 0 and 10, got nan [last.soreness_24h]");
  EXPECT_EQ(entry([](HistoryEntry& h) { h.pain_before = 11; }),
            "history pain_before must be between 0 and 10, got 11 [last.pain_before]");
  EXPECT_EQ(entry([&](HistoryEntry& h) { h.pain_after = inf; }),
            "history pain_after must be between 0 and 10, got inf [last.pain_after]");
}

// check_client_state's fast path (a valid state, observations in the
// protocol's order) must refuse whatever the full checks refuse.
TEST(ClientState, EvaluateChecksTheOtherFieldsBuiltInCode) {
  const ClientState valid = small()->parse_state(small_state(), "s.yaml").value();
  using S = ClientState&;
  auto first_error = [&](auto change) {
    ClientState s = valid;
    change(s);
    auto r = small()->evaluate(s);
    return r.ok() ? std::string("ok") : r.diagnostics()[0].message;
  };
  const std::string of = " of protocol '" + small()->id() + "'";
  EXPECT_EQ(first_error([](S s) { s.format = 2; }),
            "client-state format 2 is not supported; this engine reads client-state format 1");
  EXPECT_EQ(first_error([](S s) { s.client_id.clear(); }), "client.id is required");
  EXPECT_EQ(first_error([](S s) { s.condition = "lupus"; }),
            "client.condition 'lupus' is not covered by protocol '" + small()->id() + "'");
  EXPECT_EQ(first_error([](S s) { s.program.stage = "z"; }),
            "program.stage 'z' is not a stage" + of);
  EXPECT_EQ(first_error([](S s) { s.program.frequency = "daily"; }),
            "program.frequency 'daily' is not on the frequency ladder");
  EXPECT_EQ(first_error([](S s) { s.last_missed = s.as_of.plus_days(1); }),
            "program.last_missed 2026-11-21 is after as_of");
  EXPECT_EQ(first_error([](S s) { s.history_overrides = {""}; }),
            "history_overrides must be empty or as long as history");
  auto two_entries = [](S s, int first, int second) {
    s.history.resize(2);
    s.history[0].date = s.as_of.plus_days(first);
    s.history[1].date = s.as_of.plus_days(second);
  };
  EXPECT_EQ(first_error([&](S s) { two_entries(s, -7, 0); }), "ok");
  EXPECT_EQ(first_error([&](S s) { two_entries(s, 0, -7); }), "history must be oldest first");
  EXPECT_EQ(first_error([&](S s) { two_entries(s, -7, 1); }),
            "history entry 2026-11-21 is after as_of");
  auto observation = [&](ObservationValue v) {
    return first_error([&](S s) { s.observations = {{"stiffness", std::move(v)}}; });
  };
  EXPECT_EQ(observation(600.0), "ok");
  EXPECT_EQ(observation(true), "observations.stiffness must be a number");
  EXPECT_EQ(observation(std::numeric_limits<double>::infinity()),
            "observations.stiffness must be between 0 and 600, got inf");
  EXPECT_EQ(observation(1e300), "observations.stiffness must be between 0 and 600, got 1e+300");
  EXPECT_EQ(observation(599.999), "observations.stiffness must be a whole number");
}

}  // namespace
}  // namespace fascia::test
