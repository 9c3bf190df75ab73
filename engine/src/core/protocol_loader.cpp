#include "core/protocol_loader.hpp"

#include "core/reason_compiler.hpp"
#include "core/technique_config.hpp"
#include "plugin_host/semver.hpp"
#include "yaml/reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <new>
#include <regex>
#include <set>

namespace fascia::detail {

namespace {

bool valid_id(std::string_view id, bool allow_dots) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || (allow_dots && c == '.');
    if (!ok) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// Nodes kept from the reading pass for the compile pass (which needs every
// stage, frequency and technique id first).
struct PendingRule {
  std::size_t index;
  const yaml::Node* node;
  const yaml::Node* when = nullptr;
  const yaml::Node* reason = nullptr;
  const yaml::Node* cap = nullptr;
  const yaml::Node* duration = nullptr;
  const yaml::Node* postpone = nullptr;
  std::vector<const yaml::Node*> suppresses;  // healing_response
};

class Loader {
 public:
  Loader(const yaml::Document& document, const PluginHost& plugins,
         const std::vector<std::string>& searched_dirs, const Limits& limits,
         Diagnostics& diagnostics)
      : doc_(document), plugins_(plugins), searched_dirs_(searched_dirs), limits_(limits),
        diags_(diagnostics), reader_(document, diagnostics) {}

  std::shared_ptr<ProtocolModel> load() {
    model_ = std::make_shared<ProtocolModel>();
    model_->file = doc_.file;
    model_->limits = limits_;
    const yaml::Node& root = doc_.root;
    if (root.is_null()) {
      reader_.error(root, "the protocol file is empty; start with 'format: 1' and a "
                          "'protocol:' section (see docs/protocol-authoring.md)");
      return nullptr;
    }
    if (!reader_.expect_mapping(root, "protocol file",
                                {"format", "protocol", "plugins", "observations", "techniques",
                                 "session", "stages", "pressure_caps", "frequency",
                                 "flare_response", "healing_response", "rules"},
                                {"format", "protocol", "plugins", "session", "stages",
                                 "frequency"}))
      return nullptr;
    if (const auto* f = root.find("format")) {
      if (auto v = reader_.integer(*f, "format", 0, 1'000'000); v && *v != protocol_format)
        reader_.error(*f, "protocol format " + std::to_string(*v) +
                              " is not supported; this engine reads protocol format " +
                              std::to_string(protocol_format));
    }
    if (const auto* n = root.find("protocol")) read_header(*n);
    if (const auto* n = root.find("plugins")) read_plugins(*n);
    if (const auto* n = root.find("observations")) read_observations(*n);
    if (const auto* n = root.find("techniques")) read_technique_configs(*n);
    if (const auto* n = root.find("session")) read_session(*n);
    if (const auto* n = root.find("stages")) read_stages(*n);
    if (const auto* n = root.find("frequency")) read_frequency(*n);
    if (const auto* n = root.find("pressure_caps"))
      read_rules(*n, "pressure_caps", RuleFamily::pressure_caps, model_->caps);
    if (const auto* n = root.find("flare_response"))
      read_rules(*n, "flare_response", RuleFamily::flare_response, model_->flare);
    if (const auto* n = root.find("rules"))
      read_rules(*n, "rules", RuleFamily::general, model_->general);
    if (const auto* n = root.find("healing_response"))
      read_rules(*n, "healing_response", RuleFamily::healing_response, model_->healing);
    if (model_->rules.size() > limits_.max_rules)
      reader_.error(root, "too many rules (" + std::to_string(model_->rules.size()) +
                              "; the limit is " + std::to_string(limits_.max_rules) + ")");
    if (has_errors(diags_)) {
      // Structural errors make expression errors noise (unknown stage ids...),
      // but unknown fields in expressions are still worth reporting: compile
      // only when the ids the catalog needs were read.
      if (!model_->stages.empty() && !model_->ladder.empty()) compile();
      return nullptr;
    }
    compile();
    check_reachability();
    if (has_errors(diags_)) return nullptr;
    precompute();
    return model_;
  }

 private:
  // ---- reading pass -------------------------------------------------------

