#pragma once
// The entry point of the library: an Engine owns the loaded technique
// plugins and loads protocols against them. Loading is not thread-safe with
// itself; everything an Engine hands out (Protocol) is immutable and
// thread-safe, and keeps the plugin libraries it uses loaded.

#include <fascia/diagnostic.hpp>
#include <fascia/export.hpp>
#include <fascia/limits.hpp>
#include <fascia/plugin.hpp>
#include <fascia/protocol.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct fascia_plugin_info;

namespace fascia {

struct EngineOptions {
  // Folders searched for plugin libraries, in order, after the bundled
  // plugin folders next to the library and before FASCIA_PLUGIN_PATH. The
  // first file to provide a plugin or technique wins: a later one providing
  // it again is refused naming both files (a bundled plugin is never
  // displaced).
  std::vector<std::string> plugin_dirs;
  // Also search FASCIA_PLUGIN_PATH (colon-separated) and the build/install
  // plugin folders next to the library.
  bool use_environment = true;
  bool use_default_dirs = true;
  // Load a lib*.so in a plugin folder that is a symbolic link to a file
  // outside that folder (refused by default).
  bool allow_plugin_symlinks = false;
  Limits limits;
};

struct PluginDescription {
  std::string file;  // absolute path, or "<built-in>"
  std::string name;
  std::string version;
  unsigned abi_version = 0;
  std::string built_against;  // engine version the plugin was compiled with
  std::vector<std::string> techniques;
};

// A plugin expression function as authors see it (`fascia plugins`).
struct FunctionDescription {
  std::string name;  // qualified: "myofascial_release.healing_response"
  std::vector<FunctionType> parameters;
  FunctionType result = FunctionType::boolean;
  std::string description;
};

// Everything a protocol author needs to know about one loaded technique.
struct TechniqueDescription {
  TechniqueInfo info;  // id, display name, pressures, flare safety...
  std::string plugin;  // plugin name and version
  std::string plugin_version;
  std::vector<ConfigField> config;      // keys accepted under `techniques:` (defaults filled)
  std::vector<ConfigField> parameters;  // parameters it may return
  std::vector<FunctionDescription> functions;
  std::vector<HomeProgramTemplate> home_program;
};

namespace detail {
struct EngineState;
}

class FASCIA_API Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  const EngineOptions& options() const noexcept;
  // The folders plugins are searched in, in order (bundled, configured,
  // environment), whether or not they exist.
  std::vector<std::string> plugin_search_path() const;

  // Loads every plugin library found in the search path. A file that fails
  // to load is skipped and reported; the others stay usable.
  Diagnostics load_plugins();
  // Loads one plugin library by path.
  Diagnostics load_plugin(const std::string& path);
  // Registers a plugin linked into the process (same API as a library).
  Diagnostics add_plugin(const fascia_plugin_info& info);
  std::vector<PluginDescription> plugins() const;
  // Every technique of the loaded plugins, sorted by id.
  std::vector<TechniqueDescription> techniques() const;

  Outcome<std::shared_ptr<const Protocol>> load_protocol(const std::string& path) const;
  Outcome<std::shared_ptr<const Protocol>> parse_protocol(std::string_view yaml,
                                                          const std::string& file_name) const;

  // `fascia validate`: loads a protocol and, when it loads, runs the lint
  // pass (Protocol::lint) over it. Every error and warning, in file order;
  // the protocol is valid when none is an error.
  Diagnostics validate_protocol(const std::string& path) const;
  Diagnostics validate_protocol_text(std::string_view yaml, const std::string& file_name) const;

 private:
  std::shared_ptr<detail::EngineState> state_;
};

}  // namespace fascia
