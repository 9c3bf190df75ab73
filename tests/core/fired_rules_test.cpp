// Recommendation::fired: every rule that applies to the client's stage is
// evaluated, so the list is exact with or without the trace.
#include "test_support.hpp"

#include <fascia/fired_rules.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;

// Stage b, a flare, twelve weeks in: the stage regresses and the frequency
// steps up, while the advance and step-down rules are true as well.
const std::string kState = R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program:
  stage: b
  frequency: every_other_week
  sessions_completed: 100
  sessions_in_stage: 100
  weeks_in_program: 12
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: true, severity: 3, count_30d: 2, days_since_last: 0}
)";

TEST(FiredRules, RulesAfterTheDecidingOneAreStillEvaluatedAndListed) {
  const auto r = evaluate(small_protocol(""), kState);
  // Decisions unchanged: back to stage a, one step more often.
  EXPECT_EQ(r.session.stage, "a");
  EXPECT_EQ(r.session.frequency, "weekly");
  // b.advance and f.down are true but not applied; they fired all the same.
  EXPECT_THAT(r.fired, ElementsAre("b.advance", "b.regress", "f.down", "f.up"));
}

TEST(FiredRules, TheListIsTheSameWithTheTraceAndMatchesIt) {
  const auto plain = evaluate(small_protocol(""), kState, false);
  const auto explained = evaluate(small_protocol(""), kState, true);
  EXPECT_EQ(plain.fired, explained.fired);
  EXPECT_TRUE(plain.trace.empty());
  std::vector<std::string> traced;
  for (const auto& t : explained.trace)
    if (t.outcome == TraceEntry::Outcome::fired) traced.push_back(t.rule->id);
  std::sort(traced.begin(), traced.end());
  std::vector<std::string> listed = explained.fired;
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(traced, listed);
}

TEST(FiredRules, AHealingResponseNotAppliedBesideAFlareIsNotListed) {
  const auto p = small_protocol(R"(healing_response:
  - id: heal.sore
    when: pain.current >= 5
    suppresses: [f.up]
    reason: Expected soreness
)");
  const auto r = evaluate(p, kState, true);
  EXPECT_THAT(r.fired, ::testing::Not(::testing::Contains("heal.sore")));
  for (const auto& t : r.trace)
    if (t.rule->id == "heal.sore") EXPECT_EQ(t.outcome, TraceEntry::Outcome::suppressed);
}

TEST(FiredRules, AReusedRecommendationGetsTheNewList) {
  auto protocol = bundled_engine().parse_protocol(small_protocol(""), "p.yaml").value();
  Recommendation r;
  Diagnostics diagnostics;
  ASSERT_TRUE(
      protocol->evaluate_into(protocol->parse_state(kState, "s.yaml").value(), r, diagnostics));
  EXPECT_EQ(r.fired.size(), 4u);
  ASSERT_TRUE(protocol->evaluate_into(protocol->parse_state(small_state(), "s.yaml").value(), r,
                                      diagnostics));
  EXPECT_THAT(r.fired, ElementsAre());
}

// fascia::fired_rules() (rule decisions only, no plugins) gives the list of
// a full evaluation, for states that fire different rules (a healing
// response not applied beside a flare included), into one reused vector.
TEST(FiredRules, FiredRulesAloneMatchesTheRecommendation) {
  const auto protocol = bundled_engine()
                            .parse_protocol(small_protocol(R"(healing_response:
  - id: heal.sore
    when: pain.current >= 5
    suppresses: [f.up]
    reason: Expected soreness
)"),
                                            "p.yaml")
                            .value();
  const std::vector<std::string> states = {kState, small_state(),
                                           small_state("medications_changed: true"),
                                           R"(client: {id: T-2, condition: fibromyalgia}
as_of: 2026-11-20
program: {stage: a, sessions_completed: 3, weeks_in_program: 3}
pain: {current: 6, baseline: 6}
sensitivity: high
pressure_tolerance: 4
flare: {active: false, severity: 0}
)"};
  std::vector<std::string> fired;
  Diagnostics diagnostics;
  for (const auto& text : states) {
    const auto state = protocol->parse_state(text, "s.yaml");
    ASSERT_TRUE(state.ok()) << state.diagnostics()[0].to_string();
    const auto full = protocol->evaluate(state.value());
    ASSERT_TRUE(full.ok());
    ASSERT_TRUE(fired_rules(*protocol, state.value(), fired, diagnostics));
    EXPECT_EQ(fired, full.value().fired) << text;
  }
  ClientState bad = protocol->parse_state(small_state(), "s.yaml").value();
  bad.pressure_tolerance = 99;
  EXPECT_FALSE(fired_rules(*protocol, bad, fired, diagnostics));
  EXPECT_FALSE(diagnostics.empty());
}

