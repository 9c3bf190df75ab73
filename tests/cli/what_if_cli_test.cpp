// fascia what-if: the therapist's "what if the client is in a flare?".
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kBase = {"what-if", "--protocol", "protocols/fibromyalgia.yaml",
                                        "--state", "protocols/examples/fibromyalgia-client.yaml"};

std::vector<std::string> with(std::vector<std::string> extra) {
  std::vector<std::string> args = kBase;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

const nlohmann::json* change(const nlohmann::json& doc, const std::string& path) {
  for (const auto& c : doc["changes"])
    if (c["path"] == path) return &c;
  return nullptr;
}

TEST(WhatIfCli, JsonHasBaselineWhatIfAndChangesWithTheirRules) {
  const auto run =
      run_fascia(with({"--set", "flare.active=true", "--set", "flare.severity=5", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(lines_of(run.out).size(), 1u);
  const auto doc = nlohmann::json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"baseline", "changes", "what_if"}));  // sorted by json
  EXPECT_EQ(doc["baseline"]["session"]["pressure_cap"], 5);
  EXPECT_EQ(doc["what_if"]["session"]["pressure_cap"], 3);
  const auto* cap = change(doc, "session.pressure_cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(
      *cap,
      nlohmann::json::parse(
          R"({"path": "session.pressure_cap", "from": 5, "to": 3, "rules": ["flare.active"]})"));
  const auto* duration = change(doc, "session.duration_minutes");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ((*duration)["from"], 60);
  EXPECT_EQ((*duration)["to"], 45);
  // The stage no longer advances: the advance rule that moved it is named.
  const auto* stage = change(doc, "session.stage");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ((*stage)["to"], "foundation");
  EXPECT_EQ((*stage)["rules"], nlohmann::json::parse(R"(["stages.foundation.advance"])"));
  // Unchanged fields are not listed.
  EXPECT_EQ(change(doc, "session.frequency"), nullptr);
}

TEST(WhatIfCli, KeysAppearInContractOrder) {
  const auto run = run_fascia(with({"--set", "pain.current=9", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("{\"baseline\":{", 0), 0u);
  EXPECT_LT(run.out.find(",\"what_if\":{"), run.out.find(",\"changes\":["));
}

TEST(WhatIfCli, AReferralChangeNamesTheReferringRule) {
  const auto run =
      run_fascia(with({"--set", "pain.current=10", "--set", "pain.baseline=5", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  const auto* referral = change(doc, "session.referral");
  ASSERT_NE(referral, nullptr);
  EXPECT_TRUE((*referral)["from"].is_null());
  EXPECT_EQ((*referral)["to"], "physician");
  EXPECT_EQ((*referral)["rules"], nlohmann::json::parse(R"(["general.pain-far-above-baseline"])"));
}

TEST(WhatIfCli, HumanOutputShowsBothSidesAndExplainsEachChangeInPlainWords) {
  const auto run = run_fascia(with({"--set", "flare.active=true"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("What if flare.active = true\n"));
  EXPECT_THAT(run.out, HasSubstr("Baseline"));
  EXPECT_THAT(run.out, HasSubstr("  * Pressure cap  5 of 10"));
  EXPECT_THAT(run.out, HasSubstr("  * Pressure cap: 5 -> 3\n"));
  EXPECT_THAT(run.out, HasSubstr("  * Stage: Gentle myofascial release -> Swedish foundation\n"));
  EXPECT_THAT(run.out, HasSubstr("No longer applies: 6 sessions of Swedish massage tolerated"));
  EXPECT_THAT(run.out, HasSubstr("Now: flare.active = true (was false)"));
  EXPECT_THAT(run.out, HasSubstr("(rule flare.active, fibromyalgia.yaml:232)"));
}

TEST(WhatIfCli, AnUnknownPathIsAUsageErrorNamingIt) {
  const auto run = run_fascia(with({"--set", "flare.activ=true", "--json"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "--set: error: unknown state path 'flare.activ' in --set (did you mean "
            "'flare.active'?)\n");
}

TEST(WhatIfCli, ABadValueIsAUsageErrorNamingThePath) {
  const auto run = run_fascia(with({"--set", "flare.active=maybe", "--set", "pain.current=12"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "--set flare.active: error: flare.active must be true or false, got 'maybe'\n"
            "--set pain.current: error: pain.current must be between 0 and 10, got 12\n");
}

// A problem located in the state file but caused by a --set is blamed on
// that --set by the fields it is about (Diagnostic::fields), not its wording.
TEST(WhatIfCli, AProblemOfAnotherFieldIsBlamedOnTheSetThatCausedIt) {
  const auto run = run_fascia(with({"--set", "pain.current=6", "--set", "as_of=2026-11-10"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "--set as_of: error: history date 2026-11-13 is after as_of 2026-11-10\n");
}

TEST(WhatIfCli, SettingTheNewestHistoryEntryWithoutHistoryIsAUsageError) {
  const auto run =
      run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                  "protocols/examples/new-client.yaml", "--set", "last.soreness_24h=5"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("cannot set 'last.soreness_24h': the state has no history entry"));
}

TEST(WhatIfCli, SetWithoutAnEqualsSignIsAUsageError) {
  const auto run = run_fascia(with({"--set", "flare.active"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "fascia: error: --set expects PATH=VALUE (for example flare.active=true), "
            "got 'flare.active'\n");
}

TEST(WhatIfCli, AnInvalidBaseStateIsInvalidInputNotAUsageError) {
  const auto run = run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "-", "--set", "flare.active=true"},
                              "client: {id: C-1}\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace fascia::test
