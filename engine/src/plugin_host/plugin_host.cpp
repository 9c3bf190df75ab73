#include "plugin_host/plugin_host.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iterator>
#include <system_error>
#include <utility>

#include "plugin_host/boundary.hpp"
#include "plugin_host/config_values.hpp"
#include "plugin_host/file_trust.hpp"
#include "plugin_host/messages.hpp"
#include "plugin_host/semver.hpp"

namespace fascia::detail {

namespace fs = std::filesystem;
namespace msg = plugin_msg;

namespace {

constexpr const char* builtin_file = "<built-in>";
constexpr std::size_t register_error_size = 1024;
std::atomic<std::uint64_t> next_serial{1};  // TechniqueEntry::serial

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

std::string strip_prefix(std::string text, const std::string& prefix) {
  if (!prefix.empty() && text.size() > prefix.size() + 2 &&
      text.compare(0, prefix.size(), prefix) == 0 && text.compare(prefix.size(), 2, ": ") == 0)
    return text.substr(prefix.size() + 2);
  return text;
}

}  // namespace

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;
PluginHost::PluginHost(PluginHost&&) noexcept = default;
PluginHost& PluginHost::operator=(PluginHost&&) noexcept = default;

Diagnostics PluginHost::load_file(const std::string& path) {
  std::string where;
  std::string problem;
  const auto resolved = resolve_plugin_path(path, where, problem);
  if (!resolved) return {error_at(where, std::move(problem))};
  return load_canonical(*resolved);
}

Diagnostics PluginHost::load_canonical(const std::string& file) {
  std::string problem;
  if (loaded_files_.count(file)) return {};

  // Who can write it, and whether its bytes are a complete library for this
  // CPU (a partly copied file makes dlopen fault): all before dlopen, which
  // runs the file's code. The checked file stays open: a protocol that pins
  // the plugin hashes it.
  auto checked = check_plugin_file(file, problem);
  if (!checked) return {error_at(file, std::move(problem))};

  // rtld_now: a missing symbol fails here, not at the first call;
  // rtld_local: plugins cannot interpose on each other. dlopen runs the
  // plugin's static constructors: one that throws is refused here.
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_ec;
  dlerror();  // clear any stale message
  try {
    library->load(boost::dll::fs::path(file), load_ec,
                  boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return {error_at(file, msg::threw_while_loading(plugin_text(e.what())))};
  } catch (...) {
    return {error_at(file, msg::threw_while_loading("unknown exception"))};
  }
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
    return {error_at(file, msg::entry_threw(plugin_text(e.what())))};
  } catch (...) {
    return {error_at(file, msg::entry_threw("unknown exception"))};
  }
  if (!info) return {error_at(file, msg::entry_returned_null())};

  Diagnostics diagnostics = register_plugin(*info, file, library, std::move(checked));
  if (!has_errors(diagnostics)) {
    loaded_files_.insert(file);
    // An accepted plugin stays mapped for the life of the process
    // (RTLD_NODELETE: the shared_library's dlclose no longer unmaps it), so
    // nothing it made (a vtable, a string's text, an exception) can outlive
    // its code, and a process does not unmap every plugin as it ends
    // (fascia evaluate: about 1.3 ms of CPU of a 17-19 ms cold start, busy
    // machine).
    if (void* kept = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD | RTLD_NODELETE))
      dlclose(kept);
  }
  return diagnostics;
}

Diagnostics PluginHost::load_directory(const std::string& dir, const PluginFolderOptions& options) {
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
    const std::string entry = (canonical / name).string();
    // A regular file (not a link) in the canonical folder is its own
    // canonical path: no second realpath() of every folder above it (ten
    // readlink calls a plugin in the build tree).
    std::error_code status_ec;
    const bool regular = fs::symlink_status(entry, status_ec).type() == fs::file_type::regular;
    // A link leaving the folder would load a library the folder's owner
    // did not put there: refused unless explicitly allowed.
    if (!regular && !options.allow_symlinks_leaving_folder) {
      std::string where;
      std::string problem;
      if (auto target = resolve_plugin_path(entry, where, problem)) {
        if (auto refused = symlink_leaving_folder(entry, canonical.string(), *target)) {
          diagnostics.push_back(error_at(entry, std::move(*refused)));
          continue;
        }
      }
    }
    Diagnostics d = regular ? load_canonical(entry) : load_file(entry);
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(d.begin()),
                       std::make_move_iterator(d.end()));
  }
  return diagnostics;
}

Diagnostics PluginHost::add_builtin(const fascia_plugin_info& info) {
  return register_plugin(info, builtin_file, nullptr);
}

Diagnostics PluginHost::register_plugin(const fascia_plugin_info& info, const std::string& file,
                                        std::shared_ptr<void> library,
                                        std::shared_ptr<const CheckedPluginFile> checked) {
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
  record->file = std::move(checked);

  Diagnostics diagnostics;
  std::vector<std::shared_ptr<TechniqueEntry>> entries;
  std::map<std::string, std::string> new_templates;  // id -> technique id

  for (std::size_t index = 0; index < collector.techniques.size(); ++index) {
    auto entry = std::make_shared<TechniqueEntry>();
    entry->serial = next_serial.fetch_add(1, std::memory_order_relaxed);
    TechniqueInputs inputs;
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
      method = "inputs";
      inputs = technique.inputs();
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
    {
      std::vector<std::string> undeclared;
      entry->inputs = compile_inputs(inputs, entry->config_schema, undeclared);
      for (auto& u : undeclared) problems.push_back(msg::schema_problem(name, ti.id, u));
    }
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

}  // namespace fascia::detail
