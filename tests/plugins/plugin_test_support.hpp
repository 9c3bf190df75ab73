#pragma once
// Shared helpers for the plugin tests: paths of the built plugins, a host
// with the bundled plugins loaded, a typical client state, and running a
// technique's adjust() the way the engine does.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/plugin_result_checks.hpp"
#include "plugin_host/plugin_host.hpp"

namespace fascia::test {

inline std::string bundled_plugin(std::string_view name) {
  return std::string(FASCIA_PLUGIN_BUILD_DIR) + "/libfascia-" + std::string(name) + ".so";
}

inline std::string test_plugin(std::string_view test_case) {
  return std::string(FASCIA_TEST_PLUGIN_DIR) + "/" + std::string(test_case) + "/libfascia-test_" +
         std::string(test_case) + ".so";
}

// One host per test binary, with every bundled plugin loaded.
inline const detail::PluginHost& bundled_host() {
  static const detail::PluginHost host = [] {
    detail::PluginHost h;
    Diagnostics d = h.load_directory(FASCIA_PLUGIN_BUILD_DIR);
    for (const auto& diagnostic : d) ADD_FAILURE() << diagnostic.to_string();
    return h;
  }();
  return host;
}

inline const detail::TechniqueEntry& technique(std::string_view id) {
  auto entry = bundled_host().find_technique(id);
  if (!entry) throw std::runtime_error("technique not loaded: " + std::string(id));
  return *entry;
}

// A fibromyalgia client some weeks into the program, no flare.
inline ClientState typical_client() {
  ClientState s;
  s.client_id = "C-1042";
  s.condition = "fibromyalgia";
  s.as_of = *Date::parse("2026-11-20");
  s.program.sessions_completed = 6;
  s.program.weeks_in_program = 6;
  s.pain = {6, 8};
  s.sensitivity = Sensitivity::moderate;
  s.pressure_tolerance = 6;
  s.flare.active = false;
  s.flare.days_since_last = 21;
  return s;
}

inline HistoryEntry session(std::string_view date, std::vector<std::string> techniques,
                            std::optional<double> soreness = std::nullopt) {
  HistoryEntry e;
  e.date = *Date::parse(date);
  e.techniques = std::move(techniques);
  e.pressure = 4;
  e.soreness_24h = soreness;
  e.pain_before = 7;
  e.pain_after = 5;
  return e;
}

struct Adjusted {
  TechniqueResult result;
  bool ok = false;
  std::string error;
  std::vector<std::string> problems;  // check_result()

  const ParamValue* param(std::string_view name) const {
    return find_param(result.parameters, name);
  }
};

// Runs adjust() as the engine does: config defaults filled in, through the
// boundary wrapper, then the result checked against the technique's schema.
inline Adjusted run(const detail::TechniqueEntry& entry, const ClientState& state,
                    Params config = {}, int cap = 10,
                    std::vector<std::string> planned = {"swedish"}) {
  detail::fill_defaults(entry.config_schema, config);
  SessionDraft draft;
  draft.stage = "foundation";
  draft.pressure_cap = cap;
  draft.duration_minutes = 60;
  draft.techniques = std::move(planned);
  TechniqueContext context{state, config, draft};
  Adjusted r;
  r.ok = detail::call_adjust(entry, context, r.result, r.error);
  if (r.ok) r.problems = detail::check_result(entry, r.result);
  return r;
}

inline std::int64_t as_int(const ParamValue* v) {
  if (!v) throw std::runtime_error("parameter missing");
  return std::get<std::int64_t>(*v);
}

}  // namespace fascia::test
