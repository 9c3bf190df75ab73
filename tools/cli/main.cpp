// fascia: evaluate, test and explore clinical massage protocols.
#include "cli_common.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "heap_prefault.hpp"

#include <fascia/version.hpp>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
  using namespace fascia::cli;
  // One-shot commands only: batch and serve keep the allocator's defaults
  // (its adaptive mmap threshold, which an allocator option turns off).
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command != "batch" && command != "serve") prefault_heap(512 * 1024);
  CLI::App app{"fascia " FASCIA_VERSION_STRING
               ": evaluate clinical massage protocols for chronic pain clients"};
  app.set_version_flag("--version", FASCIA_VERSION_STRING);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 1 protocol tests failed, 2 usage error, 3 invalid input\n"
      "(protocol, state, plugin, expression), 4 internal error. Errors go to stderr as\n"
      "FILE:LINE:COL: error: MESSAGE. Run 'fascia COMMAND --help' for each command.\n\n"
      "Example:\n  fascia evaluate --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml");
  CommonOptions common;
  std::vector<Command> commands = make_commands(app, common, argc > 1 ? argv[1] : "");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  try {
    for (auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const std::exception& e) {
    std::cerr << "fascia: error: internal error: " << e.what() << '\n';
    return exit_internal;
  }
  return exit_usage;
}
