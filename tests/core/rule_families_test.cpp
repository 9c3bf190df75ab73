// Each rule family and how conflicts resolve (docs/protocol-authoring.md).
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Adjustment* find(const Recommendation& r, AdjustmentKind kind, const std::string& rule) {
  for (const auto& a : r.adjustments)
    if (a.kind == kind && a.rule == rule) return &a;
  return nullptr;
}

std::vector<std::string> technique_ids(const Recommendation& r) {
  std::vector<std::string> ids;
  for (const auto& t : r.session.techniques) ids.push_back(t.id);
  return ids;
}

TEST(PressureCaps, LowestApplicableCapWinsAndEachFiredCapIsExplained) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.sensitive
    when: sensitivity == high
    cap: 4
    reason: "sensitive: at most {cap}"
  - id: cap.pain
    when: pain.current >= 5
    cap: 5
    reason: "pain {pain.current}: at most {cap}"
  - id: cap.never
    when: pain.current > 9
    cap: 1
    reason: never
)");
  const auto r = evaluate(p, small_state("").replace(small_state("").find("moderate"), 8, "high"));
  EXPECT_EQ(r.session.pressure_cap, 4);
  const auto* sensitive = find(r, AdjustmentKind::pressure_cap, "cap.sensitive");
  ASSERT_NE(sensitive, nullptr);
  EXPECT_EQ(sensitive->reason, "sensitive: at most 4");
  EXPECT_EQ(std::get<std::int64_t>(sensitive->value), 4);
  EXPECT_EQ(sensitive->source, "p.yaml:56");
  const auto* pain = find(r, AdjustmentKind::pressure_cap, "cap.pain");
  ASSERT_NE(pain, nullptr);
  EXPECT_EQ(pain->reason, "pain 5: at most 5");
  EXPECT_EQ(find(r, AdjustmentKind::pressure_cap, "cap.never"), nullptr);
  for (const auto& t : r.session.techniques)
    EXPECT_LE(std::get<std::int64_t>(*find_param(t.parameters, "pressure_max")), 4);
}

TEST(PressureCaps, ClientToleranceAndStageCeilingBindWhenLowest) {
  auto r = evaluate(small_protocol(""),
                    small_state().replace(small_state().find("pressure_tolerance: 7"), 21,
                                          "pressure_tolerance: 2"));
  EXPECT_EQ(r.session.pressure_cap, 2);
  EXPECT_NE(find(r, AdjustmentKind::pressure_cap, "client.pressure_tolerance"), nullptr);
  r = evaluate(small_protocol(""), small_state());
  EXPECT_EQ(r.session.pressure_cap, 6);  // stage a's ceiling, tolerance is 7
  const auto* stage = find(r, AdjustmentKind::pressure_cap, "stages.a.pressure_max");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(stage->reason, "Stage 'a' allows pressure up to 6");
}

TEST(PressureCaps, ExpressionCapIsRoundedAndClampedToTheScale) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.expr
    when: "true"
    cap: "pressure_tolerance - 9.4"
    reason: "computed {cap}"
)");
  const auto r = evaluate(p, small_state());
  EXPECT_EQ(r.session.pressure_cap, 1);
  EXPECT_EQ(find(r, AdjustmentKind::pressure_cap, "cap.expr")->reason, "computed 1");
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_THAT(r.warnings[0], HasSubstr("clamped to 1"));
}

TEST(PressureCaps, ComputedNumbersRoundTowardSafety) {
  // Tolerance 7: a cap of 7 / 4 = 1.75 is 1 (down), never 2; a duration of
  // 7 * 6.9 = 48.3 minutes is 48 (down); a postponement of 7 / 3 = 2.33 days
  // is 3 (up). On main: 2, 48 and 2 (to nearest).
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.quarter
    when: "true"
    cap: "pressure_tolerance / 4"
    reason: "computed {cap}"
rules:
  - id: r.computed
    when: "true"
    duration_minutes: "pressure_tolerance * 6.9"
    postpone_days: "pressure_tolerance / 3"
    reason: "computed"
)");
  const auto r = evaluate(p, small_state());
  EXPECT_EQ(r.session.pressure_cap, 1);
  EXPECT_EQ(r.session.duration_minutes, 48);
  EXPECT_EQ(r.session.postpone_days, 3);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
}

