#include "core/protocol_reader.hpp"

#include "common/ids.hpp"
#include "common/text.hpp"
#include "core/lint_ignore.hpp"
#include "plugin_host/semver.hpp"

#include <string>

namespace fascia::detail {

ProtocolReader::ProtocolReader(const yaml::Document& document, const PluginHost& plugins,
                               const std::vector<std::string>& searched_dirs, const Limits& limits,
                               ProtocolModel& model, Diagnostics& diagnostics)
    : document_(document),
      plugins_(plugins),
      searched_dirs_(searched_dirs),
      limits_(limits),
      model_(model),
      reader_(document, diagnostics) {}

bool ProtocolReader::read() {
  model_.file = document_.file;
  model_.limits = limits_;
  const yaml::Node& root = document_.root;
  if (root.is_null()) {
    reader_.error(root,
                  "the protocol file is empty; start with 'format: 1' and a "
                  "'protocol:' section (see docs/protocol-authoring.md)");
    return false;
  }
  if (!reader_.expect_mapping(root, "protocol file",
                              {"format", "protocol", "plugins", "observations", "techniques",
                               "session", "stages", "pressure_caps", "frequency", "flare_response",
                               "healing_response", "rules", "lint", "handout"},
                              {"format", "protocol", "plugins", "session", "stages", "frequency"}))
    return false;
  if (const auto* f = root.find("format")) {
    if (auto v = reader_.integer(*f, "format", 0, 1'000'000); v && *v != protocol_format)
      reader_.error(*f, "protocol format " + std::to_string(*v) +
                            " is not supported; this engine reads protocol format " +
                            std::to_string(protocol_format));
  }
  reserve_rules(root);
  if (const auto* n = root.find("protocol")) read_header(*n);
  if (const auto* n = root.find("plugins")) read_plugins(*n);
  if (const auto* n = root.find("observations")) read_observations(*n);
  if (const auto* n = root.find("techniques")) read_technique_configs(*n);
  if (const auto* n = root.find("session")) read_session(*n);
  if (const auto* n = root.find("stages")) read_stages(*n);
  if (const auto* n = root.find("frequency")) read_frequency(*n);
  if (const auto* n = root.find("pressure_caps"))
    read_rules(*n, "pressure_caps", RuleFamily::pressure_caps, model_.caps);
  if (const auto* n = root.find("flare_response"))
    read_rules(*n, "flare_response", RuleFamily::flare_response, model_.flare);
  if (const auto* n = root.find("rules"))
    read_rules(*n, "rules", RuleFamily::general, model_.general);
  if (const auto* n = root.find("healing_response"))
    read_rules(*n, "healing_response", RuleFamily::healing_response, model_.healing);
  if (const auto* n = root.find("handout")) read_handout(*n);
  if (const auto* n = root.find("lint")) model_.lint_ignore = read_lint_section(*n, reader_);
  if (model_.rules.size() > limits_.max_rules)
    reader_.error(root, "too many rules (" + std::to_string(model_.rules.size()) +
                            "; the limit is " + std::to_string(limits_.max_rules) + ")");
  return true;
}

void ProtocolReader::read_header(const yaml::Node& node) {
  if (!reader_.expect_mapping(node, "protocol",
                              {"id", "version", "title", "conditions", "description", "references"},
                              {"id", "version", "title", "conditions"}))
    return;
  if (const auto* n = node.find("id"))
    if (auto v = reader_.string(*n, "protocol.id")) {
      if (!is_valid_id(IdKind::protocol, *v))
        reader_.error(*n, "protocol.id '" + *v + "' may only use " +
                              std::string(id_characters(IdKind::protocol)));
      model_.id = *v;
    }
  if (const auto* n = node.find("version"))
    if (auto v = reader_.string(*n, "protocol.version")) {
      if (!parse_version(*v))
        reader_.error(*n,
                      "protocol.version must be a semantic version MAJOR.MINOR.PATCH, "
                      "got '" +
                          *v + "'");
      model_.version = *v;
    }
  if (const auto* n = node.find("title"))
    if (auto v = reader_.string(*n, "protocol.title")) model_.title = *v;
  if (const auto* n = node.find("description"))
    if (auto v = reader_.string(*n, "protocol.description", true)) model_.description = *v;
  if (const auto* n = node.find("references")) reader_.string_list(*n, "protocol.references");
  if (const auto* n = node.find("conditions")) {
    if (auto list = reader_.string_list(*n, "protocol.conditions")) {
      if (list->empty()) reader_.error(*n, "protocol.conditions must name at least one condition");
      for (std::size_t i = 0; i < list->size(); ++i) {
        if (!is_valid_id(IdKind::id, (*list)[i]))
          reader_.error(n->items[i], "condition '" + (*list)[i] + "' may only use " +
                                         std::string(id_characters(IdKind::id)));
      }
      model_.conditions = *list;
    }
  }
}

// `handout:` the client's words on the hand-out (fascia handout), shown as
// written: no placeholders, nothing left to fill in.
void ProtocolReader::read_handout(const yaml::Node& node) {
  if (!reader_.expect_mapping(node, "handout", {"when_to_call", "urgent"}, {})) return;
  const auto plain = [&](const yaml::Node& at, const std::string& text) {
    if (text.find('{') != std::string::npos || text.find('}') != std::string::npos)
      reader_.error(at,
                    "hand-out text is shown to the client as written: it has no {placeholders}");
  };
  if (const auto* n = node.find("when_to_call")) {
    if (auto list = reader_.string_list(*n, "handout.when_to_call")) {
      if (list->empty())
        reader_.error(*n,
                      "handout.when_to_call needs at least one reason to call; leave it out for "
                      "the default list");
      for (std::size_t i = 0; i < list->size(); ++i) plain(n->items[i], (*list)[i]);
      model_.handout_when_to_call = *list;
    }
  }
  if (const auto* n = node.find("urgent"))
    if (auto v = reader_.string(*n, "handout.urgent")) {
      plain(*n, *v);
      model_.handout_urgent = *v;
    }
}

void ProtocolReader::read_plugins(const yaml::Node& node) {
  if (!node.is_mapping()) {
    reader_.error(node,
                  "plugins must be a mapping of plugin name to version constraint "
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
      reader_.error(value, "plugin '" + key.value + "' version " + plugin->description.version +
                               " (" + plugin->description.file + ") does not satisfy '" +
                               *constraint_text + "'");
      continue;
    }
    if (pin) check_pin(*sha256_node, key.value, *plugin, *pin);
    model_.plugins.push_back({key.value, *constraint_text, plugin});
  }
}

void ProtocolReader::check_pin(const yaml::Node& node, const std::string& name,
                               const PluginRecord& plugin, const std::string& pin) {
  if (!plugin.file) {
    reader_.error(node, "plugin '" + name + "' is built into the program (" +
                            plugin.description.file +
                            "): there is no file to check the sha256 pin against");
    return;
  }
  std::string why;
  const std::string& actual = plugin.file->sha256(why);
  if (actual.empty())
    reader_.error(node, "plugin '" + name + "' file " + plugin.description.file +
                            " could not be read to check the pinned sha256: " + why);
  else if (actual != pin)
    reader_.error(node, "plugin '" + name + "' file " + plugin.description.file +
                            " does not match the pinned sha256: expected " + pin + ", actual " +
                            actual);
}

std::string ProtocolReader::search_path_text() const {
  std::string out;
  for (const auto& d : searched_dirs_) out += (out.empty() ? "" : ", ") + d;
  return out.empty() ? std::string("(no plugin folders)") : out;
}

void ProtocolReader::read_observations(const yaml::Node& node) {
  if (!node.is_mapping()) {
    reader_.error(node, "observations must be a mapping of observation name to its declaration");
    return;
  }
  for (const auto& [key, decl] : node.entries) {
    const std::string what = "observation '" + key.value + "'";
    if (!is_valid_id(IdKind::observation, key.value))
      reader_.error(key, "observation name '" + key.value + "' may only use " +
                             std::string(id_characters(IdKind::observation)));
    if (!reader_.expect_mapping(
            decl, what, {"type", "min", "max", "values", "required", "description"}, {"type"}))
      continue;
    ObservationDecl o;
    o.name = key.value;
    if (const auto* t = decl.find("type")) {
      auto type = reader_.one_of(*t, "observation type",
                                 {"integer", "number", "boolean", "enum", "string"});
      if (!type) continue;
      using Kind = ObservationDecl::Kind;
      o.kind = *type == "integer"   ? Kind::integer
               : *type == "number"  ? Kind::number
               : *type == "boolean" ? Kind::boolean
               : *type == "enum"    ? Kind::enumeration
                                    : Kind::string;
    }
    const bool numeric =
        o.kind == ObservationDecl::Kind::integer || o.kind == ObservationDecl::Kind::number;
    for (const char* bound : {"min", "max"}) {
      if (const auto* b = decl.find(bound)) {
        if (!numeric) {
          reader_.error(*b,
                        std::string(bound) + " only applies to integer and number observations");
          continue;
        }
        if (auto v = reader_.number(*b, key.value + "." + bound, -1e9, 1e9))
          (std::string_view(bound) == "min" ? o.min : o.max) = *v;
      }
    }
    if (o.min && o.max && *o.min > *o.max) reader_.error(decl, what + ": min is greater than max");
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
    model_.observations.push_back(std::move(o));
  }
}

void ProtocolReader::read_session(const yaml::Node& node) {
  if (!reader_.expect_mapping(node, "session", {"duration_minutes"}, {"duration_minutes"})) return;
  if (const auto* n = node.find("duration_minutes"))
    if (auto v = reader_.integer(*n, "session.duration_minutes", 10, 180))
      model_.session_duration = static_cast<int>(*v);
}

void ProtocolReader::read_stages(const yaml::Node& node) {
  if (!reader_.expect_sequence(node, "stages")) return;
  if (node.items.empty()) {
    reader_.error(node, "stages must list at least one stage");
    return;
  }
  for (const auto& s : node.items) {
    if (!reader_.expect_mapping(s, "stage",
                                {"id", "title", "techniques", "pressure_max", "duration_minutes",
                                 "advance", "hold", "regress"},
                                {"id", "techniques", "pressure_max"}))
      continue;
    Stage stage;
    stage.location = reader_.location(s);
    stage.source = source_line(s);
    if (const auto* n = s.find("id"))
      if (auto v = reader_.string(*n, "stage id")) {
        if (!is_valid_id(IdKind::id, *v))
          reader_.error(
              *n, "stage id '" + *v + "' may only use " + std::string(id_characters(IdKind::id)));
        if (model_.stage_index(*v) < model_.stages.size())
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
    model_.stages.push_back(std::move(stage));
    const std::size_t stage_number = model_.stages.size() - 1;
    auto& stored = model_.stages.back();
    if (const auto* n = s.find("advance"))
      read_rules(*n, "advance", RuleFamily::stage_advance, stored.advance);
    if (const auto* n = s.find("hold")) read_rules(*n, "hold", RuleFamily::stage_hold, stored.hold);
    if (const auto* n = s.find("regress")) {
      if (stage_number == 0)
        reader_.error(*n, "the first stage cannot have regress rules: there is no stage before it");
      read_rules(*n, "regress", RuleFamily::stage_regress, stored.regress);
    }
    if (const auto* n = s.find("advance"); n && &s == &node.items.back())
      reader_.error(*n, "the last stage cannot have advance rules: there is no stage after it");
  }
}

void ProtocolReader::read_frequency(const yaml::Node& node) {
  if (!reader_.expect_mapping(node, "frequency", {"start", "ladder", "step_down", "step_up"},
                              {"start", "ladder"}))
    return;
  if (const auto* ladder = node.find("ladder");
      ladder && reader_.expect_sequence(*ladder, "ladder")) {
    if (ladder->items.empty())
      reader_.error(*ladder, "the frequency ladder needs at least one step");
    int previous = 0;
    for (const auto& step : ladder->items) {
      if (!reader_.expect_mapping(step, "ladder step", {"id", "interval_days", "title"},
                                  {"id", "interval_days"}))
        continue;
      FrequencyStep f;
      if (const auto* n = step.find("id"))
        if (auto v = reader_.string(*n, "ladder step id")) {
          if (model_.frequency_index(*v) < model_.ladder.size())
            reader_.error(*n, "duplicate frequency id '" + *v + "'");
          f.id = *v;
        }
      if (const auto* n = step.find("title"))
        if (auto v = reader_.string(*n, "ladder step title")) f.title = *v;
      if (const auto* n = step.find("interval_days"))
        if (auto v = reader_.integer(*n, "interval_days", 1, 365)) {
          f.interval_days = static_cast<int>(*v);
          if (f.interval_days <= previous)
            reader_.error(*n,
                          "interval_days must increase down the ladder (most frequent "
                          "first): " +
                              std::to_string(f.interval_days) + " follows " +
                              std::to_string(previous));
          previous = f.interval_days;
        }
      model_.ladder.push_back(std::move(f));
    }
  }
  if (const auto* n = node.find("start"))
    if (auto v = reader_.string(*n, "frequency.start")) {
      model_.start_frequency = model_.frequency_index(*v);
      if (model_.start_frequency >= model_.ladder.size() && !model_.ladder.empty()) {
        std::vector<std::string> ids;
        for (const auto& f : model_.ladder) ids.push_back(f.id);
        reader_.error(*n, "frequency.start '" + *v + "' is not on the ladder (" + join(ids) + ")");
        model_.start_frequency = 0;
      }
    }
  if (const auto* n = node.find("step_down"))
    read_rules(*n, "step_down", RuleFamily::frequency_step_down, model_.step_down);
  if (const auto* n = node.find("step_up"))
    read_rules(*n, "step_up", RuleFamily::frequency_step_up, model_.step_up);
}

// The `source` of adjustments, traces and rule lists: the protocol file's
// name within its folder and the line ("fibromyalgia.yaml:57"), never the
// folder it was loaded from, so that output does not depend on where a file
// is deployed (docs/protocols.md, "source").
std::string ProtocolReader::source_line(const yaml::Node& node) const {
  auto location = reader_.location(node);
  const auto slash = location.file.find_last_of('/');
  const std::string name =
      slash == std::string::npos ? location.file : location.file.substr(slash + 1);
  return name + ":" + std::to_string(location.line);
}

}  // namespace fascia::detail
