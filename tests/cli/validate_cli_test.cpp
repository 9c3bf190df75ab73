// fascia validate: every problem of every protocol, located, in one run.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ValidateCli, AProtocolBrokenInFiveWaysGetsAllFiveWithLinesAndColumns) {
  const std::string file = "tests/cli/data/five-problems.yaml";
  const auto run = run_fascia({"validate", file});
  EXPECT_EQ(run.exit_code, 3);
  // A failing command prints nothing on stdout: the summary ends stderr.
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(
      lines_of(run.err),
      ElementsAre(file + ":25:27: error: unknown technique 'myofascial_releas' (did you mean "
                         "'myofascial_release'?); loaded techniques: deep_tissue, home_program, "
                         "myofascial_release, swedish, trigger_point",
                  file + ":30:10: error: cap must be between 1 and 10, got 12",
                  file +
                      ":37:36: error: interval_days must increase down the ladder (most frequent "
                      "first): 10 follows 14",
                  file + ":44:11: error: unknown field 'observations.stiffness_minutes'",
                  file + ":50:21: error: unknown field 'last.sorenes_24h'; did you mean "
                         "'last.soreness_24h'?",
                  file + ": invalid, 5 errors, 0 warnings"));
}

TEST(ValidateCli, LintWarnsAboutContradictionsAndWhatCanNeverHappen) {
  const std::string file = "tests/cli/data/lint-warnings.yaml";
  const auto run = run_fascia({"validate", file});
  EXPECT_EQ(run.exit_code, 0) << "warnings alone do not fail validation";
  EXPECT_EQ(run.out, file + ": valid, 8 warnings\n");
  // Three are safety-floor findings (tests/cli/safety_floors_cli_test.cpp
  // covers those); the other five, in line order:
  std::vector<std::string> lines;
  for (const auto& line : lines_of(run.err))
    if (line.find("warning: safety floor: ") == std::string::npos) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u) << run.err;
  EXPECT_EQ(lines[0], file +
                          ":19:9: warning: rule 'gentle.advance' never fired in 4000 generated "
                          "client states at stage 'gentle' (every field varied across its "
                          "range): check that its condition can be true");
  EXPECT_EQ(lines[1], file +
                          ":22:5: warning: stage 'deep' may never be reached: in 4000 generated "
                          "client states at stage 'gentle', no advance rule fired");
  EXPECT_EQ(lines[2], file +
                          ":30:7: warning: frequency 'monthly' may never be reached: in 4000 "
                          "generated client states on 'every_other_week', no step_down rule "
                          "fired");
  // Both rule locations, and an example of a client for whom both fire.
  EXPECT_THAT(lines[3], HasSubstr(file + ":40:5: warning: rules 'deep-when-tolerant' (" + file +
                                  ":36:5) and 'no-deep-when-sore' can both fire (for example when "
                                  "pressure_tolerance = "));
  EXPECT_THAT(lines[3], HasSubstr("'deep-when-tolerant' adds 'deep_tissue' and "
                                  "'no-deep-when-sore' holds it (the hold wins)"));
  EXPECT_THAT(lines[4], HasSubstr(file + ":48:5: warning: rules 'refer-high-pain' (" + file +
                                  ":44:5) and 'refer-rising-pain' can both fire"));
  EXPECT_THAT(lines[4], HasSubstr("both refer ('physician' and 'physiotherapist') at priority 0"));
}

TEST(ValidateCli, EveryFileIsCheckedAndTheExitCodeReflectsTheWorst) {
  const auto run = run_fascia({"validate", "protocols/fibromyalgia.yaml",
                               "tests/cli/data/five-problems.yaml", "no/such.yaml"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("protocols/fibromyalgia.yaml: valid, 0 warnings\n"));
  EXPECT_THAT(run.err, HasSubstr("tests/cli/data/five-problems.yaml: invalid, 5 errors"));
  EXPECT_THAT(run.err, HasSubstr("no/such.yaml: invalid, 1 error, 0 warnings\n"));
  EXPECT_THAT(run.err, HasSubstr("no/such.yaml"));
}

TEST(ValidateCli, BundledProtocolsAndTheirTestFilesAreClean) {
  const auto run = run_fascia(
      {"validate", "protocols/fibromyalgia.yaml", "protocols/myofascial-release-course.yaml",
       "protocols/chronic-low-back-pain.yaml", "protocols/fibromyalgia.test.yaml"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.err, "");
  EXPECT_THAT(run.out,
              HasSubstr("protocols/fibromyalgia.test.yaml: test file valid, 0 warnings\n"));
}

TEST(ValidateCli, ATestFileNamingAnUnknownRuleIsInvalid) {
  const auto run = run_fascia({"validate", "tests/cli/data/unknown-ids.test.yaml"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("tests/cli/data/unknown-ids.test.yaml:9:15: error: unknown rule "
                                 "'flare.severee' (did you mean 'flare.severe'?)"));
}

// A client state on its own (issue 14), not read as a protocol.
TEST(ValidateCli, AStateIsCheckedAgainstTheProtocolGiven) {
  const auto ok = run_fascia({"validate", "--state", "protocols/examples/fibromyalgia-client.yaml",
                              "--protocol", "protocols/fibromyalgia.yaml"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out,
            "protocols/examples/fibromyalgia-client.yaml: valid client state for protocol "
            "fibromyalgia 1.0.0\n");
  const auto bad = run_fascia({"validate", "--state", "tests/cli/data/bad-as-of-state.yaml",
                               "--protocol", "protocols/fibromyalgia.yaml"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.out, "tests/cli/data/bad-as-of-state.yaml: invalid client state\n");
  EXPECT_THAT(bad.err,
              HasSubstr("tests/cli/data/bad-as-of-state.yaml:5:8: error: as_of must be a date"));
  EXPECT_THAT(bad.err, HasSubstr("morning_stiffness"));
  // No cascade: an invalid as_of is one error, not also "history date ... is
  // after as_of 1970-01-01".
  EXPECT_THAT(bad.err, testing::Not(HasSubstr("1970-01-01")));
  const auto usage =
      run_fascia({"validate", "--state", "protocols/examples/fibromyalgia-client.yaml"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("--state needs --protocol P"));
}

}  // namespace
}  // namespace fascia::test
