#include "cli_common.hpp"

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "bounded_input.hpp"

namespace fascia::cli {

Engine make_engine(const CommonOptions& options, bool plugin_problems_are_errors) {
  EngineOptions engine_options;
  engine_options.plugin_dirs = options.plugin_dirs;
  engine_options.allow_plugin_symlinks = options.allow_plugin_symlinks;
  Engine engine(engine_options);
  Diagnostics problems = engine.load_plugins();
  // Printed here once (the library logs them at debug level only).
  if (!plugin_problems_are_errors)
    for (auto& d : problems) d.severity = Severity::warning;
  print_diagnostics(problems);
  return engine;
}

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << d.to_string() << '\n';
}

void print_error(const std::string& message) { std::cerr << "fascia: error: " << message << '\n'; }

void print_load_diagnostics(const Diagnostics& diagnostics, const std::string& path,
                            bool all_warnings) {
  std::size_t warnings = 0;
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::warning && !all_warnings && !has_errors(diagnostics))
      ++warnings;
    else
      std::cerr << d.to_string() << '\n';
  }
  if (warnings > 0)
    std::cerr << path << ": note: " << warnings << (warnings == 1 ? " warning" : " warnings")
              << " about this protocol; see them with: fascia validate " << path
              << " (acknowledge one with lint: {ignore: ...}, docs/protocol-authoring.md)\n";
}

std::shared_ptr<const Protocol> load_protocol(const Engine& engine, const std::string& path,
                                              bool all_warnings) {
  auto loaded = engine.load_protocol(path);
  print_load_diagnostics(loaded.diagnostics(), path, all_warnings);
  if (!loaded) return nullptr;
  return loaded.value();
}

std::optional<std::string> read_input(const std::string& path) {
  // The engine's bounded reader: never more than the limit plus one byte,
  // whatever the input (a pipe, /dev/zero, a huge file).
  std::string text;
  if (auto problem = read_bounded_input(path, input_name(path), Limits{}.max_file_bytes, text)) {
    print_diagnostics({std::move(*problem)});
    return std::nullopt;
  }
  return text;
}

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::optional<ClientState> load_state(const Protocol& protocol, const std::string& path,
                                      const std::vector<StateOverride>& overrides) {
  std::optional<std::string> text;
  if (path == "-" && !(text = read_input(path))) return std::nullopt;
  Outcome<ClientState> state = path == "-" ? protocol.parse_state(*text, "<stdin>", overrides)
                                           : protocol.load_state(path, overrides);
  print_diagnostics(state.diagnostics());
  if (!state) return std::nullopt;
  return std::move(state).value_or_throw();
}

std::optional<StateOverride> parse_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    print_error("--set expects PATH=VALUE (for example flare.active=true), got '" + text + "'");
    return std::nullopt;
  }
  if (const std::size_t limit = Limits{}.max_string_length; text.size() > limit) {
    print_error("--set '" + text.substr(0, std::min<std::size_t>(eq, 60)) + "=...' is too long (" +
                std::to_string(text.size()) + " characters; the limit is " + std::to_string(limit) +
                ")");
    return std::nullopt;
  }
  return StateOverride{text.substr(0, eq), text.substr(eq + 1)};
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr; }

}  // namespace fascia::cli
