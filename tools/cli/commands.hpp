#pragma once
// The fascia subcommands. Each registers its options on the CLI11 app and
// returns the function that runs it (returning the exit status).

#include "cli_common.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace fascia::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// --plugin-dir, shared by every command.
void add_common_options(CLI::App& command, CommonOptions& common);

Command add_evaluate_command(CLI::App& app, CommonOptions& common);
Command add_what_if_command(CLI::App& app, CommonOptions& common);
Command add_validate_command(CLI::App& app, CommonOptions& common);
Command add_test_command(CLI::App& app, CommonOptions& common);
Command add_simulate_command(CLI::App& app, CommonOptions& common);
Command add_batch_command(CLI::App& app, CommonOptions& common);
Command add_plugins_command(CLI::App& app, CommonOptions& common);
Command add_serve_command(CLI::App& app, CommonOptions& common);
Command add_record_command(CLI::App& app, CommonOptions& common);
Command add_schema_command(CLI::App& app, CommonOptions& common);
Command add_handout_command(CLI::App& app, CommonOptions& common);
Command add_chart_command(CLI::App& app, CommonOptions& common);

// Every command, in the order `fascia --help` lists them; or, when `only`
// names one of them (the first argument, as in `fascia evaluate ...`), that
// command alone: setting up all twelve costs about 1.2 M instructions of
// each start (CLI11 builds every option), and the others could not be run.
std::vector<Command> make_commands(CLI::App& app, CommonOptions& common,
                                   std::string_view only = {});

}  // namespace fascia::cli
