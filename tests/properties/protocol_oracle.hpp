#pragma once
// What a protocol file says, read with yaml-cpp independently of the engine:
// the oracle the safety properties are checked against, and the ranges the
// state generator draws from.

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fascia::test {

struct ObservationSpec {
  std::string name;
  std::string type;  // integer, number, boolean, enum, string
  double min = 0, max = 1000;
  std::vector<std::string> values;
  bool required = false;
};

struct ProtocolOracle {
  std::string file;
  std::vector<std::string> conditions;
  std::vector<std::string> stages;           // in order
  std::map<std::string, int> stage_ceiling;  // stage id -> pressure_max
  std::vector<std::string> frequencies;
  std::string start_frequency;
  std::set<std::string> techniques;                     // every technique a stage lists
  std::map<std::string, std::optional<int>> cap_rules;  // id -> literal cap, if literal
  std::set<std::string> referral_rules;
  std::vector<ObservationSpec> observations;
  // For the safety floors (CONTRACT.md): rules whose firing is a red flag.
  std::set<std::string> flare_rules;       // flare_response
  std::set<std::string> postpone_rules;    // with postpone_days
  std::set<std::string> marked_red_flags;  // red_flag: true, in any list
};

inline ProtocolOracle read_oracle(const std::string& file) {
  ProtocolOracle o;
  o.file = file;
  const YAML::Node root = YAML::LoadFile(file);
  for (const auto& c : root["protocol"]["conditions"]) o.conditions.push_back(c.as<std::string>());
  for (const auto& s : root["stages"]) {
    const auto id = s["id"].as<std::string>();
    o.stages.push_back(id);
    o.stage_ceiling[id] = s["pressure_max"].as<int>();
    for (const auto& t : s["techniques"])
      o.techniques.insert(t.IsMap() ? t["id"].as<std::string>() : t.as<std::string>());
  }
  for (const auto& f : root["frequency"]["ladder"])
    o.frequencies.push_back(f["id"].as<std::string>());
  o.start_frequency = root["frequency"]["start"] ? root["frequency"]["start"].as<std::string>()
                                                 : o.frequencies.front();
  for (const char* family : {"pressure_caps", "flare_response", "rules"}) {
    for (const auto& r : root[family]) {
      const auto id = r["id"].as<std::string>();
      if (r["cap"]) {
        int literal = 0;
        o.cap_rules[id] = YAML::convert<int>::decode(r["cap"], literal)
                              ? std::optional<int>(literal)
                              : std::nullopt;
      }
      if (r["refer"]) o.referral_rules.insert(id);
      if (std::string(family) == "flare_response") o.flare_rules.insert(id);
      if (r["postpone_days"]) o.postpone_rules.insert(id);
      if (r["red_flag"]) o.marked_red_flags.insert(id);
    }
  }
  for (const auto& s : root["stages"])
    for (const char* list : {"hold", "regress"})
      for (const auto& r : s[list])
        if (r["red_flag"]) o.marked_red_flags.insert(r["id"].as<std::string>());
  for (const auto& entry : root["observations"]) {
    ObservationSpec spec;
    spec.name = entry.first.as<std::string>();
    const auto& d = entry.second;
    spec.type = d["type"].as<std::string>();
    if (d["min"]) spec.min = d["min"].as<double>();
    if (d["max"]) spec.max = d["max"].as<double>();
    if (d["values"]) spec.values = d["values"].as<std::vector<std::string>>();
    if (d["required"]) spec.required = d["required"].as<bool>();
    o.observations.push_back(spec);
  }
  return o;
}

}  // namespace fascia::test
