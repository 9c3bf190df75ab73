// The command table (tools/cli/commands.cpp): `fascia NAME ...` sets up
// command NAME alone, so each name in the table must be the one its
// function gives CLI11, and `fascia --help` must still list every command.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> listed_commands() {
  const CliRun run = run_fascia({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  std::vector<std::string> names;
  bool in_list = false;
  const std::regex entry(R"(^  ([a-z-]+) +\S.*$)");
  for (const std::string& line : lines_of(run.out)) {
    if (line == "Subcommands:") {
      in_list = true;
      continue;
    }
    std::smatch m;
    if (in_list && std::regex_match(line, m, entry))
      names.push_back(m[1]);
    else if (in_list && line.empty())
      break;
  }
  return names;
}

TEST(CommandsCli, HelpListsEveryCommandInOrder) {
  EXPECT_THAT(listed_commands(),
              ElementsAre("evaluate", "what-if", "validate", "test", "record", "simulate", "batch",
                          "plugins", "serve", "schema", "chart", "handout"));
}

TEST(CommandsCli, EachCommandSetUpAloneAnswersItsOwnHelp) {
  for (const std::string& name : listed_commands()) {
    SCOPED_TRACE(name);
    const CliRun run = run_fascia({name, "--help"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr(" " + name + " [OPTIONS]"));
  }
}

TEST(CommandsCli, AMisspelledCommandIsStillAUsageError) {
  const CliRun run = run_fascia({"evalute", "--protocol", "p.yaml"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("A subcommand is required"));
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace fascia::test
