#include "plugin_host/plugin_host.hpp"

#include <dlfcn.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "common/same_text.hpp"
#include "common/sha256.hpp"
#include "plugin_host/semver.hpp"

namespace fascia::detail {

namespace fs = std::filesystem;

namespace {

constexpr const char* builtin_file = "<built-in>";
constexpr std::size_t register_error_size = 1024;

// ---------------------------------------------------------------------------
// Every message the host produces, in one place. Load messages do not repeat
// the file: the diagnostic's location carries it ("FILE: error: MESSAGE").
namespace msg {

std::string file_not_found() { return "plugin file not found"; }
std::string cannot_resolve(const std::string& why) { return "cannot open plugin: " + why; }
std::string not_regular_file() {
  return "not a regular file: a plugin is a shared library (lib*.so)";
}
std::string writable_file(unsigned mode, const std::string& file) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return std::string("refusing to load a plugin writable by other users (mode ") + buf +
         "); fix with chmod go-w " + file;
}
std::string writable_folder(const std::string& dir, unsigned mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return "refusing to load a plugin from a folder writable by other users (" + dir + ", mode " +
         buf + "); fix with chmod go-w " + dir;
}
std::string cannot_load(const std::string& why) {
  return "cannot load plugin: " + why +
         "; it must be a shared library built for this system, with its dependencies "
         "installed (check with ldd)";
}
std::string no_entry_point() {
  return std::string("no entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL +
         "': is this a fascia plugin? (plugins define it with FASCIA_PLUGIN from "
         "<fascia/plugin.hpp>)";
}
std::string entry_returned_null() {
  return std::string("the entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL +
         "' returned no plugin information (null); the plugin is broken, rebuild it with "
         "FASCIA_PLUGIN";
}
std::string entry_threw(const std::string& what) {
  return std::string("the entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL + "' threw: " + what;
}
std::string wrong_abi(unsigned plugin_abi, const char* built_against) {
  return "wrong plugin ABI version: plugin was built for ABI " + std::to_string(plugin_abi) +
         " (fascia " + (built_against && *built_against ? built_against : "unknown") +
         "), this engine supports ABI " + std::to_string(FASCIA_PLUGIN_ABI_VERSION) + " (fascia " +
         FASCIA_VERSION_STRING + "); rebuild the plugin against this fascia";
}
std::string no_name() {
  return "the plugin has no name: fascia_plugin_info.name must be set (FASCIA_PLUGIN does it)";
}
std::string bad_name(const std::string& name) {
  return "plugin name '" + name + "' is invalid: use lowercase letters, digits, '_' and '-'";
}
std::string no_version(const std::string& name) {
  return "plugin '" + name +
         "' has no version: fascia_plugin_info.version must be set (FASCIA_PLUGIN does it)";
}
std::string bad_version(const std::string& name, const std::string& version) {
  return "plugin '" + name + "' version '" + version +
         "' is not a semantic version MAJOR.MINOR.PATCH";
}
std::string duplicate_plugin(const std::string& name, const std::string& other_file) {
  return "plugin '" + name + "' is already loaded from " + other_file +
         "; remove one of the two copies from the plugin folders";
}
std::string no_register(const std::string& name) {
  return "plugin '" + name + "' has no register function";
}
std::string register_failed(const std::string& name, const std::string& why) {
  return "plugin '" + name + "' failed to register its techniques: " +
         (why.empty() ? std::string("(no message)") : why);
}
std::string no_techniques(const std::string& name) {
  return "plugin '" + name + "' registered no techniques";
}
std::string null_technique(const std::string& name) {
  return "plugin '" + name + "' registered a null technique";
}
std::string technique_threw(const std::string& plugin, const std::string& technique,
                            const char* method, const std::string& what) {
  return "plugin '" + plugin + "': technique '" + technique + "': " + method + "() threw: " + what;
}
std::string bad_technique_id(const std::string& plugin, const std::string& id) {
  return "plugin '" + plugin + "': technique id '" + id +
         "' is invalid: use lowercase letters, digits and '_'";
}
std::string bad_pressures(const std::string& plugin, const TechniqueInfo& info) {
  return "plugin '" + plugin + "': technique '" + info.id + "': default_pressure " +
         std::to_string(info.default_pressure) + " and max_pressure " +
         std::to_string(info.max_pressure) +
         " must satisfy 1 <= default_pressure <= max_pressure <= 10";
}
std::string technique_twice(const std::string& plugin, const std::string& id) {
  return "plugin '" + plugin + "' registers technique '" + id + "' twice";
}
std::string duplicate_technique(const std::string& id, const std::string& plugin,
                                const std::string& file, const std::string& other_plugin,
                                const std::string& other_file) {
  return "technique '" + id + "' from plugin '" + plugin + "' (" + file +
         ") is already provided by plugin '" + other_plugin + "' (" + other_file + ")";
}
std::string duplicate_template(const std::string& id, const std::string& technique,
                               const std::string& plugin, const std::string& other_technique,
                               const std::string& other_plugin) {
  return "home-program item '" + id + "' from technique '" + technique + "' of plugin '" + plugin +
         "' is already provided by technique '" + other_technique + "' of plugin '" + other_plugin +
         "'";
}
std::string schema_problem(const std::string& plugin, const std::string& technique,
                           const std::string& what) {
  return "plugin '" + plugin + "': technique '" + technique + "': " + what;
}
std::string folder_not_found() { return "plugin folder not found"; }
std::string not_a_folder() { return "not a folder"; }
std::string cannot_list(const std::string& why) { return "cannot list plugin folder: " + why; }

}  // namespace msg

// ---------------------------------------------------------------------------

Diagnostic error_at(const std::string& file, std::string message) {
  return Diagnostic{Severity::error, SourceLocation{file, 0, 0}, std::move(message)};
}

bool is_identifier(std::string_view s, bool allow_dash) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
    if (!ok) return false;
  }
  return true;
}

bool is_rule_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A group that holds only its owner (the "user private group" convention,
// the default umask 002 setups rely on) may have write access.
bool is_private_group(uid_t uid, gid_t gid) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> pw_buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd pw{};
  passwd* pw_result = nullptr;
  if (getpwuid_r(uid, &pw, pw_buf.data(), pw_buf.size(), &pw_result) != 0 || !pw_result)
    return false;
  if (pw.pw_gid != gid) return false;
  size = sysconf(_SC_GETGR_R_SIZE_MAX);
  std::vector<char> gr_buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  group gr{};
  group* gr_result = nullptr;
  if (getgrgid_r(gid, &gr, gr_buf.data(), gr_buf.size(), &gr_result) != 0 || !gr_result)
    return false;
  if (std::string_view(gr.gr_name) != pw.pw_name) return false;
  for (char** m = gr.gr_mem; m && *m; ++m)
    if (std::string_view(*m) != pw.pw_name) return false;
  return true;
}

bool writable_by_others(const struct stat& st) {
  if (st.st_mode & S_IWOTH) return true;
  return (st.st_mode & S_IWGRP) && !is_private_group(st.st_uid, st.st_gid);
}

std::string describe(const ParamValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", d);
      return buf;
    }
    std::string operator()(const std::string& s) const { return '"' + s + '"'; }
    std::string operator()(const std::vector<std::string>& list) const {
      std::string out = "[";
      for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + list[i];
      return out + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

std::string number_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const char* function_type_name(FunctionType type) {
  switch (type) {
    case FunctionType::boolean: return "a boolean";
    case FunctionType::number: return "a number";
    case FunctionType::string: return "a string";
  }
  return "a value";
}

const char* function_value_name(const FunctionValue& value) {
  switch (value.index()) {
    case 1: return "a boolean";
    case 2: return "a number";
    case 3: return "a string";
  }
  return "nothing";
}

bool matches(const FunctionValue& value, FunctionType type) {
  switch (type) {
    case FunctionType::boolean: return std::holds_alternative<bool>(value);
    case FunctionType::number: return std::holds_alternative<double>(value);
    case FunctionType::string: return std::holds_alternative<std::string>(value);
  }
  return false;
}

std::string plugin_label(const TechniqueEntry& entry) {
  std::string out = "technique '" + entry.info.id + "'";
  if (entry.plugin) {
    const auto& d = entry.plugin->description;
    out += " (plugin " + d.name + ' ' + d.version + ", " + d.file + ")";
  }
  return out;
}

// The registry a plugin's register function sees: it only collects.
class Collector final : public TechniqueRegistry {
 public:
  void add(std::unique_ptr<Technique> technique) override {
    if (!technique) {
      ++null_count;
      return;
    }
    techniques.push_back(std::move(technique));
  }
  std::vector<std::unique_ptr<Technique>> techniques;
  int null_count = 0;
};

// Checks one schema declared by a technique; appends problems.
void check_schema(const std::vector<ConfigField>& schema, const char* what,
                  const std::string& plugin, const std::string& technique,
                  std::vector<std::string>& problems) {
  std::set<std::string, std::less<>> seen;
  for (const auto& field : schema) {
    std::string label = std::string(what) + " '" + field.name + "'";
    if (!is_identifier(field.name, false)) {
      problems.push_back(msg::schema_problem(
          plugin, technique,
          label + " has an invalid name: use lowercase letters, digits and '_'"));
      continue;
    }
    if (!seen.insert(field.name).second)
      problems.push_back(msg::schema_problem(plugin, technique, label + " is declared twice"));
    if (field.type == ConfigType::enumeration && field.allowed.empty())
      problems.push_back(
          msg::schema_problem(plugin, technique, label + " is an enumeration without values"));
    if (field.min && field.max && *field.min > *field.max)
      problems.push_back(msg::schema_problem(
          plugin, technique,
          label + " has min " + number_text(*field.min) + " above max " + number_text(*field.max)));
    if (!std::holds_alternative<std::monostate>(field.default_value)) {
      if (auto problem = check_value(field, field.default_value))
        problems.push_back(
            msg::schema_problem(plugin, technique, "default of " + label + " " + *problem));
    }
  }
}

std::optional<double> as_number(const ParamValue& value) {
  if (auto i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (auto d = std::get_if<double>(&value)) return *d;
  return std::nullopt;
}

std::string strip_prefix(std::string text, const std::string& prefix) {
  if (!prefix.empty() && text.size() > prefix.size() + 2 &&
      text.compare(0, prefix.size(), prefix) == 0 && text.compare(prefix.size(), 2, ": ") == 0)
    return text.substr(prefix.size() + 2);
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;
PluginHost::PluginHost(PluginHost&&) noexcept = default;
PluginHost& PluginHost::operator=(PluginHost&&) noexcept = default;

Diagnostics PluginHost::load_file(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(path), ec);
  if (ec) return {error_at(path, msg::cannot_resolve(ec.message()))};
  if (!fs::exists(absolute, ec)) return {error_at(absolute.string(), msg::file_not_found())};
  // Canonical: no symlink or '..' can make two names for one library, and
  // dlopen never searches its own path list.
  fs::path canonical = fs::canonical(absolute, ec);
  if (ec) return {error_at(absolute.string(), msg::cannot_resolve(ec.message()))};
  const std::string file = canonical.string();
  if (loaded_files_.count(file)) return {};

  // Loading a file runs its code: check who can write it before dlopen.
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    return {error_at(file, msg::cannot_resolve(std::generic_category().message(errno)))};
  if (!S_ISREG(st.st_mode)) return {error_at(file, msg::not_regular_file())};
  if (writable_by_others(st)) return {error_at(file, msg::writable_file(st.st_mode & 07777, file))};
  const std::string dir = canonical.parent_path().string();
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0)
    return {error_at(file, msg::cannot_resolve(std::generic_category().message(errno)))};
  if (writable_by_others(dir_st))
    return {error_at(file, msg::writable_folder(dir, dir_st.st_mode & 07777))};

  // Hash the bytes about to be loaded, for protocols that pin the plugin.
  std::string hash_error;
  auto sha256 = file_sha256(file, hash_error);
  if (!sha256) return {error_at(file, msg::cannot_resolve(hash_error))};

  // rtld_now: a missing symbol fails here, not at the first call;
  // rtld_local: plugins cannot interpose on each other.
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_ec;
  dlerror();  // clear any stale message
  library->load(boost::dll::fs::path(file), load_ec,
                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (load_ec || !library->is_loaded()) {
    const char* dl_message = dlerror();
    std::string why = dl_message ? strip_prefix(dl_message, file) : load_ec.message();
    return {error_at(file, msg::cannot_load(why))};
  }
  if (!library->has(FASCIA_PLUGIN_ENTRY_SYMBOL)) return {error_at(file, msg::no_entry_point())};

  const fascia_plugin_info* info = nullptr;
  try {
    auto& entry = library->get<const fascia_plugin_info*()>(FASCIA_PLUGIN_ENTRY_SYMBOL);
    info = entry();
  } catch (const std::exception& e) {
    return {error_at(file, msg::entry_threw(e.what()))};
  } catch (...) {
    return {error_at(file, msg::entry_threw("unknown exception"))};
  }
  if (!info) return {error_at(file, msg::entry_returned_null())};

  Diagnostics diagnostics = register_plugin(*info, file, library, std::move(*sha256));
  if (!has_errors(diagnostics)) loaded_files_.insert(file);
  return diagnostics;
}

Diagnostics PluginHost::load_directory(const std::string& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(dir), ec);
  if (ec) return {error_at(dir, msg::cannot_list(ec.message()))};
  if (!fs::exists(absolute, ec)) return {error_at(absolute.string(), msg::folder_not_found())};
  if (!fs::is_directory(absolute, ec)) return {error_at(absolute.string(), msg::not_a_folder())};
  fs::path canonical = fs::canonical(absolute, ec);
  if (ec) return {error_at(absolute.string(), msg::cannot_list(ec.message()))};

  std::vector<std::string> names;
  fs::directory_iterator it(canonical, ec);
  if (ec) return {error_at(canonical.string(), msg::cannot_list(ec.message()))};
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() > 6 && name.starts_with("lib") && name.ends_with(".so"))
      names.push_back(std::move(name));
  }
  if (ec) return {error_at(canonical.string(), msg::cannot_list(ec.message()))};
  std::sort(names.begin(), names.end());  // load order must not depend on the file system

