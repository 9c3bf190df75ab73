#pragma once
// What a technique's adjust() returned, checked before any of it reaches a
// recommendation: once per result (the plugin memo keeps what was found),
// building text only for a problem.
//
// A plugin's output obeys the same rules as a protocol's:
// - parameters: the technique's own parameter_schema (type, range, allowed
//   values, required ones); `pressure_max` is only type-checked here, then
//   clamped to the session cap (clamp_pressure);
// - rule ids (of adjustments and of a hold): letters, digits, '_', '.',
//   '-', at most max_plugin_rule_id characters, and not one of the forms
//   the engine emits itself;
// - reasons and warnings: present, at most max_plugin_text bytes;
// - adjustments: at most max_plugin_adjustments, of the kinds a plugin may
//   emit (note, check_in, referral) with a null or text
//   value. A technique changes pressure through pressure_max and holds itself
//   through `hold`; the engine then emits the checked adjustment itself. The
//   other kinds (pressure_cap, postponed, duration_changed, stage and
//   frequency changes, technique_added/held, home_program) are the
//   protocol's alone;
// - home-program items: declared by the technique.

#include <fascia/plugin.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "plugin_host/plugin_host.hpp"

namespace fascia::detail {

inline constexpr std::size_t max_plugin_rule_id = 64;
inline constexpr std::size_t max_plugin_text = 1000;
inline constexpr std::size_t max_plugin_adjustments = 32;
// check_result() reports at most this many problems, then "and N more".
inline constexpr std::size_t max_plugin_problems = 8;

// Every check above; the problems found, empty when fine. A result that
// holds its technique is checked for its hold rule id, reason and warnings
// only (its parameters are not used).
std::vector<std::string> check_result(const TechniqueEntry& entry, const TechniqueResult& result);

// The technique's pressure_max in the session: result.pressure_max and the
// `pressure_max` parameter lowered to min(cap, info.max_pressure), a value
// below 1 (or not finite) raised to 1, never to the cap. Returns the values
// it replaces and the value it sets, for the adjustment that records the
// clamp; apply_clamp() writes it into a copy of the parameters (the result
// itself is the plugin memo's and is not changed).
struct PressureClamp {
  int limit = 1;                          // min(cap, info.max_pressure), at least 1
  int applied = 1;                        // the technique's pressure_max after the clamp
  bool set_parameter = false;             // the parameter is absent or replaced by `applied`
  std::optional<double> result_value;     // result.pressure_max before, if clamped
  std::optional<double> parameter_value;  // parameter before, if clamped
  bool clamped() const { return result_value || parameter_value; }
  // The value the plugin asked for that was replaced.
  double asked() const { return parameter_value.value_or(result_value.value_or(0)); }
};
PressureClamp clamp_pressure(const TechniqueEntry& entry, const TechniqueResult& result, int cap);
void apply_clamp(const PressureClamp& clamp, Params& parameters);

// The clamp's reason after "<technique> plugin asked for pressure X": either
// ", above the session cap C; clamped to A" or ", below the minimum 1; set
// to 1". States the value actually set. Returns `out`.
std::string& append_clamp_reason(const PressureClamp& clamp, int cap, std::string& out);

}  // namespace fascia::detail
