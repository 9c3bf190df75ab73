#pragma once
// Helpers for engine tests: an engine with the bundled plugins from the
// build tree only, and a small protocol to vary rule by rule.

#include <fascia/engine.hpp>

#include <string>

namespace fascia::test {

// Loads the plugins built into build/lib/fascia/plugins (no environment,
// no install folders), failing the test on any load problem.
Engine& bundled_engine();

// A complete small protocol; `extra` is appended at the end (top-level
// sections such as pressure_caps or rules). Stage A (swedish), stage B
// (swedish + myofascial_release), stage C (+ trigger_point).
std::string small_protocol(const std::string& extra, const std::string& stage_rules = "");

// A valid client state for small_protocol; `extra` lines are appended.
std::string small_state(const std::string& changes = "");

// Evaluates `state_yaml` against `protocol_yaml`, failing on any error.
Recommendation evaluate(const std::string& protocol_yaml, const std::string& state_yaml,
                        bool explain = false);

// Every error line of loading `protocol_yaml` (named "p.yaml"), joined.
std::string load_errors(const std::string& protocol_yaml);

std::string read_file(const std::string& path);

}  // namespace fascia::test