// Stage::evaluated (protocol_compiler.cpp) lists the rules a decision in the
// stage evaluates, precomputed; the trace is rendered from it, `fired` from
// the fired bits. Over the bundled protocol's stages and states that fire
// every rule it has, each rule listed as fired has its fired trace entry: a
// rule a step evaluates but the stage's list leaves out would be missing.
TEST(FiredRules, EveryRuleAStepEvaluatesIsInTheStagesPrecomputedList) {
  const std::filesystem::path root = FASCIA_SOURCE_DIR;
  auto protocol =
      bundled_engine().load_protocol((root / "protocols/fibromyalgia.yaml").string()).value();
  const ClientState base =
      protocol->load_state((root / "protocols/examples/fibromyalgia-client.yaml").string()).value();
  EvaluateOptions explain;
  explain.explain = true;
  std::set<std::string> ever_fired;
  for (const char* stage : {"foundation", "myofascial_introduction", "targeted", "maintenance"})
    for (const char* frequency : {"weekly", "every_other_week"})
      for (int variant = 0; variant < 6; ++variant) {
        ClientState s = base;
        s.program.stage = stage;
        s.program.frequency = frequency;
        s.program.sessions_in_stage = 6;
        s.program.weeks_in_program = 24;
        s.pressure_tolerance = 7;
        s.pain = {variant == 1 ? 9.0 : 5.0, variant == 1 ? 5.0 : 6.0};
        s.flare.active = variant == 2 || variant == 3;
        s.flare.severity = variant == 2 ? 4 : variant == 3 ? 9 : 0;
        s.flare.count_30d = variant == 3 ? 2 : 0;
        s.flare.days_since_last = variant == 4 ? 3 : 60;
        s.medications_changed = variant == 4;
        s.sensitivity = variant == 5 ? Sensitivity::high : Sensitivity::moderate;
        s.sleep_quality = variant == 5 ? 2 : 6;
        s.program.missed_sessions_30d = variant == 5 ? 2 : 0;
        if (variant == 5) s.program.sessions_completed = 0, s.program.sessions_in_stage = 0;
        if (variant == 4) s.history.back().soreness_24h = 8;
        if (variant == 5) {
          s.history.back().soreness_24h = 7;  // after Swedish alone: not a healing response
          s.history.back().techniques = {"swedish"};
          s.observations = {{"morning_stiffness_minutes", 90.0}};
        }
        if (variant == 0) s.history.clear();
        const std::string what =
            std::string(stage) + " " + frequency + " variant " + std::to_string(variant);
        const auto r = protocol->evaluate(s, explain);
        ASSERT_TRUE(r.ok()) << what << ": " << r.diagnostics()[0].to_string();
        std::vector<std::string> traced;
        for (const auto& t : r.value().trace)
          if (t.outcome == TraceEntry::Outcome::fired) traced.push_back(t.rule->id);
        std::vector<std::string> listed = r.value().fired;
        std::sort(traced.begin(), traced.end());
        std::sort(listed.begin(), listed.end());
        EXPECT_EQ(traced, listed) << what;
        ever_fired.insert(listed.begin(), listed.end());
      }
  // Every one of the protocol's 35 rules fired in some state.
  EXPECT_EQ(ever_fired.size(), 35u) << ::testing::PrintToString(ever_fired);
}

}  // namespace
}  // namespace fascia::test
