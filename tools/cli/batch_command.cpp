// Placeholder until the command lands: registered so that --help lists it.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <iostream>

namespace fascia::cli {

Command add_batch_command(CLI::App& app, CommonOptions& common) {
  CLI::App* cmd = app.add_subcommand("batch", "(not available yet)");
  add_common_options(*cmd, common);
  return {cmd, [] {
            std::cerr << "fascia: error: 'batch' is not available in this build yet\n";
            return exit_internal;
          }};
}

}  // namespace fascia::cli