TEST(Conditions, FailingConditionAppliesRestrictingRuleConservatively) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.broken
    when: pain.current / (pain.baseline - 6) > 1
    cap: 2
    reason: "broken: {cap}"
)");
  const auto r = evaluate(p, small_state());  // baseline 6: division by zero
  EXPECT_EQ(r.session.pressure_cap, 2);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("rule 'cap.broken'"));
  EXPECT_THAT(r.warnings[0], HasSubstr("applied to be safe"));
}

TEST(Conditions, AbsentValueLeavesRuleUnfiredAndTraceSaysWhy) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.sore
    when: last.soreness_24h >= 7
    cap: 2
    reason: sore
)");
  const auto r = evaluate(p, small_state(), /*explain=*/true);
  EXPECT_EQ(r.session.pressure_cap, 6);
  auto entry = std::find_if(r.trace.begin(), r.trace.end(),
                            [](const TraceEntry& e) { return e.rule->id == "cap.sore"; });
  ASSERT_NE(entry, r.trace.end());
  EXPECT_EQ(entry->outcome, TraceEntry::Outcome::unknown);
  ASSERT_EQ(entry->values.size(), 1u);
  EXPECT_EQ(entry->rule->fields, std::vector<std::string>{"last.soreness_24h"});
  EXPECT_EQ(entry->values[0], "absent");
}

TEST(Flare, OnlyFlareSafeHoldsOtherTechniquesWithReasons) {
  const auto p = small_protocol(R"(flare_response:
  - id: flare.any
    when: flare.active
    only_flare_safe: true
    duration_minutes: 40
    reason: "flare {flare.severity}: gentle, {duration_minutes} minutes"
)");
  const auto r =
      evaluate(p, small_state(R"(program: {stage: c, sessions_in_stage: 1, sessions_completed: 9})")
                      .replace(small_state().find("flare: {active: false}"), 22,
                               "flare: {active: true, severity: 5}"));
  EXPECT_EQ(r.session.stage, "c");
  for (const auto& id : technique_ids(r)) EXPECT_EQ(id, "swedish");
  EXPECT_EQ(r.session.duration_minutes, 40);
  const auto* held = find(r, AdjustmentKind::technique_held, "flare.any");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->reason, "flare 5: gentle, 40 minutes");
  ASSERT_FALSE(r.held_techniques.empty());
  EXPECT_EQ(r.held_techniques[0].rule, "flare.any");
}

TEST(Conflicts, HoldAlwaysWinsOverAdd) {
  const auto p = small_protocol(R"(rules:
  - id: r.add
    when: "true"
    add_techniques: [trigger_point]
    reason: add it
  - id: r.hold
    when: medications_changed
    hold_techniques: [trigger_point]
    reason: hold it
)");
  auto r = evaluate(p, small_state());
  EXPECT_THAT(technique_ids(r), ElementsAre("swedish", "trigger_point"));
  EXPECT_NE(find(r, AdjustmentKind::technique_added, "r.add"), nullptr);
  r = evaluate(p, small_state("medications_changed: true\n"));
  EXPECT_THAT(technique_ids(r), ElementsAre("swedish"));
  EXPECT_EQ(find(r, AdjustmentKind::technique_added, "r.add"), nullptr);
  EXPECT_NE(find(r, AdjustmentKind::technique_held, "r.hold"), nullptr);
}

TEST(Conflicts, ShortestDurationLongestPostponementHighestPriorityReferral) {
  const auto p = small_protocol(R"(rules:
  - id: r.d50
    when: "true"
    duration_minutes: 50
    postpone_days: 2
    refer: physiotherapist
    reason: d50
  - id: r.d30
    when: "true"
    duration_minutes: 30
    postpone_days: 5
    refer: physician
    priority: 5
    reason: d30
  - id: r.d45
    when: "true"
    duration_minutes: 45
    refer: rheumatologist
    priority: 5
    reason: d45
)");
  const auto r = evaluate(p, small_state());
  EXPECT_EQ(r.session.duration_minutes, 30);
  EXPECT_EQ(r.session.postpone_days, 5);
  ASSERT_TRUE(r.session.referral.has_value());
  EXPECT_EQ(r.session.referral->to, "physician");  // priority 5, first in file order
  EXPECT_EQ(r.session.referral->rule, "r.d30");
}