  Diagnostics diagnostics;
  for (const auto& name : names) {
    Diagnostics d = load_file((canonical / name).string());
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(d.begin()),
                       std::make_move_iterator(d.end()));
  }
  return diagnostics;
}

Diagnostics PluginHost::add_builtin(const fascia_plugin_info& info) {
  return register_plugin(info, builtin_file, nullptr);
}

Diagnostics PluginHost::register_plugin(const fascia_plugin_info& info, const std::string& file,
                                        std::shared_ptr<void> library, std::string sha256) {
  // Only abi_version and engine_version are read before the ABI check: they
  // are the two fields every ABI version keeps in place.
  if (info.abi_version != FASCIA_PLUGIN_ABI_VERSION)
    return {error_at(file, msg::wrong_abi(info.abi_version, info.engine_version))};
  if (!info.name || !*info.name) return {error_at(file, msg::no_name())};
  const std::string name = info.name;
  if (!is_identifier(name, true)) return {error_at(file, msg::bad_name(name))};
  if (!info.version || !*info.version) return {error_at(file, msg::no_version(name))};
  const std::string version = info.version;
  if (!parse_version(version)) return {error_at(file, msg::bad_version(name, version))};
  if (auto it = plugins_.find(name); it != plugins_.end())
    return {error_at(file, msg::duplicate_plugin(name, it->second->description.file))};
  if (!info.register_techniques) return {error_at(file, msg::no_register(name))};

  Collector collector;
  {
    char error[register_error_size] = {};
    int rc = 1;
    try {
      rc = info.register_techniques(&collector, error, sizeof error);
    } catch (const std::exception& e) {
      std::snprintf(error, sizeof error, "%s", e.what());
    } catch (...) {
      std::snprintf(error, sizeof error, "unknown exception");
    }
    error[sizeof error - 1] = '\0';
    if (rc != 0) return {error_at(file, msg::register_failed(name, error))};
  }
  if (collector.null_count) return {error_at(file, msg::null_technique(name))};
  if (collector.techniques.empty()) return {error_at(file, msg::no_techniques(name))};

  auto record = std::make_shared<PluginRecord>();
  record->description.file = file;
  record->description.name = name;
  record->description.version = version;
  record->description.abi_version = info.abi_version;
  record->description.built_against = info.engine_version ? info.engine_version : "";
  record->library = library;
  record->sha256 = std::move(sha256);

  Diagnostics diagnostics;
  std::vector<std::shared_ptr<TechniqueEntry>> entries;
  std::map<std::string, std::string> new_templates;  // id -> technique id

  for (std::size_t index = 0; index < collector.techniques.size(); ++index) {
    auto entry = std::make_shared<TechniqueEntry>();
    // The deleter holds the library: the object's destructor is plugin code.
    entry->technique = std::shared_ptr<const Technique>(
        collector.techniques[index].release(), [library](const Technique* t) { delete t; });
    const Technique& technique = *entry->technique;
    std::string label = "#" + std::to_string(index + 1);
    const char* method = "info";
    try {
      entry->info = technique.info();
      label = entry->info.id;
      method = "config_schema";
      entry->config_schema = technique.config_schema();
      method = "parameter_schema";
      entry->parameter_schema = technique.parameter_schema();
      method = "functions";
      entry->functions = technique.functions();
      method = "home_program_templates";
      entry->home_templates = technique.home_program_templates();
    } catch (const std::exception& e) {
      diagnostics.push_back(error_at(file, msg::technique_threw(name, label, method, e.what())));
      continue;
    } catch (...) {
      diagnostics.push_back(
          error_at(file, msg::technique_threw(name, label, method, "unknown exception")));
      continue;
    }
    const TechniqueInfo& ti = entry->info;
    if (!is_identifier(ti.id, false)) {
      diagnostics.push_back(error_at(file, msg::bad_technique_id(name, ti.id)));
      continue;
    }
    if (ti.default_pressure < 1 || ti.default_pressure > ti.max_pressure || ti.max_pressure > 10)
      diagnostics.push_back(error_at(file, msg::bad_pressures(name, ti)));

    std::vector<std::string> problems;
    check_schema(entry->config_schema, "config key", name, ti.id, problems);
    check_schema(entry->parameter_schema, "parameter", name, ti.id, problems);
    std::set<std::string, std::less<>> function_names;
    for (const auto& f : entry->functions) {
      if (!is_identifier(f.name, false))
        problems.push_back(msg::schema_problem(name, ti.id,
                                               "function '" + f.name +
                                                   "' has an invalid name: use lowercase letters, "
                                                   "digits and '_'"));
      else if (!function_names.insert(f.name).second)
        problems.push_back(
            msg::schema_problem(name, ti.id, "function '" + f.name + "' is declared twice"));
      if (!f.call)
        problems.push_back(
            msg::schema_problem(name, ti.id, "function '" + f.name + "' has no implementation"));
    }
    if (ti.kind == TechniqueKind::in_session) {
      auto it = std::find_if(entry->parameter_schema.begin(), entry->parameter_schema.end(),
                             [](const ConfigField& f) { return f.name == "pressure_max"; });
      if (it == entry->parameter_schema.end()) {
        ConfigField field;
        field.name = "pressure_max";
        field.type = ConfigType::integer;
        field.min = 1;
        field.max = ti.max_pressure;
        field.description = "Pressure ceiling for this technique in this session (1-10)";
        entry->parameter_schema.insert(entry->parameter_schema.begin(), std::move(field));
      } else if (it->type != ConfigType::integer) {
        problems.push_back(msg::schema_problem(
            name, ti.id, "parameter 'pressure_max' must be declared as an integer"));
      }
    }
    for (const auto& t : entry->home_templates) {
      if (!is_identifier(t.id, false)) {
        problems.push_back(msg::schema_problem(name, ti.id,
                                               "home-program item '" + t.id +
                                                   "' has an invalid id: use lowercase "
                                                   "letters, digits and '_'"));
        continue;
      }
      if (new_templates.count(t.id)) {
        problems.push_back(
            msg::schema_problem(name, ti.id, "home-program item '" + t.id + "' is declared twice"));
        continue;
      }
      new_templates[t.id] = ti.id;
      if (auto other = home_templates_.find(t.id); other != home_templates_.end())
        problems.push_back(msg::duplicate_template(t.id, ti.id, name, other->second->info.id,
                                                   other->second->plugin->description.name));
    }
    for (auto& p : problems) diagnostics.push_back(error_at(file, std::move(p)));

    for (const auto& previous : entries)
      if (previous->info.id == ti.id)
        diagnostics.push_back(error_at(file, msg::technique_twice(name, ti.id)));
    if (auto other = techniques_.find(ti.id); other != techniques_.end()) {
      const auto& od = other->second->plugin->description;
      diagnostics.push_back(
          error_at(file, msg::duplicate_technique(ti.id, name, file, od.name, od.file)));
    }
    entry->plugin = record;
    entries.push_back(std::move(entry));
  }
  // All or nothing: a half-registered plugin would make protocols behave
  // differently depending on which of its techniques they use.
  if (has_errors(diagnostics)) return diagnostics;

  for (const auto& entry : entries) record->description.techniques.push_back(entry->info.id);
  plugins_.emplace(name, record);
  for (auto& entry : entries) {
    for (const auto& t : entry->home_templates) home_templates_.emplace(t.id, entry);
    techniques_.emplace(entry->info.id, entry);
  }
  return diagnostics;
}

