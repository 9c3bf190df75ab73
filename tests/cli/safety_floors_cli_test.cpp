// The safety floors end to end (issue 10, CONTRACT.md "Safety floors"):
// what-if on a red-flag day holds every escalation and names the red flag;
// a clinic protocol that breaks the floors gets located warnings from
// validate (errors with --strict) and a plan that keeps them from evaluate.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kUnsafe = "tests/properties/data/unsafe-clinic.yaml";

std::vector<std::string> kinds_of(const nlohmann::json& recommendation) {
  std::vector<std::string> out;
  for (const auto& a : recommendation["adjustments"]) out.push_back(a["kind"]);
  return out;
}

const nlohmann::json* adjustment(const nlohmann::json& r, const std::string& kind) {
  for (const auto& a : r["adjustments"])
    if (a["kind"] == kind) return &a;
  return nullptr;
}

TEST(SafetyFloorsCli, PainFarAboveBaselineRefersAndHoldsTheAdvance) {
  const auto run = run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-client.yaml", "--set",
                               "pain.current=9", "--set", "pain.baseline=5", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  // Without the red flag the client advances and gains myofascial release.
  EXPECT_EQ(doc["baseline"]["session"]["stage"], "myofascial_introduction");
  const auto& w = doc["what_if"];
  EXPECT_EQ(w["session"]["stage"], "foundation");
  EXPECT_EQ(w["session"]["referral"]["rule"], "general.pain-far-above-baseline");
  EXPECT_EQ(w["session"]["frequency"], "weekly");
  const auto* held = adjustment(w, "stage_held");
  ASSERT_NE(held, nullptr) << w.dump(2);
  EXPECT_EQ((*held)["rule"], "general.pain-far-above-baseline");
  EXPECT_EQ((*held)["reason"],
            "Advance to 'myofascial_introduction' held: referral to physician today "
            "(general.pain-far-above-baseline)");
  for (const auto& kind : kinds_of(w)) {
    EXPECT_NE(kind, "stage_advanced");
    EXPECT_NE(kind, "technique_added");
  }
  for (const auto& a : w["adjustments"])
    if (a["kind"] == "frequency_changed") EXPECT_EQ(a["value"], "weekly");
}

TEST(SafetyFloorsCli, TheHoldShowsInTheHumanWhatIfAndTheTrace) {
  const auto run = run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-client.yaml", "--set",
                               "pain.current=9", "--set", "pain.baseline=5"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("general.pain-far-above-baseline"));
  const auto explain =
      run_fascia({"evaluate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                  "protocols/examples/fibromyalgia-client.yaml", "--json", "--explain"},
                 "");
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
}

TEST(SafetyFloorsCli, ValidateWarnsAtTheUnsafeRulesAndStrictMakesThemErrors) {
  const auto run = run_fascia({"validate", kUnsafe});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // Myofascial release planned in a severe flare: located at the stage.
  EXPECT_THAT(run.err, HasSubstr(kUnsafe + ":22:5: warning: safety floor: stage 'start' plans "
                                           "'myofascial_release', which is not flare-safe"));
  EXPECT_THAT(run.err, HasSubstr(kUnsafe + ":27:9: warning: safety floor: rule 'start.advance' "
                                           "advances the stage during an active flare"));
  EXPECT_THAT(run.err, HasSubstr("warning: safety floor: rule 'frequency.taper' steps sessions "
                                 "down while sessions are missed"));
  EXPECT_THAT(run.err, HasSubstr("warning: safety floor: healing-response rule "
                                 "'healing.sore-after-release' can fire together with the flare "
                                 "response"));
  EXPECT_THAT(run.err, HasSubstr("warning: safety floor: rule 'general.add-trigger-points' adds "
                                 "'trigger_point', which is not flare-safe"));
  const auto strict = run_fascia({"validate", "--strict", kUnsafe});
  EXPECT_EQ(strict.exit_code, 3);
  EXPECT_THAT(strict.err, HasSubstr(kUnsafe + ":22:5: error: safety floor: stage 'start'"));
  // A failing command prints nothing on stdout: the summary is on stderr.
  EXPECT_EQ(strict.out, "");
  EXPECT_THAT(strict.err, HasSubstr(kUnsafe + ": invalid, 7 errors, 0 warnings"));
}

TEST(SafetyFloorsCli, EvaluateKeepsTheFloorsTheUnsafeProtocolBreaks) {
  // A severity-8 flare at the start stage after enough sessions to advance.
  const std::string state = R"({"format": 1, "client": {"id": "C-9", "condition": "fibromyalgia"},
    "as_of": "2026-11-20", "program": {"stage": "start", "sessions_completed": 4,
    "sessions_in_stage": 4, "weeks_in_program": 6, "frequency": "weekly"},
    "pain": {"current": 6, "baseline": 6}, "sensitivity": "moderate", "pressure_tolerance": 5,
    "flare": {"active": true, "severity": 8, "days_since_last": 1, "count_30d": 1}})";
  const auto run = run_fascia({"evaluate", "--protocol", kUnsafe, "--state", "-", "--json"}, state);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto r = nlohmann::json::parse(run.out);
  EXPECT_EQ(r["session"]["stage"], "start");
  ASSERT_EQ(r["session"]["techniques"].size(), 1u) << r.dump(2);
  EXPECT_EQ(r["session"]["techniques"][0]["id"], "swedish");
  bool mfr_held = false;
  for (const auto& h : r["held_techniques"])
    if (h["id"] == "myofascial_release") {
      mfr_held = true;
      EXPECT_EQ(h["rule"], "floors.flare-safe-only");
      EXPECT_THAT(h["reason"].get<std::string>(),
                  HasSubstr("only flare-safe techniques are planned during an active flare"));
    }
  EXPECT_TRUE(mfr_held) << r.dump(2);
  const auto* held = adjustment(r, "stage_held");
  ASSERT_NE(held, nullptr) << r.dump(2);
  EXPECT_EQ((*held)["rule"], "flare.keep-going");
  const auto* taper = adjustment(r, "frequency_held");
  ASSERT_NE(taper, nullptr) << r.dump(2);
  EXPECT_EQ((*taper)["value"], "weekly");
  EXPECT_EQ(r["session"]["frequency"], "weekly");
}

TEST(SafetyFloorsCli, MissedSessionsNeverTaper) {
  const std::string state = R"({"format": 1, "client": {"id": "C-9", "condition": "fibromyalgia"},
    "as_of": "2026-11-20", "program": {"stage": "start", "sessions_completed": 1,
    "sessions_in_stage": 1, "weeks_in_program": 6, "frequency": "weekly",
    "missed_sessions_30d": 3}, "pain": {"current": 5, "baseline": 6}, "sensitivity": "moderate",
    "pressure_tolerance": 5, "flare": {"active": false}})";
  const auto run = run_fascia({"evaluate", "--protocol", kUnsafe, "--state", "-", "--json"}, state);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto r = nlohmann::json::parse(run.out);
  EXPECT_EQ(r["session"]["frequency"], "weekly");
  const auto* taper = adjustment(r, "frequency_held");
  ASSERT_NE(taper, nullptr) << r.dump(2);
  EXPECT_EQ((*taper)["rule"], "floors.no-taper-with-missed-sessions");
  EXPECT_EQ((*taper)["reason"],
            "Step down from 'weekly' to 'every_other_week' held: 3 sessions missed in the last 30 "
            "days (safety floor: never taper while sessions are missed)");
}

}  // namespace
}  // namespace fascia::test
