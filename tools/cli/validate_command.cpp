// fascia validate: every problem of every protocol given, in one pass.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "test_file.hpp"

#include <iostream>
#include <memory>

namespace fascia::cli {

namespace {

std::string count(std::size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

bool is_test_file(const std::string& path) {
  return path.size() > 10 && path.compare(path.size() - 10, 10, ".test.yaml") == 0;
}

// A *.test.yaml given with the protocols (protocols/*.yaml matches both) is
// checked as a test file: its format, and its ids against its protocol.
Diagnostics validate_test_file(const Engine& engine, const std::string& path) {
  Diagnostics problems;
  TestFile file;
  if (!read_test_file(path, file, problems)) return problems;
  auto protocol = engine.load_protocol(file.protocol);
  if (!protocol) {
    problems.push_back({Severity::error, file.protocol_location,
                        "the protocol under test does not load; run fascia validate " +
                            file.protocol});
    return problems;
  }
  std::vector<std::string> techniques;
  for (const auto& t : engine.techniques()) techniques.push_back(t.info.id);
  for (auto& d : check_test_file(file, *protocol.value(), techniques)) problems.push_back(d);
  return problems;
}

}  // namespace

Command add_validate_command(CLI::App& app, CommonOptions& common) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("validate", "Check protocols: schema, semantics and lint");
  cmd->footer(
      "Prints every problem as FILE:LINE:COL: error|warning: MESSAGE on stderr and one\n"
      "summary line per protocol on stdout. Exit 3 if any protocol has an error;\n"
      "warnings (overlapping rules with contradicting actions, rules that never fire,\n"
      "stages or frequencies never reached, safety-floor findings) do not fail\n"
      "validation; with --strict, safety-floor findings (\"safety floor: ...\": a\n"
      "protocol rule that would break a floor the engine then enforces) are errors.\n"
      "A *.test.yaml is checked as a protocol test file (format, and ids against\n"
      "its protocol).\n\n"
      "Example:\n  fascia validate protocols/*.yaml");
  cmd->add_option("protocols", *files, "Protocol YAML files")->required();
  auto strict = std::make_shared<bool>(false);
  cmd->add_flag("--strict", *strict, "Safety-floor warnings are errors (exit 3)");
  add_common_options(*cmd, common);
  return {cmd, [files, strict, &common]() -> int {
            Engine engine = make_engine(common);
            bool failed = false;
            for (const auto& file : *files) {
              Diagnostics found = is_test_file(file) ? validate_test_file(engine, file)
                                                     : engine.validate_protocol(file);
              if (*strict)
                for (auto& d : found)
                  if (d.severity == Severity::warning && d.message.starts_with("safety floor: "))
                    d.severity = Severity::error;
              print_diagnostics(found);
              std::size_t errors = 0, warnings = 0;
              for (const auto& d : found)
                (d.severity == Severity::error ? errors : warnings) += 1;
              failed = failed || errors > 0;
              std::cout << file << ": "
                        << (is_test_file(file) ? "test file " : "")
                        << (errors ? "invalid, " + count(errors, "error") + ", " : "valid, ")
                        << count(warnings, "warning") << '\n';
            }
            return failed ? exit_invalid_input : exit_ok;
          }};
}

}  // namespace fascia::cli