  void read_header(const yaml::Node& node) {
    if (!reader_.expect_mapping(node, "protocol",
                                {"id", "version", "title", "conditions", "description",
                                 "references"},
                                {"id", "version", "title", "conditions"}))
      return;
    if (const auto* n = node.find("id"))
      if (auto v = reader_.string(*n, "protocol.id")) {
        if (!valid_id(*v, false))
          reader_.error(*n, "protocol.id '" + *v + "' may only use letters, digits, '_' and '-'");
        model_->id = *v;
      }
    if (const auto* n = node.find("version"))
      if (auto v = reader_.string(*n, "protocol.version")) {
        if (!parse_version(*v))
          reader_.error(*n, "protocol.version must be a semantic version MAJOR.MINOR.PATCH, "
                            "got '" + *v + "'");
        model_->version = *v;
      }
    if (const auto* n = node.find("title"))
      if (auto v = reader_.string(*n, "protocol.title")) model_->title = *v;
    if (const auto* n = node.find("description"))
      if (auto v = reader_.string(*n, "protocol.description", true)) model_->description = *v;
    if (const auto* n = node.find("references")) reader_.string_list(*n, "protocol.references");
    if (const auto* n = node.find("conditions")) {
      if (auto list = reader_.string_list(*n, "protocol.conditions")) {
        if (list->empty()) reader_.error(*n, "protocol.conditions must name at least one condition");
        for (std::size_t i = 0; i < list->size(); ++i) {
          if (!valid_id((*list)[i], false))
            reader_.error(n->items[i], "condition '" + (*list)[i] +
                                           "' may only use letters, digits, '_' and '-'");
        }
        model_->conditions = *list;
      }
    }
  }

  void read_plugins(const yaml::Node& node) {
    if (!node.is_mapping()) {
      reader_.error(node, "plugins must be a mapping of plugin name to version constraint "
                          "(e.g. swedish: \">=1.0.0\")");
      return;
    }
    for (const auto& [key, entry] : node.entries) {
      // `name: CONSTRAINT`, or `name: {version: CONSTRAINT, sha256: HEX}` to
      // pin the exact library file.
      const yaml::Node* version_node = &entry;
      const yaml::Node* sha256_node = nullptr;
      if (entry.is_mapping()) {
        if (!reader_.expect_mapping(entry, "plugins." + key.value, {"version", "sha256"},
                                    {"version"}))
          continue;
        version_node = entry.find("version");  // missing: reported by expect_mapping
        sha256_node = entry.find("sha256");
        if (!version_node) continue;
      }
      const yaml::Node& value = *version_node;
      auto constraint_text = reader_.string(value, "plugins." + key.value);
      if (!constraint_text) continue;
      // A bad or mismatched pin is reported, but the plugin still counts as
      // listed: its techniques must not cascade into "not listed" errors.
      std::optional<std::string> pin;
      if (sha256_node) {
        if (auto text = reader_.string(*sha256_node, "plugins." + key.value + ".sha256")) {
          pin = *text;
          for (char& c : *pin)  // sha256sum prints lowercase; accept either
            if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
          const bool hex = pin->find_first_not_of("0123456789abcdef") == std::string::npos;
          if (pin->size() != 64 || !hex) {
            reader_.error(*sha256_node, "plugins." + key.value +
                                            ".sha256 must be 64 hexadecimal digits (the output "
                                            "of sha256sum on the plugin file), got '" +
                                            *text + "'");
            pin.reset();
          }
        }
      }
      VersionConstraint constraint;
      std::string error;
      if (!parse_constraint(*constraint_text, constraint, error)) {
        reader_.error(value, "plugins." + key.value + ": " + error);
        continue;
      }
      auto plugin = plugins_.find_plugin(key.value);
      if (!plugin) {
        reader_.error(key, "plugin '" + key.value + "' (" + *constraint_text +
                               ") is not loaded; searched: " + search_path_text() +
                               ". Install it or pass --plugin-dir");
        continue;
      }
      auto version = parse_version(plugin->description.version);
      if (!version || !satisfies(*version, constraint)) {
        reader_.error(value, "plugin '" + key.value + "' version " +
                                 plugin->description.version + " (" + plugin->description.file +
                                 ") does not satisfy '" + *constraint_text + "'");
        continue;
      }
      if (pin && plugin->sha256 != *pin)
        reader_.error(*sha256_node,
                      plugin->sha256.empty()
                          ? "plugin '" + key.value + "' is built into the program (" +
                                plugin->description.file +
                                "): there is no file to check the sha256 pin against"
                          : "plugin '" + key.value + "' file " + plugin->description.file +
                                " does not match the pinned sha256: expected " + *pin +
                                ", actual " + plugin->sha256);
      model_->plugins.push_back({key.value, *constraint_text, plugin});
    }
  }

  std::string search_path_text() const {
    std::string out;
    for (const auto& d : searched_dirs_) out += (out.empty() ? "" : ", ") + d;
    return out.empty() ? std::string("(no plugin folders)") : out;
  }

