// fascia plugins: what each technique offers a protocol author.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

const nlohmann::json* technique(const nlohmann::json& doc, const std::string& id) {
  for (const auto& t : doc["techniques"])
    if (t["id"] == id) return &t;
  return nullptr;
}

TEST(PluginsCli, JsonDescribesEveryTechniqueForAuthors) {
  const auto run = run_fascia({"plugins", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["plugins"].size(), 5u);
  const auto* mfr = technique(doc, "myofascial_release");
  ASSERT_NE(mfr, nullptr);
  EXPECT_EQ((*mfr)["display_name"], "Myofascial release");
  EXPECT_EQ((*mfr)["flare_safe"], false);
  EXPECT_EQ((*mfr)["max_pressure"], 6);
  EXPECT_EQ((*mfr)["kind"], "in_session");
  bool hold_min = false;
  for (const auto& f : (*mfr)["config"])
    if (f["name"] == "hold_minutes_min") {
      hold_min = true;
      EXPECT_EQ(f["type"], "integer");
      EXPECT_EQ(f["min"], 1);
      EXPECT_EQ(f["max"], 10);
      EXPECT_EQ(f["default"], 2);
    }
  EXPECT_TRUE(hold_min);
  ASSERT_EQ((*mfr)["functions"].size(), 1u);
  EXPECT_EQ((*mfr)["functions"][0]["name"], "myofascial_release.healing_response");
  EXPECT_EQ((*mfr)["functions"][0]["result"], "boolean");
  ASSERT_EQ((*mfr)["home_program"].size(), 1u);
  EXPECT_EQ((*mfr)["home_program"][0]["id"], "self_mfr");
  EXPECT_EQ((*mfr)["home_program"][0]["defaults"]["minutes_per_day"], 5);
  const auto* swedish = technique(doc, "swedish");
  ASSERT_NE(swedish, nullptr);
  EXPECT_EQ((*swedish)["flare_safe"], true);
}

TEST(PluginsCli, HumanOutputListsPressuresConfigFunctionsAndHomeItems) {
  const auto run = run_fascia({"plugins"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("  deep_tissue - Deep tissue massage"));
  EXPECT_THAT(run.out, HasSubstr("in session; pressure default 5, max 8; not flare-safe"));
  EXPECT_THAT(run.out, HasSubstr("      min_tolerance              integer 1-10, default 6\n"));
  EXPECT_THAT(run.out, HasSubstr("function myofascial_release.healing_response() -> boolean"));
  EXPECT_THAT(run.out, HasSubstr("home-program item self_mfr: 5 minutes a day"));
}

TEST(PluginsCli, AMissingPluginFolderIsReported) {
  const auto run = run_fascia({"plugins", "--plugin-dir", "no/such/dir"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("no/such/dir"));
}

}  // namespace
}  // namespace fascia::test
