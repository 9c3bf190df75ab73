#pragma once
// The plugin host: loads technique plugin libraries, checks them, and keeps
// them loaded for as long as anything created from them is alive.
//
// Loading a file runs its code, so the host only opens absolute canonical
// paths that no other user can write to, whose bytes are a complete shared
// library for this CPU (file_trust.hpp), reads the plain fascia_plugin_info
// struct and checks its ABI version before touching any C++ class, and calls
// every plugin function through the noexcept boundary wrappers below.

#include <cstddef>
#include <cstdint>
#include <fascia/diagnostic.hpp>
#include <fascia/engine.hpp>
#include <fascia/plugin.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include "plugin_host/declared_inputs.hpp"
#include "plugin_host/file_trust.hpp"

namespace fascia::detail {

struct PluginRecord {
  PluginDescription description;
  std::shared_ptr<void> library;  // keeps the shared library loaded; null for built-ins
  // The library file, as checked before it was loaded and still open: its
  // SHA-256 is read from it when a protocol pins the plugin. Null for
  // built-ins.
  std::shared_ptr<const CheckedPluginFile> file;
};

// Everything the engine needs from one technique, read once at registration.
struct TechniqueEntry {
  std::shared_ptr<const Technique> technique;  // its deleter keeps the library alive
  TechniqueInfo info;
  std::vector<ConfigField> config_schema;
  // For in-session techniques always contains `pressure_max` (integer,
  // 1..info.max_pressure): the host adds it when the plugin does not declare it.
  std::vector<ConfigField> parameter_schema;
  std::vector<PluginFunction> functions;
  std::vector<HomeProgramTemplate> home_templates;
  // What adjust() reads (Technique::inputs()), and a number no other entry
  // of this process has: the per-thread memo of adjust() results is kept
  // under it (an address could be reused by a later plugin).
  DeclaredInputs inputs;
  std::uint64_t serial = 0;
  std::shared_ptr<const PluginRecord> plugin;
};

struct PluginFolderOptions {
  // Load a lib*.so that is a symbolic link to a file outside the folder
  // (by default refused: the folder's owner did not put that library there).
  bool allow_symlinks_leaving_folder = false;
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;
  PluginHost(PluginHost&&) noexcept;
  PluginHost& operator=(PluginHost&&) noexcept;

  // Loads one library. A relative path is made absolute against the current
  // directory first. Loading a path that is already loaded is a no-op. A
  // plugin that fails any check is not registered at all (none of its
  // techniques), and its library handle is released.
  Diagnostics load_file(const std::string& path);
  // Loads every lib*.so in `dir` (not recursive), in file-name order. A
  // missing folder is an error; each failing file is reported (once, at its
  // path) and skipped: the others still load.
  Diagnostics load_directory(const std::string& dir, const PluginFolderOptions& options);
  Diagnostics load_directory(const std::string& dir) { return load_directory(dir, {}); }
  // Registers a plugin linked into the process; its file is "<built-in>".
  Diagnostics add_builtin(const fascia_plugin_info& info);

  std::shared_ptr<const TechniqueEntry> find_technique(std::string_view id) const;
  std::shared_ptr<const PluginRecord> find_plugin(std::string_view name) const;
  // The technique that declares a home-program template id (ids are unique
  // across plugins), or null.
  std::shared_ptr<const TechniqueEntry> find_home_template(std::string_view id) const;
  std::vector<PluginDescription> plugins() const;                         // sorted by name
  std::vector<std::shared_ptr<const TechniqueEntry>> techniques() const;  // sorted by id

 private:
  // load_file() of a path already canonical.
  Diagnostics load_canonical(const std::string& file);
  Diagnostics register_plugin(const fascia_plugin_info& info, const std::string& file,
                              std::shared_ptr<void> library,
                              std::shared_ptr<const CheckedPluginFile> checked = nullptr);

  std::map<std::string, std::shared_ptr<const PluginRecord>, std::less<>> plugins_;
  std::map<std::string, std::shared_ptr<const TechniqueEntry>, std::less<>> techniques_;
  std::map<std::string, std::shared_ptr<const TechniqueEntry>, std::less<>> home_templates_;
  std::set<std::string, std::less<>> loaded_files_;
};

}  // namespace fascia::detail

// The other parts of the host, for code that includes this header only.
#include "plugin_host/boundary.hpp"       // IWYU pragma: export
#include "plugin_host/config_values.hpp"  // IWYU pragma: export
#include "plugin_host/search_path.hpp"    // IWYU pragma: export
