#include "test_support.hpp"
#include "../bundled_plugins.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fascia::test {

Engine& bundled_engine() {
  static Engine engine = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

std::string small_protocol(const std::string& extra, const std::string& stage_rules) {
  return R"(format: 1
protocol:
  id: small
  version: 1.2.3
  title: Small protocol
  conditions: [fibromyalgia]
plugins:
  swedish: ">=1.0.0"
  myofascial_release: ">=1.0.0"
  trigger_point: ">=1.0.0"
observations:
  stiffness:
    type: integer
    min: 0
    max: 600
session:
  duration_minutes: 60
stages:
  - id: a
    techniques: [swedish]
    pressure_max: 6
    advance:
      - id: a.advance
        when: program.sessions_in_stage >= 3
        reason: "{program.sessions_in_stage} sessions in {stage}: move to {next_stage}"
)" + stage_rules +
         R"(
  - id: b
    techniques: [swedish, myofascial_release]
    pressure_max: 6
    advance:
      - id: b.advance
        when: program.sessions_in_stage >= 100
        reason: advance
    regress:
      - id: b.regress
        when: flare.count_30d >= 2
        reason: "{flare.count_30d} flares: back to {next_stage}"
  - id: c
    techniques: [swedish, myofascial_release, trigger_point]
    pressure_max: 8
frequency:
  start: weekly
  ladder:
    - {id: weekly, interval_days: 7}
    - {id: every_other_week, interval_days: 14}
    - {id: monthly, interval_days: 28}
  step_down:
    - id: f.down
      when: program.weeks_in_program >= 12
      reason: "taper from {frequency} to {next_frequency}"
  step_up:
    - id: f.up
      when: flare.active
      reason: "flare: from {frequency} to {next_frequency}"
)" + extra;
}

std::string small_state(const std::string& changes) {
  return R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: false}
)" + changes;
}

Recommendation evaluate(const std::string& protocol_yaml, const std::string& state_yaml,
                        bool explain) {
  auto protocol = bundled_engine().parse_protocol(protocol_yaml, "p.yaml");
  for (const auto& d : protocol.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  if (!protocol) throw std::runtime_error("protocol did not load");
  auto state = protocol.value()->parse_state(state_yaml, "s.yaml");
  for (const auto& d : state.diagnostics()) ADD_FAILURE() << d.to_string();
  if (!state) throw std::runtime_error("state did not load");
  EvaluateOptions options;
  options.explain = explain;
  auto result = protocol.value()->evaluate(state.value(), options);
  if (!result) throw std::runtime_error("evaluation failed");
  return result.value();
}

std::string load_errors(const std::string& protocol_yaml) {
  auto protocol = bundled_engine().parse_protocol(protocol_yaml, "p.yaml");
  std::string out;
  for (const auto& d : protocol.diagnostics())
    if (d.severity == Severity::error) out += d.to_string() + "\n";
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace fascia::test
