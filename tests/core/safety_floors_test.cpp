// The safety floors and reason guards of issue 10 on small protocols, through
// the public API: red flags hold escalations with a located reason, the
// engine's own floors, sessions_in_stage counted from the history, and
// reasons that cannot print "absent" or a number the rule does not have.
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Adjustment* find(const Recommendation& r, AdjustmentKind kind) {
  for (const auto& a : r.adjustments)
    if (a.kind == kind) return &a;
  return nullptr;
}

bool has(const Recommendation& r, AdjustmentKind kind) { return find(r, kind) != nullptr; }

TEST(ReasonGuards, AnActionValueInARuleWithoutThatActionIsALocatedError) {
  const auto errors = load_errors(small_protocol(R"(rules:
  - id: r.note
    when: sensitivity == high
    note: gentle
    reason: "Cap {cap}, postpone {postpone_days}"
)"));
  EXPECT_THAT(errors, HasSubstr("p.yaml:59:19: error: '{cap}' in a reason of a rule without a "
                                "'cap' action (it would have no value); add the action or "
                                "remove the placeholder"));
  EXPECT_THAT(errors, HasSubstr("'{postpone_days}' in a reason of a rule without a "
                                "'postpone_days' action"));
}

TEST(ReasonGuards, AValueThatCanBeAbsentNeedsAFallbackOrValueOr) {
  const auto errors = load_errors(small_protocol(R"(rules:
  - id: r.sore
    when: value_or(last.soreness_24h, 0) >= 0
    note: gentle
    reason: "soreness {last.soreness_24h}/10, sleep {value_or(sleep_quality, 5)}"
)"));
  EXPECT_THAT(errors, HasSubstr("p.yaml:59:24: error: '{last.soreness_24h}' can be absent when "
                                "the rule fires (the reason would say 'absent'); write a fallback "
                                "such as '{last.soreness_24h|not recorded}', or use value_or()"));
  EXPECT_THAT(errors, Not(HasSubstr("sleep_quality")));
}

TEST(ReasonGuards, TheFallbackIsPrintedWhenTheValueIsAbsent) {
  const auto p = small_protocol(R"(rules:
  - id: r.sore
    when: "true"
    note: gentle
    reason: "soreness {last.soreness_24h|not recorded}/10"
)");
  const auto r = evaluate(p, small_state());
  const auto* note = find(r, AdjustmentKind::note);
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->reason, "soreness not recorded/10");
  const auto with = evaluate(p, small_state(R"(history:
  - {date: 2026-11-13, techniques: [swedish], soreness_24h: 3}
)"));
  EXPECT_EQ(find(with, AdjustmentKind::note)->reason, "soreness 3/10");
}

TEST(RedFlags, AReferralHoldsTheAdvanceTheAddedTechniqueAndTheTaper) {
  const auto p = small_protocol(R"(rules:
  - id: r.refer
    when: pain.current >= pain.baseline + 3
    refer: physician
    reason: "Pain {pain.current}: refer"
  - id: r.add
    when: pressure_tolerance >= 7
    add_techniques: [trigger_point]
    reason: add
)");
  const auto calm = evaluate(
      p, small_state(R"(program: {sessions_completed: 3, sessions_in_stage: 3, weeks_in_program: 12}
)"));
  EXPECT_EQ(calm.session.stage, "b");
  EXPECT_TRUE(has(calm, AdjustmentKind::technique_added));
  EXPECT_EQ(calm.session.frequency, "every_other_week");

  const auto r = evaluate(p, R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program: {sessions_completed: 3, sessions_in_stage: 3, weeks_in_program: 12}
pain: {current: 9, baseline: 5}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: false}
)",
                          true);
  EXPECT_EQ(r.session.stage, "a");
  EXPECT_EQ(r.session.frequency, "weekly");
  for (const auto& a : r.adjustments) {
    EXPECT_NE(a.kind, AdjustmentKind::stage_advanced);
    EXPECT_NE(a.kind, AdjustmentKind::technique_added);
    EXPECT_NE(a.kind, AdjustmentKind::frequency_changed);
  }
  const auto* stage = find(r, AdjustmentKind::stage_held);
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(stage->rule, "r.refer");
  EXPECT_EQ(stage->reason, "Advance to 'b' held: referral to physician today (r.refer)");
  const auto* taper = find(r, AdjustmentKind::frequency_held);
  ASSERT_NE(taper, nullptr);
  EXPECT_EQ(taper->reason,
            "Step down from 'weekly' to 'every_other_week' held: referral to physician today "
            "(r.refer)");
  ASSERT_EQ(r.held_techniques.size(), 1u);
  EXPECT_EQ(r.held_techniques[0].id, "trigger_point");
  EXPECT_EQ(r.held_techniques[0].rule, "r.refer");
  EXPECT_EQ(r.held_techniques[0].reason,
            "Adding Trigger point therapy held: referral to physician today (r.refer)");
  // The trace shows the advance as fired, but held.
  const auto advance = std::find_if(r.trace.begin(), r.trace.end(),
                                    [](const TraceEntry& t) { return t.rule->id == "a.advance"; });
  ASSERT_NE(advance, r.trace.end());
  EXPECT_EQ(advance->outcome, TraceEntry::Outcome::fired);
  EXPECT_EQ(advance->detail, "fired, but held: referral to physician today (r.refer)");
}

TEST(RedFlags, AMarkedRuleIsARedFlag) {
  const auto p = small_protocol(R"(rules:
  - id: r.meds
    when: medications_changed
    red_flag: true
    check_in: ask the provider
    reason: "Medication changed"
)");
  const auto r = evaluate(p, small_state(R"(program: {sessions_completed: 3, sessions_in_stage: 3}
medications_changed: true
)"));
  EXPECT_EQ(r.session.stage, "a");
  const auto* stage = find(r, AdjustmentKind::stage_held);
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(stage->reason, "Advance to 'b' held: red flag today (r.meds)");
}

TEST(RedFlags, RedFlagIsTrueOnlyAndAllowedOnHoldRules) {
  const auto errors = load_errors(small_protocol("", R"(    hold:
      - id: a.hold
        when: medications_changed
        red_flag: true
        reason: hold
)") + R"(rules:
  - id: r.x
    when: "true"
    note: x
    red_flag: false
    reason: x
)");
  EXPECT_THAT(errors, HasSubstr("red_flag can only be true (omit it otherwise)"));
  EXPECT_THAT(errors, Not(HasSubstr("a.hold")));
}

TEST(EngineFloors, InAFlareOnlyFlareSafeTechniquesArePlanned) {
  // Stage b plans myofascial release and no rule of this protocol holds it.
  const auto r = evaluate(small_protocol(""), R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program: {stage: b, sessions_completed: 4, sessions_in_stage: 1}
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: true, severity: 8, days_since_last: 0, count_30d: 1}
)");
  ASSERT_EQ(r.session.techniques.size(), 1u);
  EXPECT_EQ(r.session.techniques[0].id, "swedish");
  ASSERT_EQ(r.held_techniques.size(), 1u);
  EXPECT_EQ(r.held_techniques[0].rule, "floors.flare-safe-only");
  EXPECT_EQ(r.held_techniques[0].reason,
            "Myofascial release held: only flare-safe techniques are planned during an active "
            "flare (safety floor; flare severity 8/10)");
}

TEST(EngineFloors, NoTaperWithMissedSessionsOrSoonAfterAFlare) {
  const auto p = small_protocol("");
  const auto missed =
      evaluate(p, small_state(R"(program: {weeks_in_program: 12, missed_sessions_30d: 1}
)"));
  EXPECT_EQ(missed.session.frequency, "weekly");
  ASSERT_TRUE(has(missed, AdjustmentKind::frequency_held));
  EXPECT_EQ(find(missed, AdjustmentKind::frequency_held)->rule,
            "floors.no-taper-with-missed-sessions");
  const auto flare = evaluate(p, small_state("program: {weeks_in_program: 12}\n"));
  EXPECT_EQ(flare.session.frequency, "every_other_week");  // no flare on record: tapers
  const auto recent = evaluate(p, R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program: {weeks_in_program: 12}
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: false, days_since_last: 10, count_30d: 0}
)");
  EXPECT_EQ(recent.session.frequency, "weekly");
  EXPECT_EQ(find(recent, AdjustmentKind::frequency_held)->rule,
            "floors.no-taper-after-recent-flare");
}

TEST(EngineFloors, AReportedFlareWinsOverAHealingResponse) {
  const auto p = small_protocol(R"(flare_response:
  - id: fl.sore
    when: not flare.active and value_or(last.soreness_24h, 0) >= 6
    only_flare_safe: true
    reason: like a flare
  - id: fl.active
    when: flare.active
    cap: 3
    reason: "flare: pressure {cap}"
healing_response:
  - id: h.heal
    when: value_or(last.soreness_24h, 0) >= 5
    suppresses: [fl.sore]
    reason: "healing response, not a flare"
)");
  const std::string history = R"(history:
  - {date: 2026-11-18, techniques: [swedish], soreness_24h: 7}
)";
  const auto calm = evaluate(p, small_state(history));
  EXPECT_TRUE(has(calm, AdjustmentKind::note));  // the healing note
  const auto r = evaluate(p, R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: true, severity: 4, days_since_last: 0, count_30d: 1}
)" + history,
                          true);
  for (const auto& a : r.adjustments) EXPECT_NE(a.rule, "h.heal");
  const auto heal = std::find_if(r.trace.begin(), r.trace.end(),
                                 [](const TraceEntry& t) { return t.rule->id == "h.heal"; });
  ASSERT_NE(heal, r.trace.end());
  EXPECT_EQ(heal->outcome, TraceEntry::Outcome::suppressed);
  EXPECT_THAT(heal->detail, HasSubstr("the client reports an active flare"));
}