  // A technique named somewhere in the protocol: it must come from a plugin
  // listed under `plugins:`. Reports at `where` and returns null otherwise.
  const ConfiguredTechnique* use_technique(const yaml::Node& where, const std::string& id) {
    if (const auto* t = model_->technique(id)) return t;
    auto entry = plugins_.find_technique(id);
    if (!entry) {
      std::vector<std::string> known;
      for (const auto& t : plugins_.techniques()) known.push_back(t->info.id);
      std::string message = "unknown technique '" + id + "'";
      if (auto close = yaml::closest_match(id, known); !close.empty())
        message += " (did you mean '" + close + "'?)";
      message += known.empty() ? "; no technique plugins are loaded (searched: " +
                                     search_path_text() + ")"
                               : "; loaded techniques: " + join(known);
      reader_.error(where, message);
      return nullptr;
    }
    const std::string& plugin_name = entry->plugin->description.name;
    bool listed = false;
    for (const auto& p : model_->plugins) listed = listed || p.name == plugin_name;
    if (!listed) {
      reader_.error(where, "technique '" + id + "' comes from plugin '" + plugin_name +
                               "', which is not listed under 'plugins:'; add  " + plugin_name +
                               ": \">=" + entry->plugin->description.version + "\"");
      return nullptr;
    }
    ConfiguredTechnique configured;
    configured.entry = entry;
    configured.source =
        "plugin " + entry->plugin->description.name + " " + entry->plugin->description.version;
    complete_technique_config(reader_, where, entry->config_schema, id, configured.config);
    model_->techniques.push_back(std::move(configured));
    return &model_->techniques.back();
  }

  void read_observations(const yaml::Node& node) {
    if (!node.is_mapping()) {
      reader_.error(node, "observations must be a mapping of observation name to its declaration");
      return;
    }
    for (const auto& [key, decl] : node.entries) {
      const std::string what = "observation '" + key.value + "'";
      if (!valid_id(key.value, false) || key.value.find('-') != std::string::npos)
        reader_.error(key, "observation name '" + key.value +
                               "' may only use letters, digits and '_'");
      if (!reader_.expect_mapping(decl, what,
                                  {"type", "min", "max", "values", "required", "description"},
                                  {"type"}))
        continue;
      ObservationDecl o;
      o.name = key.value;
      if (const auto* t = decl.find("type")) {
        auto type = reader_.one_of(*t, "observation type",
                                   {"integer", "number", "boolean", "enum", "string"});
        if (!type) continue;
        using Kind = ObservationDecl::Kind;
        o.kind = *type == "integer"  ? Kind::integer
                 : *type == "number" ? Kind::number
                 : *type == "boolean" ? Kind::boolean
                 : *type == "enum"    ? Kind::enumeration
                                      : Kind::string;
      }
      const bool numeric = o.kind == ObservationDecl::Kind::integer ||
                           o.kind == ObservationDecl::Kind::number;
      for (const char* bound : {"min", "max"}) {
        if (const auto* b = decl.find(bound)) {
          if (!numeric) {
            reader_.error(*b, std::string(bound) + " only applies to integer and number observations");
            continue;
          }
          if (auto v = reader_.number(*b, key.value + "." + bound, -1e9, 1e9))
            (std::string_view(bound) == "min" ? o.min : o.max) = *v;
        }
      }
      if (o.min && o.max && *o.min > *o.max)
        reader_.error(decl, what + ": min is greater than max");
      if (const auto* v = decl.find("values")) {
        if (o.kind != ObservationDecl::Kind::enumeration)
          reader_.error(*v, "values only applies to enum observations");
        else if (auto list = reader_.string_list(*v, key.value + ".values"))
          o.values = *list;
      }
      if (o.kind == ObservationDecl::Kind::enumeration && o.values.empty())
        reader_.error(decl, what + " is an enum: list its allowed names under 'values'");
      if (const auto* r = decl.find("required"))
        if (auto v = reader_.boolean(*r, key.value + ".required")) o.required = *v;
      if (const auto* d = decl.find("description"))
        if (auto v = reader_.string(*d, key.value + ".description", true)) o.description = *v;
      model_->observations.push_back(std::move(o));
    }
  }

  void read_technique_configs(const yaml::Node& node) {
    if (!node.is_mapping()) {
      reader_.error(node, "techniques must be a mapping of technique id to its configuration");
      return;
    }
    for (const auto& [key, config] : node.entries) {
      const auto* technique = use_technique(key, key.value);
      if (!technique) continue;
      auto& configured = const_cast<ConfiguredTechnique&>(*technique);
      Params params;
      read_technique_config(reader_, config, configured.entry->config_schema, key.value, params);
      for (auto& p : params) set_param(configured.config, p.name, std::move(p.value));
      // Re-check required keys now that explicit values are in.
    }
  }

  void read_session(const yaml::Node& node) {
    if (!reader_.expect_mapping(node, "session", {"duration_minutes"}, {"duration_minutes"}))
      return;
    if (const auto* n = node.find("duration_minutes"))
      if (auto v = reader_.integer(*n, "session.duration_minutes", 10, 180))
        model_->session_duration = static_cast<int>(*v);
  }

