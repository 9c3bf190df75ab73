#pragma once
// Shared plumbing of the fascia commands: engine set-up with the plugin
// folders, loading protocols and states with every diagnostic printed as
// "FILE:LINE:COL: error: MESSAGE" on stderr.

#include <fascia/engine.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fascia::cli {

struct CommonOptions {
  std::vector<std::string> plugin_dirs;
};

// An engine with the plugins of the configured folders loaded; load problems
// of individual plugin files are printed as warnings.
Engine make_engine(const CommonOptions& options);

void print_diagnostics(const Diagnostics& diagnostics);

// nullptr after printing the problems.
std::shared_ptr<const Protocol> load_protocol(const Engine& engine, const std::string& path);

// Reads a state from a file or "-" (standard input).
std::optional<ClientState> load_state(const Protocol& protocol, const std::string& path,
                                      const std::vector<StateOverride>& overrides = {});

bool stdout_is_terminal();

}  // namespace fascia::cli