TEST(SessionsInStage, LeftOutItIsCountedFromTheHistoryNeverMore) {
  const auto p = small_protocol("");
  // Twelve sessions in all, three in the history, the newest two in stage b
  // (myofascial release): b.advance would need 100, so ask for the count.
  const std::string state = R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
program: {stage: b, sessions_completed: 12}
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: false}
history:
  - {date: 2026-10-30, techniques: [swedish]}
  - {date: 2026-11-06, techniques: [swedish, myofascial_release]}
  - {date: 2026-11-13, techniques: [myofascial_release]}
)";
  const auto r = evaluate(p, state, true);
  const auto advance = std::find_if(r.trace.begin(), r.trace.end(),
                                    [](const TraceEntry& t) { return t.rule->id == "b.advance"; });
  ASSERT_NE(advance, r.trace.end());
  ASSERT_FALSE(advance->values.empty());
  EXPECT_EQ(advance->rule->fields[0], "program.sessions_in_stage");
  EXPECT_EQ(advance->values[0], "2");
  // At the first stage with no history: 0, not sessions_completed.
  const auto first = evaluate(p, small_state(R"(program: {sessions_completed: 9}
)"));
  EXPECT_EQ(first.session.stage, "a");
}

}  // namespace
}  // namespace fascia::test