  void read_stages(const yaml::Node& node) {
    if (!reader_.expect_sequence(node, "stages")) return;
    if (node.items.empty()) {
      reader_.error(node, "stages must list at least one stage");
      return;
    }
    for (const auto& s : node.items) {
      if (!reader_.expect_mapping(s, "stage",
                                  {"id", "title", "techniques", "pressure_max",
                                   "duration_minutes", "advance", "hold", "regress"},
                                  {"id", "techniques", "pressure_max"}))
        continue;
      Stage stage;
      stage.location = reader_.location(s);
      stage.source = source_line(s);
      if (const auto* n = s.find("id"))
        if (auto v = reader_.string(*n, "stage id")) {
          if (!valid_id(*v, false))
            reader_.error(*n, "stage id '" + *v + "' may only use letters, digits, '_' and '-'");
          if (model_->stage_index(*v) < model_->stages.size())
            reader_.error(*n, "duplicate stage id '" + *v + "'");
          stage.id = *v;
        }
      if (const auto* n = s.find("title"))
        if (auto v = reader_.string(*n, "stage title")) stage.title = *v;
      if (const auto* n = s.find("pressure_max")) {
        if (auto v = reader_.integer(*n, "pressure_max", 1, 10)) stage.pressure_max = int(*v);
        stage.pressure_max_source = source_line(*n);
      }
      if (const auto* n = s.find("duration_minutes"))
        if (auto v = reader_.integer(*n, "duration_minutes", 10, 180))
          stage.duration_minutes = static_cast<int>(*v);
      if (const auto* n = s.find("techniques")) read_stage_techniques(*n, stage);
      model_->stages.push_back(std::move(stage));
      const std::size_t stage_number = model_->stages.size() - 1;
      auto& stored = model_->stages.back();
      if (const auto* n = s.find("advance"))
        read_rules(*n, "advance", RuleFamily::stage_advance, stored.advance);
      if (const auto* n = s.find("hold"))
        read_rules(*n, "hold", RuleFamily::stage_hold, stored.hold);
      if (const auto* n = s.find("regress")) {
        if (stage_number == 0)
          reader_.error(*n, "the first stage cannot have regress rules: there is no stage before it");
        read_rules(*n, "regress", RuleFamily::stage_regress, stored.regress);
      }
      if (const auto* n = s.find("advance"); n && &s == &node.items.back())
        reader_.error(*n, "the last stage cannot have advance rules: there is no stage after it");
    }
  }

  void read_stage_techniques(const yaml::Node& node, Stage& stage) {
    if (!reader_.expect_sequence(node, "stage techniques")) return;
    if (node.items.empty()) reader_.error(node, "a stage must list at least one technique");
    for (const auto& item : node.items) {
      const yaml::Node* id_node = &item;
      const yaml::Node* config = nullptr;
      if (item.is_mapping()) {
        if (!reader_.expect_mapping(item, "stage technique", {"id", "config"}, {"id"})) continue;
        id_node = item.find("id");
        config = item.find("config");
        if (!id_node) continue;  // reported missing by expect_mapping (found by fuzzing)
      }
      auto id = reader_.string(*id_node, "technique id");
      if (!id) continue;
      const auto* technique = use_technique(*id_node, *id);
      if (!technique) continue;
      if (technique->entry->info.kind != TechniqueKind::in_session) {
        reader_.error(*id_node, "technique '" + *id + "' is a home-program technique; "
                                "configure it under 'techniques:' instead of a stage");
        continue;
      }
      for (const auto& existing : stage.techniques)
        if (existing.entry->info.id == *id)
          reader_.error(*id_node, "technique '" + *id + "' is listed twice in this stage");
      StageTechnique st;
      st.entry = technique->entry;
      st.config = technique->config;
      if (config)
        read_technique_config(reader_, *config, technique->entry->config_schema, *id, st.config);
      stage.techniques.push_back(std::move(st));
    }
  }

