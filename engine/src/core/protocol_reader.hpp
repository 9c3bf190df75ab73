#pragma once
// The reading pass of loading a protocol: YAML document to ProtocolModel
// (header, plugins, observations, techniques, stages, frequency, rules),
// with located errors. Expressions, reasons and computed numbers are kept
// as PendingRule nodes for the compile pass (protocol_compiler.hpp), which
// needs every stage, frequency and technique id first.

#include "core/protocol_model.hpp"
#include "plugin_host/plugin_host.hpp"
#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <fascia/diagnostic.hpp>
#include <fascia/limits.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Nodes of one rule kept from the reading pass for the compile pass.
struct PendingRule {
  std::size_t index = 0;  // into ProtocolModel::rules
  const yaml::Node* node = nullptr;
  const yaml::Node* when = nullptr;
  const yaml::Node* reason = nullptr;
  const yaml::Node* cap = nullptr;
  const yaml::Node* duration = nullptr;
  const yaml::Node* postpone = nullptr;
  std::vector<const yaml::Node*> suppresses;  // healing_response
};

class ProtocolReader {
 public:
  ProtocolReader(const yaml::Document& document, const PluginHost& plugins,
                 const std::vector<std::string>& searched_dirs, const Limits& limits,
                 ProtocolModel& model, Diagnostics& diagnostics);

  // Reads the whole document into the model. False when the root is not a
  // protocol at all (empty, not a mapping); errors are in the diagnostics.
  bool read();
  const std::vector<PendingRule>& pending_rules() const noexcept { return pending_; }

 private:
  // protocol_reader.cpp: the sections.
  void read_header(const yaml::Node& node);
  void read_plugins(const yaml::Node& node);
  // An error at `node` unless the plugin's file has the SHA-256 `pin`.
  void check_pin(const yaml::Node& node, const std::string& name, const PluginRecord& plugin,
                 const std::string& pin);
  void read_observations(const yaml::Node& node);
  void read_session(const yaml::Node& node);
  void read_stages(const yaml::Node& node);
  void read_frequency(const yaml::Node& node);
  void read_handout(const yaml::Node& node);
  std::string search_path_text() const;
  std::string source_line(const yaml::Node& node) const;

  // technique_reader.cpp: techniques named anywhere in the protocol.
  const ConfiguredTechnique* use_technique(const yaml::Node& where, const std::string& id,
                                           bool complete = true);
  void read_technique_configs(const yaml::Node& node);
  void read_stage_techniques(const yaml::Node& node, Stage& stage);
  void read_home_program(const yaml::Node& node, Rule& rule);
  const HomeProgramTemplate* find_home_template(std::string_view id) const;

  // rule_reader.cpp: rule lists of every family and their actions.
  void reserve_rules(const yaml::Node& root);
  void read_rules(const yaml::Node& node, std::string_view section, RuleFamily family,
                  std::vector<std::size_t>& out);
  bool has_required(const yaml::Node& rule, const std::vector<std::string_view>& required);
  void read_actions(const yaml::Node& node, Rule& rule, PendingRule& pending, RuleFamily family);

  const yaml::Document& document_;
  const PluginHost& plugins_;
  const std::vector<std::string>& searched_dirs_;
  const Limits& limits_;
  ProtocolModel& model_;
  yaml::Reader reader_;
  std::vector<PendingRule> pending_;
  std::map<std::string, SourceLocation> rule_ids_;
};

}  // namespace fascia::detail
