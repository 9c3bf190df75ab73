// fascia test: expected vs actual for each failure, coverage, the closing line.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(TestCli, FailuresShowExpectedAndActualAndTheRunEndsWithTheCounts) {
  const auto run = run_fascia({"test", "tests/cli/data/failing.test.yaml"});
  EXPECT_EQ(run.exit_code, 1);
  const auto& out = run.out;
  EXPECT_THAT(out, HasSubstr("  PASS  this one passes\n"));
  EXPECT_THAT(
      out,
      HasSubstr("  FAIL  wrong cap and techniques  tests/cli/data/failing.test.yaml:8:5\n"
                "        pressure_cap: expected 4, got 3\n"
                "        techniques: expected [swedish, myofascial_release], got [swedish]\n"));
  EXPECT_THAT(out, HasSubstr("        referral: expected physician, got none\n"));
  // A rule that did not fire is shown with what its condition saw.
  EXPECT_THAT(out, HasSubstr("fired: expected flare.severe to fire; outcome not_fired; saw "
                             "flare.active = false,"));
  EXPECT_THAT(
      out, HasSubstr("not_fired: expected stages.foundation.advance not to fire; outcome fired"));
  EXPECT_THAT(out, HasSubstr("parameters: myofascial_release.hold_minutes: expected 4, got 2\n"));
  EXPECT_THAT(out, HasSubstr("warnings: expected 1, got 0\n"));
  EXPECT_THAT(out, HasSubstr("home_program: expected it to include foam_roller, got [self_mfr,"));
  EXPECT_THAT(out, HasSubstr("reasons: stages.foundation.advance: expected a reason containing "
                             "\"twelve sessions\", got \"6\n        sessions of Swedish massage"));
  // The duration of the second case was right: not reported.
  EXPECT_THAT(out, Not(HasSubstr("duration_minutes")));
  const auto lines = lines_of(out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "1 passed, 3 failed");
  EXPECT_EQ(out.back(), '\n');
}

TEST(TestCli, CoverageListsTheRulesNoCaseFiredWithTheirSource) {
  const auto run = run_fascia({"test", "tests/cli/data/passing.test.yaml"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("fibromyalgia 1.0.0 (protocols/fibromyalgia.yaml): 2 of 35 rules "
                                 "fired (5.7%)\n    never fired:\n"));
  EXPECT_THAT(run.out, HasSubstr("flare.severe"));
  EXPECT_THAT(run.out, HasSubstr("flare_response, fibromyalgia.yaml:244\n"));
  EXPECT_EQ(lines_of(run.out).back(), "1 passed, 0 failed");
}

TEST(TestCli, BelowMinCoverageFailsEvenWhenEveryCasePasses) {
  const auto run = run_fascia({"test", "tests/cli/data/passing.test.yaml", "--min-coverage", "50"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("    below --min-coverage 50%\n"));
  EXPECT_EQ(lines_of(run.out).back(), "1 passed, 0 failed");
}

TEST(TestCli, AnInvalidTestFileExits3WithLocatedErrors) {
  const std::string file = "tests/cli/data/invalid.test.yaml";
  const auto run = run_fascia({"test", file});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr(file + ":3:5: error: test case 'no state anywhere' has no state"));
  EXPECT_THAT(run.err, HasSubstr(file + ":6:5: error: missing required key 'name' in test case\n"));
  EXPECT_THAT(run.err,
              HasSubstr(file + ":7:21: error: pressure_cap must be a whole number, got 'eleven'"));
  EXPECT_THAT(run.err, HasSubstr(file + ":8:7: error: unknown key 'colour' in expect"));
  EXPECT_EQ(lines_of(run.out).back(), "0 passed, 0 failed");
}

TEST(TestCli, InvalidCaseStatesAreLocatedInTheTestFile) {
  const std::string file = "tests/cli/data/bad-state.test.yaml";
  const auto run = run_fascia({"test", file});
  EXPECT_EQ(run.exit_code, 3);
  // The bad override at its `set:` entry, the inline state's value at its column.
  EXPECT_THAT(run.err,
              HasSubstr(file + ":7:7: error: flare.active must be true or false, got 'maybe'\n"));
  EXPECT_THAT(run.err,
              HasSubstr(file + ":14:23: error: pain.current must be between 0 and 10, got 14\n"));
  EXPECT_THAT(run.out, HasSubstr("  FAIL  a bad override value"));
  EXPECT_EQ(lines_of(run.out).back(), "0 passed, 2 failed");
}

TEST(TestCli, UnknownIdsInExpectationsAreErrorsNotSilentFailures) {
  const std::string file = "tests/cli/data/unknown-ids.test.yaml";
  const auto run = run_fascia({"test", file});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr(file + ":9:15: error: unknown rule 'flare.severee' (did you mean "
                                        "'flare.severe'?)\n"));
  EXPECT_THAT(run.err, HasSubstr(file + ":10:14: error: unknown stage 'foundaton' (did you mean "
                                        "'foundation'?)\n"));
  EXPECT_THAT(run.err, HasSubstr(file + ":11:20: error: unknown technique 'swedish_massage'"));
}

TEST(TestCli, FoldersAreSearchedForTestFiles) {
  const auto run = run_fascia({"test", "protocols"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out,
              HasSubstr("protocols/fibromyalgia.test.yaml  (Fibromyalgia massage protocol"));
  EXPECT_THAT(run.out,
              HasSubstr("protocols/chronic-low-back-pain.test.yaml  (Chronic low back pain"));
  EXPECT_THAT(run.out,
              HasSubstr("protocols/myofascial-release-course.test.yaml  (Myofascial release"));
  EXPECT_THAT(lines_of(run.out).back(), testing::MatchesRegex("[0-9]+ passed, 0 failed"));
}

TEST(TestCli, AMissingPathIsInvalidInput) {
  const auto run = run_fascia({"test", "no/such/folder"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "no/such/folder: error: no such file or folder\n");
  EXPECT_EQ(run.out, "0 passed, 0 failed\n");
}

}  // namespace
}  // namespace fascia::test
