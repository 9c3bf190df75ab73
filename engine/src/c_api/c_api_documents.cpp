// The C API's documents (fascia.h, C API 1.2): what-if, validation with lint
// warnings, simulation and the protocol-specialised client-state schema. Each
// returns the JSON document the CLI prints (`fascia what-if --json`,
// `fascia simulate --json`, `fascia schema`), made by the same code
// (engine/src/documents).
#include "c_api/c_api_support.hpp"

#include "documents/override_blame.hpp"
#include "documents/scenario.hpp"
#include "documents/simulation.hpp"
#include "documents/simulation_json.hpp"
#include "documents/state_schema.hpp"
#include "documents/what_if_diff.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

using namespace fascia::c_api;
using Json = nlohmann::ordered_json;
using fascia::Diagnostics;
using fascia::Severity;

constexpr const char* state_input_name = "<state>";
constexpr const char* scenario_input_name = "<scenario>";
constexpr int max_weeks = 260;  // as `fascia simulate --weeks`

// Reads {"PATH": VALUE, ...}; returns an error message or empty.
std::string read_changes(const char* text, std::vector<fascia::StateOverride>& out) {
  const Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.empty())
    return "changes must be a JSON object of one or more {\"PATH\": VALUE}, e.g. "
           "{\"flare.active\": true, \"flare.severity\": 6}";
  for (const auto& [path, value] : json.items())
    out.push_back({path, value.dump(-1, ' ', false, Json::error_handler_t::replace)});
  return {};
}

// {"valid", "errors", "warnings", "diagnostics": [...]}
std::string validation_json(const Diagnostics& found, const Input& input) {
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : found) {
    if (d.severity == Severity::error) ++errors;
    if (d.severity == Severity::warning) ++warnings;
  }
  return std::string("{\"valid\":") + (errors ? "false" : "true") +
         ",\"errors\":" + std::to_string(errors) + ",\"warnings\":" + std::to_string(warnings) +
         ",\"diagnostics\":" + diagnostics_json(found, input) + "}";
}

// As `fascia validate --strict`: safety-floor findings become errors.
void strict(Diagnostics& found, unsigned flags) {
  if (flags & FASCIA_STRICT)
    for (auto& d : found)
      if (d.severity == Severity::warning && d.message.starts_with("safety floor: "))
        d.severity = Severity::error;
}

}  // namespace

extern "C" {

fascia_status fascia_what_if(const fascia_protocol* protocol, const char* state,
                             const char* changes_json, unsigned flags, char** result_json,
                             fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!protocol) return missing(error, "protocol");
    if (!state) return missing(error, "state");
    if (!changes_json) return missing(error, "changes_json");
    if (flags & ~unsigned(FASCIA_EXPLAIN))
      return unknown_flags(error, flags, FASCIA_EXPLAIN, "FASCIA_EXPLAIN");
    std::vector<fascia::StateOverride> sets;
    if (auto problem = read_changes(changes_json, sets); !problem.empty())
      return fail(error, FASCIA_ERROR_ARGUMENT, problem);
    const fascia::Protocol& p = *protocol->protocol;
    const Input input{state, state_input_name};
    auto baseline_state = p.parse_state(state, state_input_name);
    if (!baseline_state) return fail(error, baseline_state.diagnostics(), input);
    auto changed_state = p.parse_state(state, state_input_name, sets);
    if (!changed_state) {
      // The state alone is valid, so every problem comes from a change: name
      // it as `fascia what-if` does ("--set PATH", JSON path "$.PATH").
      Diagnostics problems = changed_state.diagnostics();
      for (auto& d : problems)
        if (!fascia::documents::is_override_problem(d))
          if (auto i = fascia::documents::override_behind(d, sets))
            d.location = fascia::SourceLocation{"--set " + sets[*i].path, 0, 0};
      return fail(error, problems, input);
    }
    fascia::EvaluateOptions options;
    options.explain = (flags & FASCIA_EXPLAIN) != 0;
    auto baseline = p.evaluate(baseline_state.value(), options);
    if (!baseline) return fail(error, baseline.diagnostics(), input);
    auto what_if = p.evaluate(changed_state.value(), options);
    if (!what_if) return fail(error, what_if.diagnostics(), input);
    const auto changes = fascia::documents::diff_recommendations(
        baseline.value(), what_if.value(), fascia::documents::home_item_owners(p));
    *result_json =
        copy_out(fascia::documents::what_if_json(baseline.value(), what_if.value(), changes));
    return FASCIA_OK;
  });
}

