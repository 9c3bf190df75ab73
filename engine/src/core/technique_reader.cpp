#include "common/text.hpp"

#include "common/did_you_mean.hpp"
#include "core/protocol_reader.hpp"
#include "core/technique_config.hpp"

namespace fascia::detail {

// A technique named somewhere in the protocol: it must come from a plugin
// listed under `plugins:`. Reports at `where` and returns null otherwise.
// `complete` false leaves the defaults and the check of required keys to
// the caller, which has explicit values to add first.
const ConfiguredTechnique* ProtocolReader::use_technique(const yaml::Node& where,
                                                         const std::string& id, bool complete) {
  if (const auto* t = model_.technique(id)) return t;
  auto entry = plugins_.find_technique(id);
  if (!entry) {
    std::vector<std::string> known;
    for (const auto& t : plugins_.techniques()) known.push_back(t->info.id);
    std::string message = "unknown technique '" + id + "'";
    if (auto close = closest_match(id, known); !close.empty())
      message += " (did you mean '" + close + "'?)";
    message += known.empty()
                   ? "; no technique plugins are loaded (searched: " + search_path_text() + ")"
                   : "; loaded techniques: " + join(known);
    reader_.error(where, message);
    return nullptr;
  }
  const std::string& plugin_name = entry->plugin->description.name;
  bool listed = false;
  for (const auto& p : model_.plugins) listed = listed || p.name == plugin_name;
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
  if (complete)
    complete_technique_config(reader_, where, entry->config_schema, id, configured.config);
  model_.techniques.push_back(std::move(configured));
  return &model_.techniques.back();
}

void ProtocolReader::read_technique_configs(const yaml::Node& node) {
  if (!node.is_mapping()) {
    reader_.error(node, "techniques must be a mapping of technique id to its configuration");
    return;
  }
  for (const auto& [key, config] : node.entries) {
    const bool named_before = model_.technique(key.value) != nullptr;
    const auto* technique = use_technique(key, key.value, false);
    if (!technique) continue;
    auto& configured = const_cast<ConfiguredTechnique&>(*technique);
    Params params;
    read_technique_config(reader_, config, configured.entry->config_schema, key.value, params);
    for (auto& p : params) set_param(configured.config, p.name, std::move(p.value));
    // Defaults and required keys once the explicit values are in.
    if (!named_before)
      complete_technique_config(reader_, key, configured.entry->config_schema, key.value,
                                configured.config, &config);
  }
}

void ProtocolReader::read_stage_techniques(const yaml::Node& node, Stage& stage) {
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
    // This check and the next give a technique one configuration in an
    // evaluation, which the plugin memo relies on (plugin_memo.cpp, slot_for).
    if (technique->entry->info.kind != TechniqueKind::in_session) {
      reader_.error(*id_node, "technique '" + *id +
                                  "' is a home-program technique; "
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

void ProtocolReader::read_home_program(const yaml::Node& node, Rule& rule) {
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
      if (auto close = closest_match(*id, known); !close.empty())
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

const HomeProgramTemplate* ProtocolReader::find_home_template(std::string_view id) const {
  for (const auto& t : plugins_.techniques()) {
    for (const auto& h : t->home_templates)
      if (h.id == id) {
        bool listed = false;
        for (const auto& p : model_.plugins)
          listed = listed || p.name == t->plugin->description.name;
        if (listed) return &h;
      }
  }
  return nullptr;
}

}  // namespace fascia::detail
