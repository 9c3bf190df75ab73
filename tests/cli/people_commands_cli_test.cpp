// The commands for the people in the room: simulate --set and --compare,
// chart (the recorded history as SVG) and handout (the client's page).
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

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

TEST(SimulateSet, AFlareTodayLastsWeekOneAndIsOnRecordInTheWeeksAfter) {
  const auto run =
      json_of(run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks", "2",
                          "--json", "--set", "flare.active=true", "--set", "flare.severity=6"}));
  const auto& rows = run["sessions"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["flare_severity"], 6);
  EXPECT_EQ(rows[1]["flare_severity"], 0);  // over after week 1, as a scenario's flare week
  // ... but seven days later it is the last flare: no advance right after it.
  EXPECT_EQ(rows[1]["stage"], rows[0]["stage"]);
  EXPECT_THAT(rows[1]["notes"].dump(), HasSubstr("stages.foundation.hold-recent-flare"));
}

TEST(SimulateSet, AMedicationChangeIsSeenAtTheFirstSession) {
  const auto run =
      json_of(run_fascia({"simulate", "--protocol", kProtocol, "--state", kClient, "--weeks", "2",
                          "--json", "--set", "medications_changed=true"}));
  const auto& rows = run["sessions"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0]["notes"].dump(), HasSubstr("medication changed"));
  EXPECT_THAT(rows[0]["notes"].dump(), HasSubstr("stages.foundation.hold-medication"));
  EXPECT_THAT(rows[1]["notes"].dump(), Not(HasSubstr("medication changed")));
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

TEST(Handout, WhenToCallComesFromTheProtocolWithADefault) {
  const auto own = run_fascia({"handout", "--protocol", kProtocol, "--state", kClient});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  EXPECT_THAT(own.out,
              HasSubstr("<li>your sleep gets much worse for several nights in a row;</li>"));
  const auto back = run_fascia({"handout", "--protocol", "protocols/chronic-low-back-pain.yaml",
                                "--state", "protocols/examples/low-back-client.yaml"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_THAT(back.out, HasSubstr("<li>pain starts to spread down a leg;</li>"));
  EXPECT_THAT(back.out, HasSubstr("trouble controlling your bladder or bowels"));

  // The same protocol without `handout:` gets the default words; with a
  // placeholder in them it is refused, located.
  const std::string text = read_text(std::string(FASCIA_SOURCE_DIR) + "/" + kProtocol);
  const auto at = text.find("\nhandout:\n");
  ASSERT_NE(at, std::string::npos);
  const std::string dir = temp_dir("handout-words");
  std::ofstream(dir + "/plain.yaml", std::ios::binary) << text.substr(0, at + 1);
  const auto plain = run_fascia({"handout", "--protocol", dir + "/plain.yaml", "--state", kClient});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out,
              HasSubstr("<li>soreness after the session lasts longer than two days;</li>"));
  EXPECT_THAT(plain.out, HasSubstr("In an emergency, call the emergency number."));
  EXPECT_THAT(plain.out, Not(HasSubstr("several nights in a row")));
  std::ofstream(dir + "/placeholder.yaml", std::ios::binary)
      << text.substr(0, at + 1)
      << "handout:\n  when_to_call:\n    - your pain is above {pain.current};\n";
  const auto bad =
      run_fascia({"handout", "--protocol", dir + "/placeholder.yaml", "--state", kClient});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.out, "");
  EXPECT_THAT(bad.err, HasSubstr("placeholder.yaml:"));
  EXPECT_THAT(bad.err, HasSubstr("no {placeholders}"));
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
