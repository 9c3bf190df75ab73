#pragma once
// The plugin host: loads technique plugin libraries, checks them, and keeps
// them loaded for as long as anything created from them is alive.
//
// Loading a file runs its code, so the host only opens absolute canonical
// paths that no other user can write to, reads the plain fascia_plugin_info
// struct and checks its ABI version before touching any C++ class, and calls
// every plugin function through the noexcept boundary wrappers below.

#include <cstddef>
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

namespace fascia::detail {

struct PluginRecord {
  PluginDescription description;
  std::shared_ptr<void> library;  // keeps the shared library loaded; null for built-ins
  // SHA-256 of the library file's bytes, read just before it was loaded (a
  // protocol may pin it); empty for built-ins.
  std::string sha256;
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
  std::shared_ptr<const PluginRecord> plugin;
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
  // missing folder is an error; each failing file is reported and skipped.
  Diagnostics load_directory(const std::string& dir);
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
  Diagnostics register_plugin(const fascia_plugin_info& info, const std::string& file,
                              std::shared_ptr<void> library, std::string sha256 = {});

  std::map<std::string, std::shared_ptr<const PluginRecord>, std::less<>> plugins_;
  std::map<std::string, std::shared_ptr<const TechniqueEntry>, std::less<>> techniques_;
  std::map<std::string, std::shared_ptr<const TechniqueEntry>, std::less<>> home_templates_;
  std::set<std::string, std::less<>> loaded_files_;
};

// <folder of the binary holding the engine>/fascia/plugins (build/lib/ in
// the build tree, PREFIX/lib/ when installed); when that binary sits in a
// bin/ folder (engine linked statically), also ../lib/fascia/plugins.
std::vector<std::string> default_plugin_dirs();
// Lowercase hex SHA-256 of a file's bytes, or nullopt (with `error` set)
// when it cannot be read.
std::optional<std::string> file_sha256(const std::string& path, std::string& error);

// FASCIA_PLUGIN_PATH split at ':'; empty entries are ignored.
std::vector<std::string> plugin_dirs_from_env();

// Boundary wrappers: call plugin code, catch everything, never throw.
// `error` names the technique, plugin, version and file.
bool call_adjust(const TechniqueEntry& entry, const TechniqueContext& context,
                 TechniqueResult& result, std::string& error) noexcept;
// Checks the argument count and the type of the returned value (monostate
// means unknown and is always allowed; a non-finite number is a failure).
FunctionValue call_function(const PluginFunction& function, const ClientState& state,
                            const Params& config, const FunctionValue* args, std::size_t count,
                            bool& failed, std::string& error) noexcept;

// One value against its declaration: type, range, allowed values. Returns
// the problem ("must be an integer, got \"x\""), or nullopt when fine. The
// text does not name the field: callers prefix it.
std::optional<std::string> check_value(const ConfigField& field, const ParamValue& value);
// Validates a technique's returned parameters against its parameter_schema
// (unknown names, duplicates, types, ranges, allowed values, required
// ones). Returns the problems, empty when fine. `pressure_max` is only
// type-checked: a value above the cap is clamped, not refused
// (clamp_pressure).
std::vector<std::string> check_parameters(const TechniqueEntry& entry, const Params& parameters);
// Structural checks of a whole result beyond its parameters: pressure_max
// type, a hold without a reason, home-program ids the technique does not
// declare. Includes check_parameters.
std::vector<std::string> check_result(const TechniqueEntry& entry, const TechniqueResult& result);
// True exactly when check_result() would report nothing; builds no text.
// Runs for every technique of every evaluation.
bool result_ok(const TechniqueEntry& entry, const TechniqueResult& result) noexcept;

// Lowers result.pressure_max and the `pressure_max` parameter to
// min(cap, info.max_pressure) (and raises them to at least 1); always sets
// the parameter. Returns the values it replaced, for the adjustment that
// records the clamp.
struct PressureClamp {
  int limit = 1;                          // min(cap, info.max_pressure), at least 1
  std::optional<double> result_value;     // result.pressure_max before, if clamped
  std::optional<double> parameter_value;  // parameter before, if clamped
  bool clamped() const { return result_value || parameter_value; }
};
PressureClamp clamp_pressure(const TechniqueEntry& entry, TechniqueResult& result, int cap);

// "integer", "number", "boolean", "string", "enumeration", "string list"
const char* to_string(ConfigType type) noexcept;
// Fills in the schema's defaults for fields the params do not give
// (in schema order, after the given ones).
void fill_defaults(const std::vector<ConfigField>& schema, Params& params);

}  // namespace fascia::detail
