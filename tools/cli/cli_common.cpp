#include "cli_common.hpp"

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <unistd.h>

namespace fascia::cli {

Engine make_engine(const CommonOptions& options) {
  EngineOptions engine_options;
  engine_options.plugin_dirs = options.plugin_dirs;
  Engine engine(engine_options);
  Diagnostics problems = engine.load_plugins();
  for (auto& d : problems) d.severity = Severity::warning;
  print_diagnostics(problems);
  return engine;
}

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << d.to_string() << '\n';
}

std::shared_ptr<const Protocol> load_protocol(const Engine& engine, const std::string& path) {
  auto loaded = engine.load_protocol(path);
  print_diagnostics(loaded.diagnostics());
  if (!loaded) return nullptr;
  return loaded.value();
}

std::optional<ClientState> load_state(const Protocol& protocol, const std::string& path,
                                      const std::vector<StateOverride>& overrides) {
  Outcome<ClientState> state =
      path == "-" ? protocol.parse_state(std::string(std::istreambuf_iterator<char>(std::cin), {}),
                                         "<stdin>", overrides)
                  : protocol.load_state(path, overrides);
  print_diagnostics(state.diagnostics());
  if (!state) return std::nullopt;
  return std::move(state).value_or_throw();
}

bool stdout_is_terminal() {
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

}  // namespace fascia::cli