std::shared_ptr<const TechniqueEntry> PluginHost::find_technique(std::string_view id) const {
  auto it = techniques_.find(id);
  return it == techniques_.end() ? nullptr : it->second;
}

std::shared_ptr<const PluginRecord> PluginHost::find_plugin(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : it->second;
}

std::shared_ptr<const TechniqueEntry> PluginHost::find_home_template(std::string_view id) const {
  auto it = home_templates_.find(id);
  return it == home_templates_.end() ? nullptr : it->second;
}

std::vector<PluginDescription> PluginHost::plugins() const {
  std::vector<PluginDescription> out;
  for (const auto& [name, record] : plugins_) out.push_back(record->description);
  return out;
}

std::vector<std::shared_ptr<const TechniqueEntry>> PluginHost::techniques() const {
  std::vector<std::shared_ptr<const TechniqueEntry>> out;
  for (const auto& [id, entry] : techniques_) out.push_back(entry);
  return out;
}

// ---------------------------------------------------------------------------

std::vector<std::string> default_plugin_dirs() {
  std::vector<std::string> dirs;
  Dl_info dl{};
  // The address of this function lies in the binary that holds the engine:
  // libfascia.so normally, the executable when linked statically.
  if (dladdr(reinterpret_cast<void*>(&default_plugin_dirs), &dl) == 0 || !dl.dli_fname) return dirs;
  std::error_code ec;
  fs::path binary = fs::canonical(fs::path(dl.dli_fname), ec);
  if (ec) binary = fs::absolute(fs::path(dl.dli_fname), ec);
  fs::path folder = binary.parent_path();
  dirs.push_back((folder / "fascia" / "plugins").lexically_normal().string());
  if (folder.filename() == "bin")
    dirs.push_back(
        (folder.parent_path() / "lib" / "fascia" / "plugins").lexically_normal().string());
  return dirs;
}

