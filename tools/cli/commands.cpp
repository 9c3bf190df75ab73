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

std::vector<Command> make_commands(CLI::App& app, CommonOptions& common, std::string_view only) {
  using Add = Command (*)(CLI::App&, CommonOptions&);
  // Each name is the one its function gives CLI11 (tests/cli checks).
  static constexpr std::pair<std::string_view, Add> all[] = {
      {"evaluate", add_evaluate_command}, {"what-if", add_what_if_command},
      {"validate", add_validate_command}, {"test", add_test_command},
      {"record", add_record_command},     {"simulate", add_simulate_command},
      {"batch", add_batch_command},       {"plugins", add_plugins_command},
      {"serve", add_serve_command},       {"schema", add_schema_command},
      {"chart", add_chart_command},       {"handout", add_handout_command}};
  std::vector<Command> commands;
  for (const auto& [name, add] : all)
    if (name == only) commands.push_back(add(app, common));
  if (!commands.empty()) return commands;
  for (const auto& [name, add] : all) commands.push_back(add(app, common));
  return commands;
}

}  // namespace fascia::cli
