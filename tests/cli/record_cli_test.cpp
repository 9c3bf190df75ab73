// fascia record: the next client state from what happened in a session, and
// the round trip: recording every session of a scripted scenario gives the
// plans `fascia simulate` projects.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const std::string kProtocol = "protocols/fibromyalgia.yaml";
const std::string kClient = "protocols/examples/fibromyalgia-client.yaml";

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

Json record_json(std::vector<std::string> extra, const std::string& state = kClient) {
  std::vector<std::string> args = {"record", "--protocol", kProtocol, "--state", state, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto run = run_fascia(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.exit_code == 0 ? Json::parse(run.out) : Json();
}

TEST(RecordCli, AGivenSessionMovesTheProgramOnAndAppendsTheHistory) {
  const Json next = record_json({"--pressure", "4", "--soreness", "3", "--pain-after", "4"});
  EXPECT_EQ(next["as_of"], "2026-11-27");  // weekly: seven days later
  EXPECT_EQ(next["program"]["sessions_completed"], 7);
  EXPECT_EQ(next["program"]["weeks_in_program"], 7);
  EXPECT_EQ(next["program"]["frequency"], "weekly");
  EXPECT_EQ(next["flare"]["days_since_last"], 52);  // 45 + 7
  ASSERT_EQ(next["history"].size(), 3u);
  const Json& entry = next["history"][2];
  EXPECT_EQ(entry["date"], "2026-11-20");
  EXPECT_EQ(entry["pressure"], 4);
  EXPECT_EQ(entry["soreness_24h"], 3);
  EXPECT_EQ(entry["pain_before"], 6);  // pain.current when not given
  EXPECT_EQ(entry["pain_after"], 4);
  EXPECT_FALSE(entry.contains("override"));
  EXPECT_EQ(entry["stage"], next["program"]["stage"]);  // the stage it was given in
}

TEST(RecordCli, AHistoryStageMustBeAStageOfTheProtocol) {
  const std::string dir = temp_dir("record-history-stage");
  Json state = Json::parse(std::ifstream(std::string(FASCIA_SOURCE_DIR) +
                                         "/protocols/examples/fibromyalgia-client.json"));
  state["history"][0]["stage"] = "foundaton";
  write_text(dir + "/state.json", state.dump(2));
  const auto yaml = read_text(std::string(FASCIA_SOURCE_DIR) + "/" + kClient);
  const auto at = yaml.find("    techniques:");
  ASSERT_NE(at, std::string::npos);
  write_text(dir + "/state.yaml", yaml.substr(0, at) + "    stage: foundaton\n" + yaml.substr(at));
  // The JSON readers (fast and document) and the YAML reader say the same.
  for (const std::string path : {dir + "/state.json", dir + "/state.yaml"}) {
    const auto run = run_fascia({"evaluate", "--protocol", kProtocol, "--state", path});
    EXPECT_EQ(run.exit_code, 3) << path;
    EXPECT_EQ(run.out, "");
    EXPECT_THAT(run.err, HasSubstr("foundaton")) << run.err;
    EXPECT_THAT(run.err, HasSubstr("'foundation'")) << run.err;  // did you mean
  }
}

TEST(RecordCli, TheWrittenStateIsTheOneTheNextEvaluateReads) {
  const std::string dir = temp_dir("record-yaml");
  const auto run = run_fascia({"record", "--protocol", kProtocol, "--state", kClient, "--soreness",
                               "2", "--out", dir + "/next.yaml"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("next session 2026-11-27"));
  const auto eval =
      run_fascia({"evaluate", "--protocol", kProtocol, "--state", dir + "/next.yaml", "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(Json::parse(eval.out)["as_of"], "2026-11-27");
  // YAML and JSON forms read back to the same state.
  const Json from_yaml = record_json({"--soreness", "2"}, dir + "/next.yaml");
  write_text(dir + "/next.json", record_json({"--soreness", "2"}).dump());
  const Json from_json = record_json({"--soreness", "2"}, dir + "/next.json");
  EXPECT_EQ(from_yaml, from_json);
}

TEST(RecordCli, AMissedSessionIsCountedAndAgesOutAfterThirtyDays) {
  Json next = record_json({"--missed"});
  EXPECT_EQ(next["program"]["missed_sessions_30d"], 1);
  EXPECT_EQ(next["program"]["last_missed"], "2026-11-20");
  EXPECT_EQ(next["program"]["sessions_completed"], 6);
  EXPECT_EQ(next["history"].size(), 2u);
  EXPECT_EQ(next["as_of"], "2026-11-27");
  const std::string dir = temp_dir("record-missed");
  for (int i = 0; i < 4; ++i) {
    write_text(dir + "/s.json", next.dump());
    next = record_json({"--soreness", "2"}, dir + "/s.json");
  }
  // 2026-11-20 + 35 days: the miss is out of the 30-day window.
  EXPECT_EQ(next["as_of"], "2026-12-25");
  EXPECT_EQ(next["program"]["missed_sessions_30d"], 0);
}

TEST(RecordCli, ATechniqueOutsideThePlanNeedsAnOverrideReason) {
  const auto refused = run_fascia({"record", "--protocol", kProtocol, "--state", kClient,
                                   "--techniques", "swedish,deep_tissue"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_EQ(refused.out, "");
  EXPECT_THAT(refused.err, HasSubstr("session.techniques: 'deep_tissue' was not in the plan"));
  const Json next = record_json(
      {"--techniques", "swedish,deep_tissue", "--override", "client asked for deeper work"});
  EXPECT_EQ(next["history"][2]["techniques"], Json({"swedish", "deep_tissue"}));
  EXPECT_EQ(next["history"][2]["override"], "client asked for deeper work");
}

TEST(RecordCli, ASessionBeforeTheLastRecordedOneIsRefused) {
  const auto run =
      run_fascia({"record", "--protocol", kProtocol, "--state", kClient, "--date", "2026-11-10"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("session.date: 2026-11-10 is before the last recorded session "
                                 "(2026-11-13)"));
}

TEST(RecordCli, TheHistoryKeepsTheNewestEntries) {
  const Json next = record_json({"--keep", "2"});
  ASSERT_EQ(next["history"].size(), 2u);
  EXPECT_EQ(next["history"][0]["date"], "2026-11-13");
  EXPECT_EQ(next["history"][1]["date"], "2026-11-20");
}

// What the therapist enters at a session's intake in the scripted scenario
// (tests/cli/data/round-trip-scenario.yaml), applied to the recorded state.
void intake(Json& state, const Json& row, bool flare_started) {
  state["pain"]["current"] = row["pain"];
  const int week = row["week"];
  if (week >= 6) state["pressure_tolerance"] = 6;
  if (week == 9) state["sleep_quality"] = 3;
  if (week >= 10) state["sleep_quality"] = 6;
  const double flare = row["flare_severity"];
  state["flare"]["active"] = flare > 0;
  state["flare"]["severity"] = flare;
  if (flare_started) {
    state["flare"]["days_since_last"] = 0;
    state["flare"]["count_30d"] = state["flare"]["count_30d"].get<int>() + 1;
  }
  if (week == 16 && row["status"] == "session") state["medications_changed"] = true;
}

TEST(RecordCli, RecordingEverySessionOfAScenarioGivesSimulatesPlans) {
  const auto sim =
      run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks", "26",
                  "--scenario", "tests/cli/data/round-trip-scenario.yaml", "--json"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  const Json rows = Json::parse(sim.out)["sessions"];
  ASSERT_GE(rows.size(), 15u);  // weekly, then every other week as the plan tapers
  const std::string dir = temp_dir("record-round-trip");
  const std::string file = dir + "/state.json";
  // The example client, from its JSON form (the same state as kClient; the
  // golden test JsonStateFileIsReadByTheJsonReaders keeps the two equal).
  Json state = Json::parse(std::ifstream(std::string(FASCIA_SOURCE_DIR) +
                                         "/protocols/examples/fibromyalgia-client.json"));
  ASSERT_TRUE(state.is_object());
  double previous_flare = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Json& row = rows[i];
    SCOPED_TRACE("session " + std::to_string(i + 1) + " on " + row["date"].get<std::string>());
    ASSERT_EQ(state["as_of"], row["date"]);
    const double flare = row["flare_severity"];
    intake(state, row, flare > 0 && previous_flare <= 0);
    previous_flare = flare;
    write_text(file, state.dump());
    const auto eval = run_fascia({"evaluate", "--protocol", kProtocol, "--state", file, "--json"});
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    const Json plan = Json::parse(eval.out)["session"];
    std::vector<std::string> args;
    if (row["status"] == "missed") {
      args = {"--missed"};
    } else if (row["status"] == "postponed") {
      args = {"--postponed"};
      EXPECT_GT(plan["postpone_days"], 0);
    } else {
      EXPECT_EQ(plan["stage"], row["stage"]);
      EXPECT_EQ(plan["pressure_cap"], row["pressure_cap"]);
      EXPECT_EQ(plan["frequency"], row["frequency"]);
      Json ids = Json::array();
      for (const auto& t : plan["techniques"]) ids.push_back(t["id"]);
      EXPECT_EQ(ids, row["techniques"]);
      args = {"--soreness", row["soreness_24h"].dump()};
    }
    state = record_json(args, file);
    ASSERT_TRUE(state.is_object());
    if (row["status"] == "session") EXPECT_EQ(state["history"].back()["stage"], row["stage"]);
  }
  // The state after the last session is where simulate's next one would be.
  EXPECT_GE(state["as_of"].get<std::string>(), "2027-05-21");
  // The chart draws the stages the sessions were given in, by their titles.
  write_text(file, state.dump());
  const auto chart = run_fascia({"chart", "--protocol", kProtocol, "--state", file});
  ASSERT_EQ(chart.exit_code, 0) << chart.err;
  EXPECT_THAT(chart.out, HasSubstr(">Stage</text>"));
  EXPECT_THAT(chart.out, HasSubstr("<title>Gentle myofascial release ("));
  EXPECT_THAT(chart.out, HasSubstr("stroke-dasharray=\"4 4\""));  // where the stage changed
  EXPECT_THAT(chart.out, testing::Not(HasSubstr(">myofascial_introduction")));
}

}  // namespace
}  // namespace fascia::test
