#include "core/plugin_result_checks.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

#include "common/ids.hpp"
#include "common/same_text.hpp"
#include "plugin_host/config_values.hpp"

namespace fascia::detail {

namespace {

// Adds a problem unless `rule` is a rule id a plugin may use.
void check_rule(std::vector<std::string>& problems, const char* what, const std::string& rule) {
  const bool id = rule.size() <= max_plugin_rule_id && is_valid_id(IdKind::rule, rule);
  const char* reserved = nullptr;  // the engine's own suffix a plugin rule id must not take
  for (const char* r : {"pressure-clamped", "plugin-error", "invalid-parameters", "max_pressure"})
    if (same_text(rule, r)) reserved = r;
  if (id && !reserved) return;
  const std::string shown =
      rule.size() > max_plugin_rule_id ? rule.substr(0, max_plugin_rule_id) + "..." : rule;
  if (reserved)
    problems.push_back(std::string(what) + " rule id '" + shown +
                       "' is reserved: the engine emits '<technique>." + reserved +
                       "' itself; choose another id");
  else
    problems.push_back(std::string(what) + " rule id '" + shown +
                       "' is invalid: use letters, digits, '_', '.' and '-' (at most " +
                       std::to_string(max_plugin_rule_id) + " characters)");
}

// Adds a problem unless `text` (a reason or warning) has 1 to max_plugin_text
// bytes; label() names it, built only for a problem.
template <class Label>
void check_text(std::vector<std::string>& problems, const std::string& text, Label label) {
  if (text.empty())
    problems.push_back(label() + " is empty");
  else if (text.size() > max_plugin_text)
    problems.push_back(label() + " is too long (" + std::to_string(text.size()) +
                       " bytes; the limit is " + std::to_string(max_plugin_text) + ")");
}

// Adds a problem for each of the returned parameters its parameter_schema
// refuses (unknown names, duplicates, types, ranges, allowed values,
// required ones). `pressure_max` is only type-checked: a value above the cap
// is clamped, not refused (clamp_pressure).
void check_parameters(const TechniqueEntry& entry, const Params& parameters,
                      std::vector<std::string>& problems) {
  ConfigField type_only;  // for pressure_max below: made once, not for each parameter
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const Param& p = parameters[i];
    auto label = [&] { return "parameter '" + p.name.substr(0, max_plugin_rule_id) + "'"; };
    if (std::any_of(parameters.begin(), parameters.begin() + static_cast<std::ptrdiff_t>(i),
                    [&](const Param& q) { return same_text(q.name, p.name); })) {
      problems.push_back(label() + " is given twice");
      continue;
    }
    auto field = std::find_if(entry.parameter_schema.begin(), entry.parameter_schema.end(),
                              [&](const ConfigField& f) { return same_text(f.name, p.name); });
    if (field == entry.parameter_schema.end()) {
      std::vector<std::string> names;
      for (const auto& f : entry.parameter_schema) names.push_back(f.name);
      problems.push_back("unknown " + label() + " (the technique declares: " +
                         (names.empty() ? std::string("none") : join(names)) + ")");
      continue;
    }
    // pressure_max is checked for its type only: a value above the cap is
    // clamped, not refused.
    type_only.type = field->type;
    const bool pressure = same_text(field->name, "pressure_max");
    if (auto problem = check_value(pressure ? type_only : *field, p.value))
      problems.push_back(label() + ' ' + *problem);
  }
  for (const auto& f : entry.parameter_schema)
    if (f.required && !find_param(parameters, f.name))
      problems.push_back("required parameter '" + f.name + "' is missing");
}

}  // namespace

