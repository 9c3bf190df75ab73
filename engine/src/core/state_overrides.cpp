#include "core/state_overrides.hpp"

#include "common/did_you_mean.hpp"
#include "core/state_fields.hpp"
#include "yaml/reader.hpp"

namespace fascia::detail {

namespace {

// Every path --set accepts besides observations.NAME: the state's fields.
const std::vector<std::string>& override_paths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> out;
    for (const auto& field : state_fields) out.emplace_back(field.path);
    return out;
  }();
  return paths;
}

bool is_declared_observation(const ProtocolModel& model, std::string_view name) {
  for (const auto& o : model.observations)
    if (o.name == name) return true;
  return false;
}

yaml::Node* find_mutable(yaml::Node& map, std::string_view key) {
  for (auto& [k, v] : map.entries)
    if (k.value == key) return &v;
  return nullptr;
}

yaml::Node& child_mapping(yaml::Node& parent, const std::string& key) {
  if (auto* existing = find_mutable(parent, key)) {
    if (!existing->is_mapping()) {
      existing->kind = yaml::NodeKind::mapping;
      existing->items.clear();
      existing->value.clear();
    }
    return *existing;
  }
  yaml::Node k;
  k.kind = yaml::NodeKind::scalar;
  k.value = key;
  yaml::Node v;
  v.kind = yaml::NodeKind::mapping;
  parent.entries.emplace_back(std::move(k), std::move(v));
  return parent.entries.back().second;
}

void set_child(yaml::Node& parent, const std::string& key, yaml::Node value) {
  if (auto* existing = find_mutable(parent, key)) {
    *existing = std::move(value);
    return;
  }
  yaml::Node k;
  k.kind = yaml::NodeKind::scalar;
  k.value = key;
  parent.entries.emplace_back(std::move(k), std::move(value));
}

}  // namespace

Diagnostics check_override_paths(const ProtocolModel& model,
                                 const std::vector<StateOverride>& overrides) {
  Diagnostics out;
  for (const auto& o : overrides) {
    bool known = false;
    for (const auto& p : override_paths()) known = known || p == o.path;
    if (o.path.rfind("observations.", 0) == 0)
      known = is_declared_observation(model, std::string_view(o.path).substr(13));
    if (!known) {
      std::vector<std::string> candidates = override_paths();
      for (const auto& decl : model.observations) candidates.push_back("observations." + decl.name);
      std::string message = "unknown state path '" + o.path + "' in --set";
      if (auto close = closest_match(o.path, candidates); !close.empty())
        message += " (did you mean '" + close + "'?)";
      Diagnostic d{Severity::error, SourceLocation{"--set", 0, 0}, message};
      d.fields = {o.path};
      out.push_back(std::move(d));
    }
  }
  return out;
}

bool apply_overrides(const yaml::Document& document, const ProtocolModel& model,
                     const std::vector<StateOverride>& overrides, yaml::Document& changed,
                     Diagnostics& diagnostics) {
  auto usage = check_override_paths(model, overrides);
  if (!usage.empty()) {
    diagnostics.insert(diagnostics.end(), usage.begin(), usage.end());
    return false;
  }
  changed = document;
  if (changed.root.is_null()) changed.root.kind = yaml::NodeKind::mapping;
  for (const auto& o : overrides) {
    yaml::Document value_doc;
    const std::size_t before = diagnostics.size();
    if (!yaml::parse_document(o.value, "--set " + o.path, model.limits, value_doc, diagnostics)) {
      for (std::size_t i = before; i < diagnostics.size(); ++i) diagnostics[i].fields = {o.path};
      continue;
    }
    const auto dot = o.path.find('.');
    if (!changed.root.is_mapping()) break;  // reported by the reader below
    if (dot == std::string::npos) {
      set_child(changed.root, o.path, std::move(value_doc.root));
      continue;
    }
    const std::string head = o.path.substr(0, dot);
    const std::string tail = o.path.substr(dot + 1);
    if (head == "last") {
      yaml::Node* history = find_mutable(changed.root, "history");
      if (!history || !history->is_sequence() || history->items.empty()) {
        Diagnostic d{Severity::error, SourceLocation{"--set", 0, 0},
                     "cannot set '" + o.path + "': the state has no history entry"};
        d.fields = {o.path};
        diagnostics.push_back(std::move(d));
        continue;
      }
      set_child(history->items.back(), tail, std::move(value_doc.root));
    } else {
      set_child(child_mapping(changed.root, head), tail, std::move(value_doc.root));
    }
  }
  return true;
}

}  // namespace fascia::detail
