// Placeholder until the command lands: registered so that --help lists it.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <iostream>

namespace fascia::cli {

Command add_simulate_command(CLI::App& app, CommonOptions& common) {
  CLI::App* cmd = app.add_subcommand("simulate", "(not available yet)");
  add_common_options(*cmd, common);
  return {cmd, [] {
            std::cerr << "fascia: error: 'simulate' is not available in this build yet\n";
            return exit_internal;
          }};
}

}  // namespace fascia::cli
