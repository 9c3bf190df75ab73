// fascia evaluate, --help and the exit codes shared by every command.
#include "cli_runner.hpp"

#include <fascia/engine.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kProtocol = "protocols/fibromyalgia.yaml";
const std::string kClient = "protocols/examples/fibromyalgia-client.yaml";

TEST(EvaluateCli, HumanOutputPutsThePlanFirstThenWhatChangedAndWhy) {
  const auto run = run_fascia({"evaluate", "--protocol", kProtocol, "--state", kClient});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const auto plan = run.out.find("Session plan");
  const auto changes = run.out.find("What changed and why");
  ASSERT_NE(plan, std::string::npos);
  ASSERT_NE(changes, std::string::npos);
  EXPECT_LT(plan, changes);
  // Titles, not ids (issue 14): the stage, the frequency, the home items.
  EXPECT_THAT(run.out, HasSubstr("  Stage           Gentle myofascial release\n"));
  EXPECT_THAT(run.out, HasSubstr("  Pressure cap    5 on the client's 1-10 scale (1 lightest, 10 "
                                 "deepest)\n"));
  EXPECT_THAT(run.out,
              HasSubstr("  Frequency       Weekly; next session in 7 days (2026-11-27)\n"));
  EXPECT_THAT(run.out, HasSubstr("hold 2 minutes"));
  EXPECT_THAT(run.out, HasSubstr("Gentle, pain-free stretches held without bouncing (10 minutes a "
                                 "day)"));
  EXPECT_THAT(run.out, Not(HasSubstr("self_mfr")));
  EXPECT_THAT(run.out, HasSubstr("  * Moves up to stage Gentle myofascial release\n"));
  EXPECT_THAT(run.out, HasSubstr("(rule stages.foundation.advance, fibromyalgia.yaml:51)"));
  // Not a terminal: no colour codes.
  EXPECT_THAT(run.out, Not(HasSubstr("\x1b[")));
}

TEST(EvaluateCli, JsonIsExactlyOneDocumentPerTheContract) {
  const auto run = run_fascia({"evaluate", "--protocol", kProtocol, "--state", kClient, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(lines_of(run.out).size(), 1u);
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["format"], 1);
  EXPECT_EQ(doc["client_id"], "C-1042");
  EXPECT_EQ(doc["session"]["stage"], "myofascial_introduction");
  EXPECT_EQ(doc["session"]["pressure_cap"], 5);
  EXPECT_FALSE(doc.contains("trace"));
}

// --json is written from the decision record (Protocol::evaluate_json_into):
// the bytes of the library's to_json(evaluate()), with and without the trace.
TEST(EvaluateCli, JsonIsTheBytesOfTheLibrarysDocument) {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  Engine engine(options);
  ASSERT_TRUE(engine.load_plugins().empty());
  const auto protocol =
      engine.load_protocol(std::string(FASCIA_SOURCE_DIR) + "/" + kProtocol).value();
  for (const std::string state :
       {kClient, std::string("protocols/examples/fibromyalgia-flare.yaml")})
    for (const bool explain : {false, true}) {
      std::vector<std::string> args = {"evaluate", "--protocol", kProtocol,
                                       "--state",  state,        "--json"};
      if (explain) args.push_back("--explain");
      const auto run = run_fascia(args);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      EvaluateOptions evaluate_options;
      evaluate_options.explain = explain;
      const auto expected = protocol->evaluate(
          protocol->load_state(std::string(FASCIA_SOURCE_DIR) + "/" + state).value(),
          evaluate_options);
      EXPECT_EQ(run.out, to_json(expected.value()) + "\n")
          << state << (explain ? " --explain" : "");
    }
}

TEST(EvaluateCli, ExplainShowsEveryRuleConsideredWithTheValuesItSaw) {
  const auto run = run_fascia({"evaluate", "--protocol", kProtocol, "--state",
                               "protocols/examples/fibromyalgia-flare.yaml", "--explain"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Rules considered"));
  EXPECT_THAT(run.out, HasSubstr("  fired      flare.severe  fibromyalgia.yaml:244\n"));
  EXPECT_THAT(run.out, HasSubstr("saw  flare.active = true, flare.severity = 7"));
  EXPECT_THAT(run.out, HasSubstr("  not fired  caps.high-sensitivity"));
}

TEST(EvaluateCli, ReadsTheStateFromStandardInput) {
  const auto run = run_fascia({"evaluate", "--protocol", kProtocol, "--state", "-", "--json"},
                              read_text(std::string(FASCIA_SOURCE_DIR) + "/" + kClient));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["client_id"], "C-1042");
}

TEST(EvaluateCli, AnInvalidStateExits3WithLocatedErrorsAndNothingOnStdout) {
  const std::string state =
      "client: {id: C-1, condition: fibromyalgia}\nas_of: 2026-11-20\n"
      "pain: {current: 12, baseline: 6}\nsensitivity: extreme\n"
      "pressure_tolerance: 5\nflare: {active: false}\n";
  const auto run =
      run_fascia({"evaluate", "--protocol", kProtocol, "--state", "-", "--json"}, state);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err,
              HasSubstr("<stdin>:3:17: error: pain.current must be between 0 and 10, got 12\n"));
  EXPECT_THAT(run.err, HasSubstr("<stdin>:4:14: error: sensitivity must be one of"));
}

TEST(EvaluateCli, AMissingProtocolFileIsInvalidInput) {
  const auto run = run_fascia({"evaluate", "--protocol", "no/such.yaml", "--state", kClient});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, StartsWith("no/such.yaml"));
}

TEST(EvaluateCli, AMissingOptionIsAUsageError) {
  const auto run = run_fascia({"evaluate", "--protocol", kProtocol});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("--state is required"));
}

TEST(EvaluateCli, AnUnknownCommandIsAUsageError) {
  const auto run = run_fascia({"evalute"});
  EXPECT_EQ(run.exit_code, 2);
}

TEST(HelpCli, EveryCommandHasHelpWithAWorkedExample) {
  for (const std::string command :
       {"evaluate", "what-if", "validate", "test", "simulate", "batch", "plugins"}) {
    const auto run = run_fascia({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.out, HasSubstr("Example")) << command;
    EXPECT_THAT(run.out, HasSubstr("fascia " + command)) << command;
  }
}

}  // namespace
// Check-ins and notes are part of the plan the therapist reads before the
// session, not only of "What changed and why" (issue 14).
TEST(EvaluateCli, CheckInsAndNotesAreShownInTheSessionPlan) {
  const auto run = run_fascia({"evaluate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-flare.yaml"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto changes = run.out.find("What changed and why");
  const auto check_in =
      run.out.find("\n  Check in        Ask whether the client wants to go ahead");
  const auto note = run.out.find("\n  Note            Favour slow, relaxing Swedish strokes");
  EXPECT_LT(check_in, changes);
  EXPECT_LT(note, changes);
}

}  // namespace fascia::test