std::vector<std::string> check_result(const TechniqueEntry& entry, const TechniqueResult& result) {
  std::vector<std::string> problems;
  for (const auto& w : result.warnings)
    check_text(problems, w, [] { return std::string("a warning"); });
  if (result.hold) {
    if (result.hold_reason.empty())
      problems.push_back("holds itself without a reason");
    else
      check_text(problems, result.hold_reason, [] { return std::string("the hold reason"); });
    if (!result.hold_rule.empty()) check_rule(problems, "hold", result.hold_rule);
    return problems;
  }
  check_parameters(entry, result.parameters, problems);
  if (result.adjustments.size() > max_plugin_adjustments)
    problems.push_back("returned " + std::to_string(result.adjustments.size()) +
                       " adjustments; the limit is " + std::to_string(max_plugin_adjustments));
  for (std::size_t i = 0; i < result.adjustments.size() && i < max_plugin_adjustments; ++i) {
    const auto& a = result.adjustments[i];
    check_rule(problems, "adjustment", a.rule);
    auto label = [&] { return "adjustment '" + a.rule.substr(0, max_plugin_rule_id) + "'"; };
    if (a.reason.empty())
      problems.push_back(label() + " has no reason");
    else
      check_text(problems, a.reason, [&] { return label() + "'s reason"; });
    if (a.kind != AdjustmentKind::note && a.kind != AdjustmentKind::check_in &&
        a.kind != AdjustmentKind::referral)  // the kinds a plugin may emit
      problems.push_back(label() + " has kind '" + to_string(a.kind) +
                         "', which a plugin may not emit (plugins emit note, check_in and "
                         "referral; a technique limits its pressure with pressure_max and holds "
                         "itself with hold)");
    else if (auto text = std::get_if<std::string>(&a.value);  // no value or a text
             !std::holds_alternative<std::monostate>(a.value) &&
             (!text || text->size() > max_plugin_text))
      problems.push_back(label() + " has value " + describe(a.value) + "; a plugin's " +
                         to_string(a.kind) + " carries no value or a text");
  }
  for (const auto& item : result.home_program) {
    if (std::none_of(entry.home_templates.begin(), entry.home_templates.end(),
                     [&](const auto& t) { return same_text(t.id, item.id); })) {
      std::vector<std::string> ids;
      for (const auto& t : entry.home_templates) ids.push_back(t.id);
      problems.push_back("home-program item '" + item.id.substr(0, max_plugin_rule_id) +
                         "' is not one of the technique's templates (" +
                         (ids.empty() ? std::string("it declares none") : join(ids)) + ")");
    }
  }
  // They become one hold reason: the first few say enough.
  if (problems.size() > max_plugin_problems) {
    const std::size_t more = problems.size() - max_plugin_problems;
    problems.resize(max_plugin_problems);
    problems.push_back("and " + std::to_string(more) + " more");
  }
  return problems;
}

PressureClamp clamp_pressure(const TechniqueEntry& entry, const TechniqueResult& result, int cap) {
  PressureClamp clamp;
  clamp.limit = std::clamp(std::min(cap, entry.info.max_pressure), 1, 10);
  clamp.applied = clamp.limit;
  if (result.pressure_max) {
    const int own = *result.pressure_max;
    if (own > clamp.limit || own < 1) clamp.result_value = own;
    clamp.applied = std::clamp(own, 1, clamp.limit);
  }
  if (entry.info.kind != TechniqueKind::in_session) return clamp;
  const ParamValue* current = find_param(result.parameters, "pressure_max");
  clamp.set_parameter = true;
  if (!current) return clamp;
  auto whole = std::get_if<std::int64_t>(current);
  if (whole && *whole >= 1 && *whole <= clamp.applied) {
    clamp.applied = static_cast<int>(*whole);
    clamp.set_parameter = false;
    return clamp;
  }
  auto number = as_number(*current);
  if (number) clamp.parameter_value = *number;
  // Toward safety: above the limit becomes the limit, a fraction rounds
  // down, below 1 (or not a finite number) becomes 1, never the cap.
  if (!number || !std::isfinite(*number) || *number < 1)
    clamp.applied = 1;
  else if (*number <= clamp.applied)
    clamp.applied = static_cast<int>(std::floor(*number));
  return clamp;
}

void apply_clamp(const PressureClamp& clamp, Params& parameters) {
  if (clamp.set_parameter)
    set_param(parameters, "pressure_max", static_cast<std::int64_t>(clamp.applied));
}

std::string& append_clamp_reason(const PressureClamp& clamp, int cap, std::string& out) {
  const double asked = clamp.asked();
  if (!std::isfinite(asked) || asked < 1) {
    out += ", below the minimum 1; set to ";
  } else if (asked > clamp.limit) {
    out += ", above the session cap ";
    out += std::to_string(cap);
    if (clamp.limit < cap) {
      out += " and the technique's limit ";
      out += std::to_string(clamp.limit);
    }
    out += "; clamped to ";
  } else if (asked > clamp.applied) {
    out += ", above the technique's own limit today; clamped to ";
  } else {
    out += ", not a whole number; rounded down to ";
  }
  return out += std::to_string(clamp.applied);
}

}  // namespace fascia::detail
