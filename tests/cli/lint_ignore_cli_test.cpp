// Load-time warnings: printed in full by `fascia validate`, counted in one
// line by the commands that evaluate; a protocol acknowledges an intended
// one with `lint: {ignore: [{code, reason}]}`.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kProtocol = "tests/cli/data/stage-as-input.yaml";
const std::string kAcknowledged = "tests/cli/data/stage-as-input-acknowledged.yaml";
const std::string kState = "tests/cli/data/stage-as-input-client.yaml";

std::string note_line(const std::string& file, int warnings) {
  return file + ": note: " + std::to_string(warnings) +
         " warnings about this protocol; see them with: fascia validate " + file +
         " (acknowledge one with lint: {ignore: ...}, docs/protocol-authoring.md)";
}

TEST(LintIgnoreCli, ValidatePrintsTheLoadWarningsInFull) {
  const auto run = run_fascia({"validate", kProtocol});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, kProtocol + ": valid, 2 warnings\n");
  EXPECT_THAT(lines_of(run.err),
              ElementsAre(kProtocol + ":21:5: warning: stage 'release' can never be reached by "
                                      "progression: stage 'gentle' has no advance rules",
                          kProtocol + ":24:5: warning: stage 'maintenance' can never be reached by "
                                      "progression: stage 'release' has no advance rules"));
}

TEST(LintIgnoreCli, EvaluateAndBatchPrintOneLineCountingThem) {
  const auto evaluate = run_fascia({"evaluate", "--protocol", kProtocol, "--state", kState});
  EXPECT_EQ(evaluate.exit_code, 0) << evaluate.err;
  EXPECT_THAT(lines_of(evaluate.err), ElementsAre(note_line(kProtocol, 2)));
  EXPECT_THAT(evaluate.out, HasSubstr("release"));

  const auto batch = run_fascia({"batch", "--protocol", kProtocol}, "{}\n");
  EXPECT_THAT(batch.err, HasSubstr(note_line(kProtocol, 2) + "\n"));
  EXPECT_THAT(batch.err, ::testing::Not(HasSubstr("can never be reached")));
}

TEST(LintIgnoreCli, AnAcknowledgedCodeIsNotReportedAgain) {
  const auto validate = run_fascia({"validate", kAcknowledged});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_EQ(validate.out, kAcknowledged + ": valid, 0 warnings\n");
  EXPECT_EQ(validate.err, "");
  const auto evaluate = run_fascia({"evaluate", "--protocol", kAcknowledged, "--state", kState});
  EXPECT_EQ(evaluate.exit_code, 0) << evaluate.err;
  EXPECT_EQ(evaluate.err, "");
}

TEST(LintIgnoreCli, AnUnknownCodeIsAnErrorWithASuggestion) {
  const std::string file = "tests/schema/broken_protocols/lint-unknown-code.yaml";
  const auto run = run_fascia({"validate", file});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr(file + ":34:13: error: lint.ignore code must be one of: "));
  EXPECT_THAT(run.err, HasSubstr("(did you mean 'stage-unreachable'?)"));
}

}  // namespace
}  // namespace fascia::test