std::optional<std::string> file_sha256(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  return sha256_hex(bytes);
}

std::vector<std::string> plugin_dirs_from_env() {
  std::vector<std::string> dirs;
  const char* value = std::getenv("FASCIA_PLUGIN_PATH");
  if (!value) return dirs;
  std::string_view rest(value);
  while (true) {
    auto colon = rest.find(':');
    auto item = rest.substr(0, colon);
    if (!item.empty()) dirs.emplace_back(item);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return dirs;
}

bool call_adjust(const TechniqueEntry& entry, const TechniqueContext& context,
                 TechniqueResult& result, std::string& error) noexcept {
  std::string what;
  try {
    try {
      entry.technique->adjust(context, result);
      return true;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "unknown exception";
    }
    error = plugin_label(entry) + " failed: " + what;
  } catch (...) {
    // Out of memory while building the message: report what we can.
    try {
      error = "technique failed";
    } catch (...) {
    }
  }
  return false;
}

FunctionValue call_function(const PluginFunction& function, const ClientState& state,
                            const Params& config, const FunctionValue* args, std::size_t count,
                            bool& failed, std::string& error) noexcept {
  failed = true;
  try {
    // Built only for a message: a successful call allocates nothing.
    auto prefix = [&function] { return "function '" + function.name + "' "; };
    if (!function.call) {
      error = prefix() + "has no implementation";
      return {};
    }
    if (count != function.parameters.size()) {
      error = prefix() + "takes " + std::to_string(function.parameters.size()) +
              " argument(s), got " + std::to_string(count);
      return {};
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (!std::holds_alternative<std::monostate>(args[i]) &&
          !matches(args[i], function.parameters[i])) {
        error = prefix() + "argument " + std::to_string(i + 1) + " must be " +
                function_type_name(function.parameters[i]) + ", got " +
                function_value_name(args[i]);
        return {};
      }
    }
    // Constructs the result in place (no variant move-assignment per call).
    bool threw = false;
    FunctionValue value = [&]() -> FunctionValue {
      try {
        return function.call(state, config, args, count);
      } catch (const std::exception& e) {
        error = prefix() + "failed: " + e.what();
      } catch (...) {
        error = prefix() + "failed with an unknown exception";
      }
      threw = true;
      return {};
    }();
    if (threw) return {};
    if (std::holds_alternative<std::monostate>(value)) {
      failed = false;
      return value;
    }
    if (!matches(value, function.result)) {
      error = prefix() + "returned " + function_value_name(value) + ", declared to return " +
              function_type_name(function.result);
      return {};
    }
    if (auto d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
      error = prefix() + "returned a number that is not finite";
      return {};
    }
    failed = false;
    return value;
  } catch (...) {
    try {
      error = "plugin function failed";
    } catch (...) {
    }
    return {};
  }
}

// ---------------------------------------------------------------------------

const char* to_string(ConfigType type) noexcept {
  switch (type) {
    case ConfigType::integer: return "integer";
    case ConfigType::number: return "number";
    case ConfigType::boolean: return "boolean";
    case ConfigType::string: return "string";
    case ConfigType::enumeration: return "enumeration";
    case ConfigType::string_list: return "string list";
  }
  return "value";
}

std::optional<std::string> check_value(const ConfigField& field, const ParamValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return std::string("has no value");
  auto check_range = [&](double d) -> std::optional<std::string> {
    if (field.min && d < *field.min)
      return "must be at least " + number_text(*field.min) + ", got " + describe(value);
    if (field.max && d > *field.max)
      return "must be at most " + number_text(*field.max) + ", got " + describe(value);
    return std::nullopt;
  };
  auto one_of = [&]() { return "must be one of " + join(field.allowed); };
  switch (field.type) {
    case ConfigType::integer:
      if (!std::holds_alternative<std::int64_t>(value))
        return "must be an integer, got " + describe(value);
      return check_range(static_cast<double>(std::get<std::int64_t>(value)));
    case ConfigType::number: {
      auto d = as_number(value);
      if (!d) return "must be a number, got " + describe(value);
      if (!std::isfinite(*d)) return "must be a finite number, got " + describe(value);
      return check_range(*d);
    }
    case ConfigType::boolean:
      if (!std::holds_alternative<bool>(value))
        return "must be true or false, got " + describe(value);
      return std::nullopt;
    case ConfigType::string:
      if (!std::holds_alternative<std::string>(value))
        return "must be a string, got " + describe(value);
      return std::nullopt;
    case ConfigType::enumeration: {
      auto s = std::get_if<std::string>(&value);
      if (!s) return one_of() + ", got " + describe(value);
      if (std::find(field.allowed.begin(), field.allowed.end(), *s) == field.allowed.end())
        return one_of() + ", got " + describe(value);
      return std::nullopt;
    }
    case ConfigType::string_list: {
      auto list = std::get_if<std::vector<std::string>>(&value);
      if (!list) return "must be a list of strings, got " + describe(value);
      if (field.allowed.empty()) return std::nullopt;
      for (const auto& s : *list)
        if (std::find(field.allowed.begin(), field.allowed.end(), s) == field.allowed.end())
          return "may only contain " + join(field.allowed) + ", got \"" + s + '"';
      return std::nullopt;
    }
  }
  return std::nullopt;
}

namespace {

// Exactly when check_value(field, value) finds no problem, without building
// any text: the fast path of the checks that run on every evaluation.
bool value_ok(const ConfigField& field, const ParamValue& value) noexcept {
  auto in_range = [&](double d) {
    return !(field.min && d < *field.min) && !(field.max && d > *field.max);
  };
  auto allowed = [&](const std::string& s) {
    for (const auto& a : field.allowed)
      if (same_text(a, s)) return true;
    return false;
  };
  switch (field.type) {
    case ConfigType::integer: {
      auto i = std::get_if<std::int64_t>(&value);
      return i && in_range(static_cast<double>(*i));
    }
    case ConfigType::number: {
      auto d = as_number(value);
      return d && std::isfinite(*d) && in_range(*d);
    }
    case ConfigType::boolean: return std::holds_alternative<bool>(value);
    case ConfigType::string: return std::holds_alternative<std::string>(value);
    case ConfigType::enumeration: {
      auto s = std::get_if<std::string>(&value);
      return s && allowed(*s);
    }
    case ConfigType::string_list: {
      auto list = std::get_if<std::vector<std::string>>(&value);
      if (!list) return false;
      if (field.allowed.empty()) return true;
      for (const auto& s : *list)
        if (!allowed(s)) return false;
      return true;
    }
  }
  return true;
}

// True exactly when check_parameters() would report nothing.
bool parameters_ok(const TechniqueEntry& entry, const Params& parameters) noexcept {
  const auto& schema = entry.parameter_schema;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const Param& p = parameters[i];
    for (std::size_t j = 0; j < i; ++j)
      if (same_text(parameters[j].name, p.name)) return false;
    // Plugins usually return their parameters in schema order.
    const ConfigField* field =
        i < schema.size() && same_text(schema[i].name, p.name) ? &schema[i] : nullptr;
    for (std::size_t k = 0; !field && k < schema.size(); ++k)
      if (same_text(schema[k].name, p.name)) field = &schema[k];
    if (!field) return false;
    if (same_text(field->name, "pressure_max")) {
      // Only the type (an integer, see register_plugin): a value above the
      // cap is clamped, not refused. Anything unusual takes the slow path.
      if (field->type != ConfigType::integer || !std::holds_alternative<std::int64_t>(p.value))
        return false;
    } else if (!value_ok(*field, p.value)) {
      return false;
    }
  }
  for (const auto& f : schema) {
    if (!f.required) continue;
    bool given = false;
    for (const auto& p : parameters) given = given || same_text(p.name, f.name);
    if (!given) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> check_parameters(const TechniqueEntry& entry, const Params& parameters) {
  // Runs once per technique per evaluation: allocate only to report problems.
  if (parameters_ok(entry, parameters)) return {};
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const Param& p = parameters[i];
    auto label = [&] { return "parameter '" + p.name + "'"; };
    bool duplicate = false;
    for (std::size_t j = 0; j < i && !duplicate; ++j) duplicate = parameters[j].name == p.name;
    if (duplicate) {
      problems.push_back(label() + " is given twice");
      continue;
    }
    auto field = std::find_if(entry.parameter_schema.begin(), entry.parameter_schema.end(),
                              [&](const ConfigField& f) { return f.name == p.name; });
    if (field == entry.parameter_schema.end()) {
      std::vector<std::string> names;
      for (const auto& f : entry.parameter_schema) names.push_back(f.name);
      problems.push_back("unknown " + label() + " (the technique declares: " +
                         (names.empty() ? std::string("none") : join(names)) + ")");
      continue;
    }
    std::optional<std::string> problem;
    if (field->name == "pressure_max") {
      // Only the type: a value above the cap is clamped, not refused.
      ConfigField any_integer;
      any_integer.name = "pressure_max";
      any_integer.type = field->type;
      problem = check_value(any_integer, p.value);
    } else {
      problem = check_value(*field, p.value);
    }
    if (problem) problems.push_back(label() + ' ' + *problem);
  }
  for (const auto& f : entry.parameter_schema) {
    if (!f.required) continue;
    bool given = false;
    for (const auto& p : parameters) given = given || p.name == f.name;
    if (!given) problems.push_back("required parameter '" + f.name + "' is missing");
  }
  return problems;
}

namespace {

bool declares_home_template(const TechniqueEntry& entry, std::string_view id) noexcept {
  for (const auto& t : entry.home_templates)
    if (same_text(t.id, id)) return true;
  return false;
}

}  // namespace

bool result_ok(const TechniqueEntry& entry, const TechniqueResult& result) noexcept {
  // The conditions of check_result() below, without building any text.
  if (!parameters_ok(entry, result.parameters)) return false;
  if (result.hold &&
      (result.hold_reason.empty() || (!result.hold_rule.empty() && !is_rule_id(result.hold_rule))))
    return false;
  for (const auto& a : result.adjustments)
    if (!is_rule_id(a.rule) || a.reason.empty()) return false;
  for (const auto& item : result.home_program)
    if (!declares_home_template(entry, item.id)) return false;
  return true;
}

std::vector<std::string> check_result(const TechniqueEntry& entry, const TechniqueResult& result) {
  std::vector<std::string> problems = check_parameters(entry, result.parameters);
  if (result.hold) {
    if (result.hold_reason.empty()) problems.push_back("holds itself without a reason");
    if (!result.hold_rule.empty() && !is_rule_id(result.hold_rule))
      problems.push_back("hold rule id '" + result.hold_rule +
                         "' is invalid: use letters, digits, '_', '.' and '-'");
  }
  for (const auto& a : result.adjustments) {
    if (!is_rule_id(a.rule))
      problems.push_back("adjustment rule id '" + a.rule +
                         "' is invalid: use letters, digits, '_', '.' and '-'");
    if (a.reason.empty()) problems.push_back("adjustment '" + a.rule + "' has no reason");
  }
  for (const auto& item : result.home_program) {
    if (!declares_home_template(entry, item.id)) {
      std::vector<std::string> ids;
      for (const auto& t : entry.home_templates) ids.push_back(t.id);
      problems.push_back("home-program item '" + item.id +
                         "' is not one of the technique's templates (" +
                         (ids.empty() ? std::string("it declares none") : join(ids)) + ")");
    }
  }
  return problems;
}

PressureClamp clamp_pressure(const TechniqueEntry& entry, TechniqueResult& result, int cap) {
  PressureClamp clamp;
  clamp.limit = std::clamp(std::min(cap, entry.info.max_pressure), 1, 10);
  int effective = clamp.limit;
  if (result.pressure_max) {
    int own = *result.pressure_max;
    if (own > clamp.limit || own < 1) {
      clamp.result_value = own;
      result.pressure_max = std::clamp(own, 1, clamp.limit);
    }
    effective = *result.pressure_max;
  }
  if (entry.info.kind != TechniqueKind::in_session) return clamp;
  const ParamValue* current = find_param(result.parameters, "pressure_max");
  if (!current) {
    set_param(result.parameters, "pressure_max", static_cast<std::int64_t>(effective));
    return clamp;
  }
  auto number = as_number(*current);
  if (number && std::isfinite(*number) && *number >= 1 && *number <= effective &&
      std::holds_alternative<std::int64_t>(*current))
    return clamp;
  if (number) clamp.parameter_value = *number;
  std::int64_t fixed = effective;
  if (number && std::isfinite(*number) && *number >= 1 && *number <= effective)
    fixed = static_cast<std::int64_t>(std::floor(*number));
  set_param(result.parameters, "pressure_max", fixed);
  return clamp;
}

void fill_defaults(const std::vector<ConfigField>& schema, Params& params) {
  for (const auto& field : schema)
    if (!std::holds_alternative<std::monostate>(field.default_value) &&
        !find_param(params, field.name))
      params.push_back({field.name, field.default_value});
}

}  // namespace fascia::detail
