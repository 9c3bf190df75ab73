#pragma once
// Runs the fascia binary built in this tree and captures what it prints.

#include <string>
#include <vector>

namespace fascia::test {

struct CliRun {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// `fascia ARGS...` from the source tree root, with `input` on standard input
// and no FASCIA_PLUGIN_PATH: the plugins come from the build tree.
CliRun run_fascia(const std::vector<std::string>& args, const std::string& input = "");

// Lines of `text`, without their line breaks.
std::vector<std::string> lines_of(const std::string& text);

std::string read_text(const std::string& path);
// A fresh empty folder under the test's temporary directory.
std::string temp_dir(const std::string& name);

}  // namespace fascia::test
