#pragma once
// Shared plumbing of the fascia commands: engine set-up with the plugin
// folders, loading protocols and states with every diagnostic printed as
// "FILE:LINE:COL: error: MESSAGE" on stderr.

#include "override_blame.hpp"

#include <fascia/engine.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fascia::cli {

struct CommonOptions {
  std::vector<std::string> plugin_dirs;
  bool allow_plugin_symlinks = false;
};

// An engine with the plugins of the configured folders loaded; load problems
// of individual plugin files are printed once each, located at the file, as
// warnings (as errors for `fascia plugins`, whose subject they are); the
// other plugins still load.
Engine make_engine(const CommonOptions& options, bool plugin_problems_are_errors = false);

void print_diagnostics(const Diagnostics& diagnostics);
// One "fascia: error: MESSAGE" line on stderr (problems with no file).
void print_error(const std::string& message);

// Prints what loading a protocol found: errors in full; warnings (the
// protocol's design, e.g. a stage no rule leads to) in full only when
// `all_warnings` (fascia validate), else as one line counting them and
// saying how to see them.
void print_load_diagnostics(const Diagnostics& diagnostics, const std::string& path,
                            bool all_warnings);

// nullptr after printing the problems (print_load_diagnostics).
std::shared_ptr<const Protocol> load_protocol(const Engine& engine, const std::string& path,
                                              bool all_warnings = false);

// The text of a file, or of standard input for "-"; nullopt after printing
// why it cannot be read.
std::optional<std::string> read_input(const std::string& path);
// How `--state -` is named in messages.
std::string input_name(const std::string& path);

// Reads a state from a file or "-" (standard input).
std::optional<ClientState> load_state(const Protocol& protocol, const std::string& path,
                                      const std::vector<StateOverride>& overrides = {});

// is_override_problem() and override_behind(): documents/override_blame.hpp.

// Splits "PATH=VALUE"; nullopt after printing a usage error.
std::optional<StateOverride> parse_override(const std::string& text);

bool stdout_is_terminal();

}  // namespace fascia::cli
