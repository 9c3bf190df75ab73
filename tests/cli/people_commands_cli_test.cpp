// The commands for the people in the room: simulate --set and --compare,
// chart (the recorded history as SVG) and handout (the client's page).
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kProtocol = "protocols/fibromyalgia.yaml";
const std::string kClient = "protocols/examples/fibromyalgia-client.yaml";
const std::string kFlare = "protocols/examples/fibromyalgia-flare.yaml";
const std::string kScenario = "protocols/scenarios/fibromyalgia-setback.yaml";

nlohmann::json json_of(const CliRun& run) {
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return nlohmann::json::parse(run.out);
}

TEST(SimulateSet, ChangesTheStartingStateFromWeekOne) {
  const auto plain = json_of(run_fascia(
      {"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks", "4", "--json"}));
  const auto lower =
      json_of(run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks", "4",
                          "--json", "--set", "pressure_tolerance=3"}));
  ASSERT_EQ(plain["sessions"][0]["pressure_cap"], 5);
  // The client's tolerance caps every session of the run, not only the first.
  for (const auto& s : lower["sessions"])
    if (s["status"] == "session") EXPECT_LE(s["pressure_cap"].get<int>(), 3) << s.dump();
}

TEST(SimulateSet, AnUnknownPathIsAUsageErrorNamingIt) {
  const auto run = run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks",
                               "4", "--set", "flare.actve=true"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("flare.actve"));
  EXPECT_EQ(run.out, "");
}

TEST(SimulateCompare, TwoRunsSideBySideInTheTableTheJsonAndOneChart) {
  const auto doc = json_of(run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient,
                                       "--weeks", "12", "--compare", kScenario, "--json"}));
  EXPECT_TRUE(doc["a"]["scenario"].is_null());
  EXPECT_EQ(doc["b"]["scenario"],
            "steady progress, a flare in week 9, a missed session in week 13");
  EXPECT_EQ(doc["b"]["flare_weeks"][0]["week"], 9);
  EXPECT_TRUE(doc["a"]["flare_weeks"].empty());

  const std::string svg = temp_dir("compare") + "/compare.svg";
  const auto run = run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks",
                               "12", "--compare", kScenario, "--svg", svg});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("A: no scenario\nB: steady progress"));
  EXPECT_THAT(run.out, HasSubstr(" Week    A: date     stage"));
  const std::string chart = read_text(svg);
  EXPECT_THAT(chart, HasSubstr("B: pressure cap"));
  EXPECT_THAT(chart, HasSubstr("#7a3fa0"));  // the second run's lines
}

TEST(Chart, DrawsTheRecordedHistoryWithTitles) {
  const auto run = run_fascia({"chart", "--protocol", kProtocol, "--state", kFlare});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(run.out, HasSubstr("Recorded sessions of client C-1042"));
  EXPECT_THAT(run.out, HasSubstr("Now: Swedish foundation"));
  EXPECT_THAT(run.out, HasSubstr("flare now (severity 7)"));
  EXPECT_THAT(run.out, HasSubstr("Pain before (0-10)"));
  EXPECT_THAT(run.out, Not(HasSubstr("Now: foundation")));  // the title, not the id
}

TEST(Chart, AnInvalidStateGivesLocatedErrorsAndNoChart) {
  const auto run = run_fascia({"chart", "--protocol", kProtocol, "--state",
                               "tests/schema/broken_states/pain-out-of-range.yaml"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("pain-out-of-range.yaml:"));
}

TEST(Handout, PlainLanguageForTheClientWithNoClinicInternals) {
  const auto run = run_fascia({"handout", "--protocol", kProtocol, "--state", kFlare});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& html = run.out;
  EXPECT_THAT(html, HasSubstr("<h2>Your home programme</h2>"));
  EXPECT_THAT(html, HasSubstr("Gentle, pain-free stretches held without bouncing"));
  EXPECT_THAT(html, HasSubstr("You are in a flare."));
  EXPECT_THAT(html, HasSubstr("<h2>When to call us</h2>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"date\">Friday 27 November 2026</p>"));
  // No rule ids, protocol paths or reasons written for therapists.
  for (const char* internal :
       {"flare_response", "flare.active", "flare.severity", "caps.", "stages.", "frequency.",
        "fibromyalgia.yaml", "rule", "gentle_stretching"})
    EXPECT_THAT(html, Not(HasSubstr(internal))) << internal;
}

TEST(Handout, WritesTheFileOnlyForAValidState) {
  const std::string dir = temp_dir("handout");
  const auto ok = run_fascia(
      {"handout", "--protocol", kProtocol, "--state", kClient, "--out", dir + "/h.html"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(read_text(dir + "/h.html"), HasSubstr("<!doctype html>"));
  const auto bad =
      run_fascia({"handout", "--protocol", kProtocol, "--state",
                  "tests/schema/broken_states/pain-out-of-range.yaml", "--out", dir + "/bad.html"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(read_text(dir + "/bad.html"), "");
}

}  // namespace
}  // namespace fascia::test
