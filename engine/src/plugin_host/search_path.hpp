#pragma once
// Where plugins are looked for. The engine searches, in this order:
//   1. the bundled folders (default_plugin_dirs), when use_default_dirs;
//   2. the configured folders (EngineOptions::plugin_dirs, --plugin-dir),
//      in the order given;
//   3. FASCIA_PLUGIN_PATH, when use_environment.
// The first plugin to provide a plugin name or a technique id wins; a later
// file providing it again is refused naming both files. So a bundled
// plugin can never be displaced by a file in a configured folder.

#include <string>
#include <vector>

namespace fascia::detail {

// <folder of the binary holding the engine>/fascia/plugins (build/lib/ in
// the build tree, PREFIX/lib/ when installed); when that binary sits in a
// bin/ folder (engine linked statically), also ../lib/fascia/plugins.
// Resolved once a process (the first call), then copied.
std::vector<std::string> default_plugin_dirs();

// FASCIA_PLUGIN_PATH split at ':'; empty entries are ignored.
std::vector<std::string> plugin_dirs_from_env();

}  // namespace fascia::detail