  void read_frequency(const yaml::Node& node) {
    if (!reader_.expect_mapping(node, "frequency", {"start", "ladder", "step_down", "step_up"},
                                {"start", "ladder"}))
      return;
    if (const auto* ladder = node.find("ladder"); ladder && reader_.expect_sequence(*ladder, "ladder")) {
      if (ladder->items.empty()) reader_.error(*ladder, "the frequency ladder needs at least one step");
      int previous = 0;
      for (const auto& step : ladder->items) {
        if (!reader_.expect_mapping(step, "ladder step", {"id", "interval_days", "title"},
                                    {"id", "interval_days"}))
          continue;
        FrequencyStep f;
        if (const auto* n = step.find("id"))
          if (auto v = reader_.string(*n, "ladder step id")) {
            if (model_->frequency_index(*v) < model_->ladder.size())
              reader_.error(*n, "duplicate frequency id '" + *v + "'");
            f.id = *v;
          }
        if (const auto* n = step.find("title"))
          if (auto v = reader_.string(*n, "ladder step title")) f.title = *v;
        if (const auto* n = step.find("interval_days"))
          if (auto v = reader_.integer(*n, "interval_days", 1, 365)) {
            f.interval_days = static_cast<int>(*v);
            if (f.interval_days <= previous)
              reader_.error(*n, "interval_days must increase down the ladder (most frequent "
                                "first): " + std::to_string(f.interval_days) + " follows " +
                                std::to_string(previous));
            previous = f.interval_days;
          }
        model_->ladder.push_back(std::move(f));
      }
    }
    if (const auto* n = node.find("start"))
      if (auto v = reader_.string(*n, "frequency.start")) {
        model_->start_frequency = model_->frequency_index(*v);
        if (model_->start_frequency >= model_->ladder.size() && !model_->ladder.empty()) {
          std::vector<std::string> ids;
          for (const auto& f : model_->ladder) ids.push_back(f.id);
          reader_.error(*n, "frequency.start '" + *v + "' is not on the ladder (" + join(ids) + ")");
          model_->start_frequency = 0;
        }
      }
    if (const auto* n = node.find("step_down"))
      read_rules(*n, "step_down", RuleFamily::frequency_step_down, model_->step_down);
    if (const auto* n = node.find("step_up"))
      read_rules(*n, "step_up", RuleFamily::frequency_step_up, model_->step_up);
  }

  void read_rules(const yaml::Node& node, std::string_view section, RuleFamily family,
                  std::vector<std::size_t>& out) {
    if (!reader_.expect_sequence(node, section)) return;
    for (const auto& r : node.items) {
      const bool actions = family == RuleFamily::pressure_caps ||
                           family == RuleFamily::flare_response || family == RuleFamily::general;
      std::vector<std::string_view> required = {"id", "when", "reason"};
      if (family == RuleFamily::pressure_caps) required.push_back("cap");
      if (family == RuleFamily::healing_response) required.push_back("suppresses");
      // Stage and frequency rules carry no actions: the change is their action.
      bool shaped = false;
      if (family == RuleFamily::healing_response)
        shaped = reader_.expect_mapping(r, "rule", {"id", "when", "reason", "priority", "suppresses"});
      else if (actions)
        shaped = reader_.expect_mapping(
            r, "rule",
            {"id", "when", "reason", "priority", "red_flag", "cap", "duration_minutes",
             "postpone_days", "hold_techniques", "only_techniques", "only_flare_safe",
             "add_techniques", "refer", "check_in", "note", "home_program"});
      else
        shaped = reader_.expect_mapping(
            r, family == RuleFamily::frequency_step_down || family == RuleFamily::frequency_step_up
                   ? "frequency rule (no actions: the step is its action)"
                   : "stage rule (no actions: the stage change is its action)",
            {"id", "when", "reason", "priority", "red_flag"});
      if (!shaped || !has_required(r, required)) continue;
      model_->rules.emplace_back();
      Rule& rule = model_->rules.back();
      rule.family = family;
      rule.source = source_line(r);
      PendingRule pending{model_->rules.size() - 1, &r, nullptr, nullptr, nullptr, nullptr, nullptr, {}};
      if (const auto* n = r.find("id"))
        if (auto v = reader_.string(*n, "rule id")) {
          if (!valid_id(*v, true))
            reader_.error(*n, "rule id '" + *v + "' may only use letters, digits, '_', '-' and '.'");
          if (auto [it, fresh] = rule_ids_.emplace(*v, reader_.location(*n)); !fresh)
            reader_.error(*n, "duplicate rule id '" + *v + "' (first defined at " +
                                  it->second.to_string() + ")");
          rule.id = *v;
        }
      if (const auto* n = r.find("priority"))
        if (auto v = reader_.integer(*n, "priority", -1000, 1000)) rule.priority = int(*v);
      if (const auto* n = r.find("red_flag"))
        if (auto v = reader_.boolean(*n, "red_flag")) {
          if (!*v)
            reader_.error(*n, "red_flag can only be true (omit it otherwise)");
          else if (family == RuleFamily::stage_advance || family == RuleFamily::frequency_step_down)
            reader_.error(*n, "an advance or step_down rule is an escalation and cannot be a red "
                              "flag; mark the stage's hold rule or an action rule instead");
          else
            rule.red_flag = true;
        }
      pending.when = r.find("when");
      pending.reason = r.find("reason");
      if (actions) read_actions(r, rule, pending, family);
      if (family == RuleFamily::healing_response) {
        if (const auto* s = r.find("suppresses"); s && reader_.expect_sequence(*s, "suppresses"))
          for (const auto& item : s->items) pending.suppresses.push_back(&item);
      }
      pending_.push_back(pending);
      out.push_back(pending.index);
    }
  }

