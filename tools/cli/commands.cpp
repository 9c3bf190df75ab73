#include "commands.hpp"

namespace fascia::cli {

void add_common_options(CLI::App& command, CommonOptions& common) {
  command.add_option("--plugin-dir", common.plugin_dirs,
                     "Folder to load technique plugins from (repeatable; searched after "
                     "the bundled plugins and before FASCIA_PLUGIN_PATH, colon-separated; "
                     "the first file to provide a technique wins)");
  command.add_flag("--allow-plugin-symlinks", common.allow_plugin_symlinks,
                   "Also load plugin files that are symbolic links to a library outside "
                   "their plugin folder (refused by default)");
}

std::vector<Command> make_commands(CLI::App& app, CommonOptions& common) {
  std::vector<Command> commands;
  commands.push_back(add_evaluate_command(app, common));
  commands.push_back(add_what_if_command(app, common));
  commands.push_back(add_validate_command(app, common));
  commands.push_back(add_test_command(app, common));
  commands.push_back(add_record_command(app, common));
  commands.push_back(add_simulate_command(app, common));
  commands.push_back(add_batch_command(app, common));
  commands.push_back(add_plugins_command(app, common));
  commands.push_back(add_serve_command(app, common));
  commands.push_back(add_schema_command(app, common));
  commands.push_back(add_chart_command(app, common));
  commands.push_back(add_handout_command(app, common));
  return commands;
}

}  // namespace fascia::cli
