#include "commands.hpp"
#include "exit_codes.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace fascia::cli {

Command add_plugins_command(CLI::App& app, CommonOptions& common) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("plugins", "List the technique plugins found");
  cmd->footer("Example:\n  fascia plugins --plugin-dir ./my-plugins --json");
  cmd->add_flag("--json", *json, "Print one JSON document");
  add_common_options(*cmd, common);
  return {cmd, [json, &common]() -> int {
            Engine engine = make_engine(common);
            const auto plugins = engine.plugins();
            if (*json) {
              nlohmann::ordered_json out = nlohmann::ordered_json::array();
              for (const auto& p : plugins)
                out.push_back({{"file", p.file},
                               {"name", p.name},
                               {"version", p.version},
                               {"abi", p.abi_version},
                               {"built_against", p.built_against},
                               {"techniques", p.techniques}});
              std::cout << nlohmann::ordered_json{{"search_path", engine.plugin_search_path()},
                                                  {"plugins", out}}
                               .dump()
                        << '\n';
              return exit_ok;
            }
            std::cout << "Plugin folders searched:\n";
            for (const auto& d : engine.plugin_search_path()) std::cout << "  " << d << '\n';
            std::cout << "\n" << plugins.size() << " plugin(s):\n";
            for (const auto& p : plugins) {
              std::cout << "  " << p.name << " " << p.version << "  (ABI " << p.abi_version
                        << ")  " << p.file << "\n    techniques:";
              for (const auto& t : p.techniques) std::cout << ' ' << t;
              std::cout << '\n';
            }
            return exit_ok;
          }};
}

}  // namespace fascia::cli