  bool has_required(const yaml::Node& r, const std::vector<std::string_view>& required) {
    bool ok = true;
    for (auto key : required)
      if (!r.find(key)) {
        reader_.error(r, "missing required key '" + std::string(key) + "' in rule" +
                             (r.find("id") ? " '" + r.find("id")->value + "'" : std::string()));
        ok = false;
      }
    return ok;
  }

  void read_actions(const yaml::Node& r, Rule& rule, PendingRule& pending, RuleFamily family) {
    bool any = false;
    pending.cap = r.find("cap");
    pending.duration = r.find("duration_minutes");
    pending.postpone = r.find("postpone_days");
    any = pending.cap || pending.duration || pending.postpone;
    auto technique_list = [&](const char* key, std::vector<std::string>& out) {
      const auto* n = r.find(key);
      if (!n) return false;
      auto list = reader_.string_list(*n, key);
      if (!list) return true;
      if (list->empty()) reader_.error(*n, std::string(key) + " must name at least one technique");
      for (std::size_t i = 0; i < list->size(); ++i)
        if (use_technique(n->items[i], (*list)[i])) out.push_back((*list)[i]);
      return true;
    };
    any |= technique_list("hold_techniques", rule.hold_techniques);
    std::vector<std::string> only;
    if (technique_list("only_techniques", only)) {
      rule.only_techniques = only;
      any = true;
    }
    any |= technique_list("add_techniques", rule.add_techniques);
    if (const auto* n = r.find("only_flare_safe")) {
      any = true;
      if (auto v = reader_.boolean(*n, "only_flare_safe")) {
        if (!*v) reader_.error(*n, "only_flare_safe can only be true (omit it otherwise)");
        rule.only_flare_safe = *v;
      }
    }
    auto text = [&](const char* key, std::string& out) {
      if (const auto* n = r.find(key)) {
        any = true;
        if (auto v = reader_.string(*n, key)) out = *v;
      }
    };
    text("refer", rule.refer);
    text("check_in", rule.check_in);
    text("note", rule.note);
    if (const auto* n = r.find("home_program")) {
      any = true;
      read_home_program(*n, rule);
    }
    if (!any && family != RuleFamily::pressure_caps)
      reader_.error(r, "rule" + (rule.id.empty() ? std::string() : " '" + rule.id + "'") +
                           " has no action; give at least one of: cap, duration_minutes, "
                           "postpone_days, hold_techniques, only_techniques, only_flare_safe, "
                           "add_techniques, refer, check_in, note, home_program");
  }

  void read_home_program(const yaml::Node& node, Rule& rule) {
    if (!reader_.expect_sequence(node, "home_program")) return;
    for (const auto& item : node.items) {
      HomeProgramRequest request;
      const yaml::Node* id_node = &item;
      if (item.is_mapping()) {
        id_node = item.find("id");
        if (!id_node) {
          reader_.error(item, "missing required key 'id' in home_program item");
          continue;
        }
      }
      auto id = reader_.string(*id_node, "home_program item");
      if (!id) continue;
      request.id = *id;
      const HomeProgramTemplate* found = find_home_template(*id);
      if (!found) {
        std::vector<std::string> known;
        for (const auto& t : plugins_.techniques())
          for (const auto& h : t->home_templates) known.push_back(h.id);
        std::string message = "unknown home-program item '" + *id + "'";
        if (auto close = yaml::closest_match(*id, known); !close.empty())
          message += " (did you mean '" + close + "'?)";
        message += known.empty() ? "; no loaded plugin provides home-program items"
                                 : "; known items: " + join(known);
        reader_.error(*id_node, message);
        continue;
      }
      request.parameters = found->defaults;
      if (item.is_mapping()) {
        for (const auto& [key, value] : item.entries) {
          if (key.value == "id") continue;
          if (key.value == "minutes_per_day" || key.value == "times_per_day" ||
              key.value == "times_per_week") {
            if (auto v = reader_.integer(value, key.value, 1, 240)) {
              set_param(request.parameters, key.value, *v);
              request.given.push_back(key.value);
            }
          } else if (key.value == "instructions") {
            if (auto v = reader_.string(value, key.value)) {
              set_param(request.parameters, key.value, *v);
              request.given.push_back(key.value);
            }
          } else {
            reader_.error(key, "unknown key '" + key.value +
                                   "' in home_program item; expected one of: id, "
                                   "minutes_per_day, times_per_day, times_per_week, instructions");
          }
        }
      }
      rule.home_program.push_back(std::move(request));
    }
  }

  const HomeProgramTemplate* find_home_template(std::string_view id) {
    for (const auto& t : plugins_.techniques()) {
      for (const auto& h : t->home_templates)
        if (h.id == id) {
          bool listed = false;
          for (const auto& p : model_->plugins) listed = listed || p.name == t->plugin->description.name;
          if (listed) return &h;
        }
    }
    return nullptr;
  }

  std::string source_line(const yaml::Node& node) const {
    auto location = reader_.location(node);
    return location.file + ":" + std::to_string(location.line);
  }

