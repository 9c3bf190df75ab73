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
    problems.push_back(
        {Severity::error, file.protocol_location,
         "the protocol under test does not load; run fascia validate " + file.protocol});
    return problems;
  }
  std::vector<std::string> techniques;
  for (const auto& t : engine.techniques()) techniques.push_back(t.info.id);
  for (auto& d : check_test_file(file, *protocol.value(), techniques)) problems.push_back(d);
  return problems;
}

struct ValidateArgs {
  std::vector<std::string> files;
  std::string state;
  std::string protocol;
};

// `fascia validate --state S --protocol P`: the client state alone, against
// the protocol's conditions, stages, frequencies and observations.
int validate_state(const ValidateArgs& args, const CommonOptions& common) {
  if (args.protocol.empty()) {
    print_error(
        "--state needs --protocol P: a client state is checked against a protocol's "
        "stages, frequencies and observations (for the shape alone, use "
        "schemas/client-state.schema.json)");
    return exit_usage;
  }
  Engine engine = make_engine(common);
  auto protocol = load_protocol(engine, args.protocol, /*all_warnings=*/true);
  if (!protocol) return exit_invalid_input;
  auto state = load_state(*protocol, args.state);
  std::cout << input_name(args.state) << ": "
            << (state ? "valid client state for protocol " + protocol->id() + " " +
                            protocol->version()
                      : std::string("invalid client state"))
            << '\n';
  return state ? exit_ok : exit_invalid_input;
}

}  // namespace

Command add_validate_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<ValidateArgs>();
  auto files = std::shared_ptr<std::vector<std::string>>(args, &args->files);
  CLI::App* cmd = app.add_subcommand("validate", "Check protocols: schema, semantics and lint");
  cmd->footer(
      "Prints every problem as FILE:LINE:COL: error|warning: MESSAGE on stderr and one\n"
      "summary line per protocol on stdout (all on stderr when any protocol is invalid:\n"
      "a failing command prints nothing on stdout). Exit 3 if any protocol has an error;\n"
      "warnings (overlapping rules with contradicting actions, rules that never fire,\n"
      "stages or frequencies never reached, safety-floor findings) do not fail\n"
      "validation; with --strict, safety-floor findings (\"safety floor: ...\": a\n"
      "protocol rule that would break a floor the engine then enforces) are errors.\n"
      "A *.test.yaml is checked as a protocol test file (format, and ids against\n"
      "its protocol).\n\n"
      "With --state S --protocol P, checks one client state against the protocol instead\n"
      "(every problem located, as evaluate would report it).\n\n"
      "Example:\n  fascia validate protocols/*.yaml\n"
      "  fascia validate --state my-client.yaml --protocol protocols/fibromyalgia.yaml");
  cmd->add_option("protocols", *files, "Protocol YAML files");
  cmd->add_option("--state", args->state, "Check this client state (YAML or JSON; - for stdin)");
  cmd->add_option("--protocol", args->protocol, "The protocol --state is checked against");
  auto strict = std::make_shared<bool>(false);
  cmd->add_flag("--strict", *strict, "Safety-floor warnings are errors (exit 3)");
  add_common_options(*cmd, common);
  return {cmd, [args, files, strict, &common]() -> int {
            if (!args->state.empty()) {
              if (!files->empty()) {
                print_error("give either protocol files or --state, not both");
                return exit_usage;
              }
              return validate_state(*args, common);
            }
            if (files->empty()) {
              print_error("nothing to validate: give protocol files, or --state S --protocol P");
              return exit_usage;
            }
            Engine engine = make_engine(common);
            bool failed = false;
            // A failing command prints nothing on stdout (docs/cli.md): an
            // invalid file's summary goes to stderr with its problems, and
            // the valid ones' wait until it is known whether any failed.
            std::string valid_summaries;
            for (const auto& file : *files) {
              Diagnostics found = is_test_file(file) ? validate_test_file(engine, file)
                                                     : engine.validate_protocol(file);
              if (*strict)
                for (auto& d : found)
                  if (d.severity == Severity::warning && d.code == DiagnosticCode::safety_floor)
                    d.severity = Severity::error;
              print_diagnostics(found);
              std::size_t errors = 0, warnings = 0;
              for (const auto& d : found) (d.severity == Severity::error ? errors : warnings) += 1;
              failed = failed || errors > 0;
              const std::string summary =
                  file + ": " + (is_test_file(file) ? "test file " : "") +
                  (errors ? "invalid, " + count(errors, "error") + ", " : "valid, ") +
                  count(warnings, "warning") + '\n';
              if (errors)
                std::cerr << summary;
              else
                valid_summaries += summary;
            }
            (failed ? std::cerr : std::cout) << valid_summaries;
            return failed ? exit_invalid_input : exit_ok;
          }};
}

}  // namespace fascia::cli