TEST(Stages, AdvanceIntroducesTheNextStagesTechniques) {
  const auto r =
      evaluate(small_protocol(""),
               small_state("program: {stage: a, sessions_completed: 3, sessions_in_stage: 3}\n"));
  EXPECT_EQ(r.session.stage, "b");
  const auto* advanced = find(r, AdjustmentKind::stage_advanced, "a.advance");
  ASSERT_NE(advanced, nullptr);
  EXPECT_EQ(advanced->reason, "3 sessions in a: move to b");
  EXPECT_EQ(std::get<std::string>(advanced->value), "b");
  const auto* added = find(r, AdjustmentKind::technique_added, "a.advance");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(std::get<std::string>(added->value), "myofascial_release");
  EXPECT_THAT(technique_ids(r), ElementsAre("swedish", "myofascial_release"));
}

TEST(Stages, HoldBlocksAdvance) {
  const auto p = small_protocol("", R"(    hold:
      - id: a.hold
        when: medications_changed
        reason: "medication changed: stay in {stage}"
)");
  const auto r = evaluate(p, small_state("program: {stage: a, sessions_completed: 3, "
                                         "sessions_in_stage: 3}\nmedications_changed: true\n"));
  EXPECT_EQ(r.session.stage, "a");
  const auto* held = find(r, AdjustmentKind::stage_held, "a.hold");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->reason, "medication changed: stay in a");
}

TEST(Stages, RegressGoesBackOneStage) {
  const auto state = small_state("program: {stage: b, sessions_completed: 8}\n")
                         .replace(small_state().find("flare: {active: false}"), 22,
                                  "flare: {active: false, count_30d: 2}");
  const auto r = evaluate(small_protocol(""), state);
  EXPECT_EQ(r.session.stage, "a");
  const auto* regressed = find(r, AdjustmentKind::stage_regressed, "b.regress");
  ASSERT_NE(regressed, nullptr);
  EXPECT_EQ(regressed->reason, "2 flares: back to a");
}

TEST(Frequency, StepUpWinsOverStepDownAndStaysOnTheLadder) {
  const auto flare = small_state("program: {frequency: every_other_week, weeks_in_program: 20}\n")
                         .replace(small_state().find("flare: {active: false}"), 22,
                                  "flare: {active: true, severity: 3}");
  auto r = evaluate(small_protocol(""), flare);
  EXPECT_EQ(r.session.frequency, "weekly");
  EXPECT_EQ(r.session.next_session_in_days, 7);
  EXPECT_EQ(find(r, AdjustmentKind::frequency_changed, "f.up")->reason,
            "flare: from every_other_week to weekly");
  r = evaluate(small_protocol(""),
               small_state("program: {frequency: every_other_week, weeks_in_program: 20}\n"));
  EXPECT_EQ(r.session.frequency, "monthly");
  EXPECT_EQ(r.session.next_session_in_days, 28);
  r = evaluate(small_protocol(""),
               small_state("program: {frequency: monthly, weeks_in_program: 40}\n"));
  EXPECT_EQ(r.session.frequency, "monthly");
  EXPECT_EQ(find(r, AdjustmentKind::frequency_changed, "f.down"), nullptr);
}

TEST(HealingResponse, SuppressesListedRulesAndExplains) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.sore
    when: value_or(last.soreness_24h, 0) >= 5
    cap: 2
    reason: sore
healing_response:
  - id: heal
    when: "'myofascial_release' in last.techniques and last.soreness_24h <= 6"
    suppresses: [cap.sore]
    reason: "soreness {last.soreness_24h|not recorded} after MFR is expected"
)");
  const auto state = small_state(R"(history:
  - {date: 2026-11-13, techniques: [swedish, myofascial_release], pressure: 4, soreness_24h: 5}
)");
  const auto r = evaluate(p, state, true);
  EXPECT_EQ(r.session.pressure_cap, 6);
  const auto* note = find(r, AdjustmentKind::note, "heal");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->reason, "soreness 5 after MFR is expected");
  auto entry = std::find_if(r.trace.begin(), r.trace.end(),
                            [](const TraceEntry& e) { return e.rule->id == "cap.sore"; });
  ASSERT_NE(entry, r.trace.end());
  EXPECT_EQ(entry->outcome, TraceEntry::Outcome::suppressed);
}

TEST(Output, IdenticalInputGivesByteIdenticalJson) {
  const auto protocol = read_file(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
  const auto state = read_file(FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.yaml");
  const auto first = to_json(evaluate(protocol, state, true));
  const auto second = to_json(evaluate(protocol, state, true));
  EXPECT_EQ(first, second);
  EXPECT_THAT(first, HasSubstr("\"format\":1"));
}

}  // namespace
}  // namespace fascia::test