  // ---- precomputed texts --------------------------------------------------

  // Adjustment texts that do not depend on the client state, built once here
  // instead of in every evaluation. Runs on a complete model: pointers into
  // model_->techniques stay valid from now on.
  void precompute() {
    for (auto& t : model_->techniques) {
      const TechniqueInfo& info = t.entry->info;
      t.max_pressure_rule = info.id + ".max_pressure";
      t.max_pressure_reason =
          info.display_name + " is never done above pressure " + std::to_string(info.max_pressure);
    }
    for (std::size_t i = 0; i < model_->stages.size(); ++i) {
      Stage& stage = model_->stages[i];
      stage.pressure_max_rule = "stages." + stage.id + ".pressure_max";
      stage.pressure_max_reason =
          "Stage '" + stage.id + "' allows pressure up to " + std::to_string(stage.pressure_max);
      for (auto& t : stage.techniques) t.configured = model_->technique(t.entry->info.id);
      if (i == 0) continue;
      const Stage& before = model_->stages[i - 1];
      for (const auto& t : stage.techniques) {
        bool known = false;
        for (const auto& old : before.techniques) known = known || old.entry == t.entry;
        if (!known)
          stage.introduced.push_back({t.entry.get(), t.entry->info.display_name +
                                                         " is introduced in stage '" + stage.id +
                                                         "'"});
      }
    }
  }

  // ---- compile pass -------------------------------------------------------

  void compile() {
    model_->catalog = std::make_unique<Catalog>();
    std::vector<std::string> stage_ids, frequency_ids;
    for (const auto& s : model_->stages) stage_ids.push_back(s.id);
    for (const auto& f : model_->ladder) frequency_ids.push_back(f.id);
    add_client_state_fields(*model_->catalog, model_->conditions, stage_ids, frequency_ids,
                            model_->observations);
    add_plugin_functions();
    ReasonCompiler reasons(doc_, *model_->catalog, limits_, diags_);
    for (const auto& pending : pending_) {
      Rule& rule = model_->rules[pending.index];
      if (pending.when) compile_expression_at(*pending.when, Type::boolean, rule.when, "when");
      if (pending.reason) {
        if (auto text = reader_.string(*pending.reason, "reason"))
          reasons.compile(*pending.reason, rule.family,
                          {pending.cap != nullptr, pending.duration != nullptr,
                           pending.postpone != nullptr},
                          rule.reason);
      }
      compile_number(pending.cap, 1, 10, "cap", rule.cap);
      compile_number(pending.duration, 10, 180, "duration_minutes", rule.duration_minutes);
      compile_number(pending.postpone, 1, 60, "postpone_days", rule.postpone_days);
      for (const auto* s : pending.suppresses) {
        auto id = reader_.string(*s, "suppresses");
        if (!id) continue;
        bool found = false;
        for (std::size_t i = 0; i < model_->rules.size(); ++i)
          if (model_->rules[i].id == *id) {
            if (model_->rules[i].family == RuleFamily::healing_response)
              reader_.error(*s, "a healing_response rule cannot suppress another one ('" + *id + "')");
            rule.suppresses.push_back(i);
            found = true;
          }
        if (!found) {
          std::vector<std::string> ids;
          for (const auto& r : model_->rules) ids.push_back(r.id);
          std::string message = "suppresses unknown rule '" + *id + "'";
          if (auto close = yaml::closest_match(*id, ids); !close.empty())
            message += " (did you mean '" + close + "'?)";
          reader_.error(*s, message);
        }
      }
    }
  }

  void add_plugin_functions() {
    for (const auto& technique : model_->techniques) {
      for (const auto& function : technique.entry->functions) {
        auto binding = std::make_unique<PluginFunctionBinding>();
        binding->function = &function;
        binding->entry = technique.entry;
        binding->config = &technique.config;
        binding->qualified_name = technique.entry->info.id + "." + function.name;
        FunctionInfo info;
        info.name = binding->qualified_name;
        for (auto p : function.parameters) info.parameters.push_back(to_expr_type(p));
        info.result = to_expr_type(function.result);
        info.description = function.description;
        info.call = &call_plugin_function;
        info.user = binding.get();
        model_->catalog->add_function(std::move(info));
        model_->function_bindings.push_back(std::move(binding));
      }
    }
  }

  static Type to_expr_type(FunctionType t) {
    switch (t) {
      case FunctionType::boolean: return Type::boolean;
      case FunctionType::number: return Type::number;
      case FunctionType::string: return Type::string;
    }
    return Type::boolean;
  }

