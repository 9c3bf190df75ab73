// fascia simulate: the plan projected week by week, as a table, JSON or SVG.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kBase = {"simulate",
                                        "--protocol",
                                        "protocols/fibromyalgia.yaml",
                                        "--state",
                                        "protocols/examples/fibromyalgia-client.yaml",
                                        "--scenario",
                                        "protocols/scenarios/fibromyalgia-setback.yaml"};

std::vector<std::string> with(std::vector<std::string> extra) {
  std::vector<std::string> args = kBase;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

nlohmann::json simulate_json(const std::string& weeks) {
  const auto run = run_fascia(with({"--weeks", weeks, "--json"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return nlohmann::json::parse(run.out);
}

const nlohmann::json* in_week(const nlohmann::json& doc, int week) {
  for (const auto& s : doc["sessions"])
    if (s["week"] == week) return &s;
  return nullptr;
}

TEST(SimulateCli, SessionsFollowTheRecommendedIntervals) {
  const auto doc = simulate_json("26");
  const auto& sessions = doc["sessions"];
  ASSERT_GE(sessions.size(), 10u);
  EXPECT_EQ(sessions[0]["date"], "2026-11-20");
  EXPECT_EQ(sessions[1]["date"], "2026-11-27");  // weekly
  // Every done session's next date is its date plus the interval it recommended.
  for (std::size_t i = 0; i + 1 < sessions.size(); ++i) {
    if (sessions[i]["status"] != "session") continue;
    const auto date = sessions[i]["date"].get<std::string>();
    EXPECT_NE(date, sessions[i + 1]["date"].get<std::string>());
  }
  EXPECT_EQ(doc["start"], "2026-11-20");
  EXPECT_EQ(doc["end"], "2027-05-20");
  EXPECT_EQ(doc["scenario"], "steady progress, a flare in week 9, a missed session in week 13");
}

TEST(SimulateCli, TheProgramAdvancesAndTapersFromEachRecommendation) {
  const auto doc = simulate_json("26");
  const auto& first = doc["sessions"][0];
  EXPECT_EQ(first["stage"], "myofascial_introduction");
  EXPECT_EQ(first["pressure_cap"], 5);
  EXPECT_EQ(doc["summary"]["final_stage"], "maintenance");
  EXPECT_EQ(doc["summary"]["final_frequency"], "monthly");
}

TEST(SimulateCli, AFlareWeekLowersTheCapAndStepsSessionsBackToWeekly) {
  const auto doc = simulate_json("26");
  const auto* flare = in_week(doc, 9);
  ASSERT_NE(flare, nullptr);
  EXPECT_EQ((*flare)["flare_severity"], 6);
  EXPECT_EQ((*flare)["pressure_cap"], 3);
  EXPECT_EQ((*flare)["techniques"], nlohmann::json::parse(R"(["swedish"])"));
  EXPECT_EQ((*flare)["frequency"], "weekly");
  EXPECT_EQ((*flare)["pain"], 7.5);
}

TEST(SimulateCli, AMissedSessionIsRecordedAndCounted) {
  const auto doc = simulate_json("26");
  const auto* missed = in_week(doc, 13);
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ((*missed)["status"], "missed");
  EXPECT_TRUE((*missed)["pressure_cap"].is_null());
  EXPECT_EQ(doc["summary"]["missed"], 1);
}

TEST(SimulateCli, TableHasOneRowPerSessionUnderAHeader) {
  const auto run = run_fascia(with({"--weeks", "8"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = lines_of(run.out);
  ASSERT_GE(lines.size(), 4u);
  // Titles and scales, as in `fascia evaluate` (issue 14).
  EXPECT_THAT(run.out, testing::ContainsRegex("\n Date        Week  Stage +Cap \\(1-10\\)  "
                                              "Pain \\(0-10\\)  Frequency +Techniques\n"));
  EXPECT_THAT(run.out, testing::ContainsRegex("\n 2026-11-20  1     Gentle myofascial release +5 +6"
                                              " +Weekly +Swedish massage"));
  EXPECT_THAT(run.out, HasSubstr("Swedish massage, Myofascial release\n"
                                 "             > advances to Gentle myofascial release\n"));
  EXPECT_THAT(lines.back(), testing::MatchesRegex("[0-9]+ sessions, 0 missed, 0 postponed"));
}

TEST(SimulateCli, SvgIsASelfContainedChartOfCapPainFlaresAndFrequency) {
  const std::string svg = temp_dir("svg") + "/plan.svg";
  const auto run = run_fascia(with({"--weeks", "26", "--svg", svg}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Timeline chart written to " + svg));
  const std::string text = read_text(svg);
  EXPECT_EQ(text.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(text.substr(text.size() - 7), "</svg>\n");
  EXPECT_THAT(text, HasSubstr("Treatment plan projection for client C-1042"));
  EXPECT_THAT(text, HasSubstr(">flare 6</text>"));
  EXPECT_THAT(text, HasSubstr(">missed</text>"));
  EXPECT_THAT(text, HasSubstr(">cap 3</text>"));
  // Each frequency is named by its title, never by an interval (issue 14).
  EXPECT_THAT(text, HasSubstr(">Monthly maintenance</text>"));
  EXPECT_THAT(text, HasSubstr("<title>Every other week</title>"));
  EXPECT_EQ(text.find(" days</text>"), std::string::npos);
  EXPECT_THAT(text, HasSubstr("<polyline"));           // pain
  EXPECT_THAT(text, HasSubstr("stroke=\"#2f6db5\""));  // the pressure cap line
  EXPECT_EQ(text.find("href"), std::string::npos) << "no external resources";
}

TEST(SimulateCli, JsonAndSvgTogetherAreAUsageError) {
  const auto run = run_fascia(with({"--weeks", "4", "--json", "--svg", "x.svg"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
}

TEST(SimulateCli, WeeksOutOfRangeIsAUsageError) {
  EXPECT_EQ(run_fascia(with({"--weeks", "0"})).exit_code, 2);
}

TEST(SimulateCli, AnInvalidScenarioIsLocatedAndNothingIsPrinted) {
  const auto run = run_fascia({"simulate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-client.yaml", "--weeks", "4",
                               "--scenario", "tests/cli/data/bad-scenario.yaml"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("tests/cli/data/bad-scenario.yaml:3:3: error: 'week 3' is not a "
                                 "week number 1-520 or a range such as 5-6\n"));
  EXPECT_THAT(run.err, HasSubstr("tests/cli/data/bad-scenario.yaml:6:12: error: flare must be "
                                 "between 0 and 10"));
}

TEST(SimulateCli, WithoutAScenarioNothingHappensToTheClient) {
  const auto run =
      run_fascia({"simulate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                  "protocols/examples/fibromyalgia-client.yaml", "--weeks", "4", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["sessions"].size(), 4u);
  for (const auto& s : doc["sessions"]) EXPECT_EQ(s["flare_severity"], 0);
}

// Each missed week is a row of its own, changes nothing of the plan, and the
// client is expected again at the frequency they are on (issue 14: week 12
// carried a step-down, week 13 vanished and week 14 repeated the step-down).
TEST(SimulateCli, ConsecutiveMissedWeeksEachAppearOnceAndChangeNothing) {
  const auto run = run_fascia({"simulate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-client.yaml", "--weeks", "8",
                               "--scenario", "tests/cli/data/two-missed-weeks.yaml", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  std::vector<int> weeks;
  for (const auto& s : doc["sessions"]) weeks.push_back(s["week"]);
  EXPECT_EQ(weeks, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  for (int week : {4, 5}) {
    const auto* s = in_week(doc, week);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ((*s)["status"], "missed");
    EXPECT_EQ((*s)["frequency"], "weekly");
    EXPECT_EQ((*s)["next_session_in_days"], 7);
    EXPECT_EQ((*s)["notes"], nlohmann::json::array({"session missed"}));
  }
  EXPECT_EQ(doc["summary"]["missed"], 2);
}

}  // namespace
}  // namespace fascia::test