fascia_status fascia_validate_protocol(const fascia_engine* engine, const char* yaml,
                                       const char* name, unsigned flags, char** result_json,
                                       fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!engine) return missing(error, "engine");
    if (!yaml) return missing(error, "yaml");
    if (flags & ~unsigned(FASCIA_STRICT))
      return unknown_flags(error, flags, FASCIA_STRICT, "FASCIA_STRICT");
    const std::string file = name ? name : "<protocol>";
    Diagnostics found = engine->engine.validate_protocol_text(yaml, file);
    strict(found, flags);
    *result_json = copy_out(validation_json(found, Input{yaml, file}));
    return FASCIA_OK;
  });
}

fascia_status fascia_validate_protocol_file(const fascia_engine* engine, const char* path,
                                            unsigned flags, char** result_json,
                                            fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!engine) return missing(error, "engine");
    if (!path) return missing(error, "path");
    if (flags & ~unsigned(FASCIA_STRICT))
      return unknown_flags(error, flags, FASCIA_STRICT, "FASCIA_STRICT");
    Diagnostics found = engine->engine.validate_protocol(path);
    strict(found, flags);
    *result_json = copy_out(validation_json(found, Input{text_for_paths(path), path}));
    return FASCIA_OK;
  });
}

fascia_status fascia_validate_state(const fascia_protocol* protocol, const char* state,
                                    unsigned flags, char** result_json, fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!protocol) return missing(error, "protocol");
    if (!state) return missing(error, "state");
    if (flags != 0) return unknown_flags(error, flags, 0, "no flags");
    auto parsed = protocol->protocol->parse_state(state, state_input_name);
    *result_json = copy_out(validation_json(parsed.diagnostics(), Input{state, state_input_name}));
    return FASCIA_OK;
  });
}

fascia_status fascia_simulate(const fascia_protocol* protocol, const char* state, int weeks,
                              const char* scenario, unsigned flags, char** result_json,
                              fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!protocol) return missing(error, "protocol");
    if (!state) return missing(error, "state");
    if (flags != 0) return unknown_flags(error, flags, 0, "no flags");
    if (weeks < 1 || weeks > max_weeks)
      return fail(
          error, FASCIA_ERROR_ARGUMENT,
          "weeks must be 1-" + std::to_string(max_weeks) + ", got " + std::to_string(weeks));
    fascia::documents::Scenario plan;
    if (scenario) {
      Diagnostics problems;
      if (!fascia::documents::parse_scenario(scenario, scenario_input_name, plan, problems))
        return fail(error, problems, Input{scenario, scenario_input_name});
    }
    const fascia::Protocol& p = *protocol->protocol;
    auto parsed = p.parse_state(state, state_input_name);
    if (!parsed) return fail(error, parsed.diagnostics(), Input{state, state_input_name});
    auto sim = fascia::documents::simulate(p, parsed.value(), plan, weeks);
    if (!sim)
      return fail(error, sim.diagnostics(), Input{scenario ? scenario : "", scenario_input_name});
    *result_json = copy_out(fascia::documents::simulation_json(sim.value()).dump());
    return FASCIA_OK;
  });
}

fascia_status fascia_protocol_state_schema_json(const fascia_protocol* protocol, char** json,
                                                fascia_error** error) {
  return guarded(error, [&] {
    if (!json) return missing(error, "json");
    *json = nullptr;
    if (!protocol) return missing(error, "protocol");
    *json = copy_out(fascia::documents::specialised_state_schema(*protocol->protocol)
                         .dump(-1, ' ', false, Json::error_handler_t::replace));
    return FASCIA_OK;
  });
}

}  // extern "C"