  // The expression-language face of a plugin function: converts values,
  // calls through the never-throwing boundary wrapper.
  static Value call_plugin_function(const ClientState& state, const void* user,
                                    const Value* args, std::size_t count) {
    const auto& binding = *static_cast<const PluginFunctionBinding*>(user);
    if (count > 8) return Value::make_error();
    for (std::size_t i = 0; i < count; ++i) {
      switch (args[i].kind) {
        case Value::Kind::boolean:
        case Value::Kind::number:
        case Value::Kind::string:
          break;
        case Value::Kind::error: return Value::make_error();
        default: return Value::make_missing();
      }
    }
    // Constructs only the `count` arguments passed (most functions take none).
    union Arguments {
      Arguments() noexcept {}
      ~Arguments() {}
      FunctionValue values[8];
    } converted;
    std::size_t constructed = 0;
    struct Destroy {
      FunctionValue* values;
      const std::size_t& count;
      ~Destroy() {
        for (std::size_t i = 0; i < count; ++i) values[i].~FunctionValue();
      }
    } destroy{converted.values, constructed};
    for (; constructed < count; ++constructed) {
      const Value& arg = args[constructed];
      FunctionValue* slot = &converted.values[constructed];
      switch (arg.kind) {
        case Value::Kind::boolean:
          new (slot) FunctionValue(arg.boolean);
          break;
        case Value::Kind::number:
          new (slot) FunctionValue(arg.number);
          break;
        default:
          new (slot) FunctionValue(std::in_place_type<std::string>, arg.string);
          break;
      }
    }
    bool failed = false;
    std::string error;
    FunctionValue result = call_function(*binding.function, state, *binding.config,
                                         converted.values, count, failed, error);
    if (failed) return Value::make_error();
    if (const bool* b = std::get_if<bool>(&result)) return Value::make_bool(*b);
    if (const double* d = std::get_if<double>(&result))
      return std::isfinite(*d) ? Value::make_number(*d) : Value::make_error();
    // Strings returned by plugins would need storage that outlives the call;
    // plugin functions returning strings are compared immediately, so keep
    // them in a thread-local slot.
    if (const std::string* s = std::get_if<std::string>(&result)) {
      thread_local std::string slot;
      slot = *s;
      return Value::make_string(slot);
    }
    return Value::make_missing();
  }

  void compile_expression_at(const yaml::Node& node, Type expected, Expression& out,
                             std::string_view what) {
    auto text = reader_.string(node, what);
    if (!text) return;
    std::vector<ExpressionError> errors;
    CompileLimits limits{limits_.max_expression_length, limits_.max_expression_depth};
    if (compile_expression(*text, expected, *model_->catalog, limits, out, errors)) return;
    for (const auto& e : errors)
      diags_.push_back({Severity::error, yaml::locate_in_scalar(doc_, node, e.offset), e.message});
  }

  void compile_number(const yaml::Node* node, int min, int max, const char* what,
                      std::optional<NumberAction>& out) {
    if (!node) return;
    NumberAction action;
    action.min = min;
    action.max = max;
    if (node->is_scalar() && node->plain &&
        yaml::classify_plain_scalar(node->value) != yaml::ScalarKind::string) {
      if (auto v = reader_.integer(*node, what, min, max)) action.literal = static_cast<int>(*v);
      else return;
    } else {
      action.expression = std::make_unique<Expression>();
      compile_expression_at(*node, Type::number, *action.expression, what);
    }
    out = std::move(action);
  }

  void check_reachability() {
    const auto& stages = model_->stages;
    for (std::size_t i = 0; i + 1 < stages.size(); ++i) {
      if (stages[i].advance.empty()) {
        Diagnostic d;
        d.severity = Severity::warning;
        d.location = stages[i + 1].location;
        d.message = "stage '" + stages[i + 1].id + "' can never be reached by progression: "
                    "stage '" + stages[i].id + "' has no advance rules";
        diags_.push_back(std::move(d));
      }
    }
    if (model_->ladder.size() > 1 && model_->step_down.empty()) {
      diags_.push_back({Severity::warning, SourceLocation{doc_.file, 0, 0},
                        "frequency has no step_down rules: clients never taper from '" +
                            model_->ladder[model_->start_frequency].id + "'"});
    }
  }

  const yaml::Document& doc_;
  const PluginHost& plugins_;
  const std::vector<std::string>& searched_dirs_;
  const Limits& limits_;
  Diagnostics& diags_;
  yaml::Reader reader_;
  std::shared_ptr<ProtocolModel> model_;
  std::vector<PendingRule> pending_;
  std::map<std::string, SourceLocation> rule_ids_;
};

}  // namespace

std::shared_ptr<ProtocolModel> load_protocol_model(const yaml::Document& document,
                                                   const PluginHost& plugins,
                                                   const std::vector<std::string>& searched_dirs,
                                                   const Limits& limits,
                                                   Diagnostics& diagnostics) {
  Loader loader(document, plugins, searched_dirs, limits, diagnostics);
  return loader.load();
}

}  // namespace fascia::detail
