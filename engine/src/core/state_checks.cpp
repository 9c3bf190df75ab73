#include "core/state_checks.hpp"

#include "core/state_fields.hpp"
#include "core/state_values.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

namespace {

// `fields`: the --set paths the problem is about (Diagnostic::fields).
void state_error(Diagnostics& out, const std::string& message,
                 std::vector<std::string> fields = {}) {
  Diagnostic d{Severity::error, SourceLocation{"<client state>", 0, 0}, message};
  d.fields = std::move(fields);
  out.push_back(std::move(d));
}

// Exactly the negation of `!isfinite(v) || v < lo || v > hi`, NaN bounds included.
inline bool in_range(double v, double lo, double hi) noexcept {
  return std::isfinite(v) && !(v < lo) && !(v > hi);
}

// Only reached for an invalid state: valid ones never format anything.
[[gnu::cold, gnu::noinline]] void range_error(Diagnostics& out, const char* what, double v,
                                              double lo, double hi, std::string_view field) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s must be between %g and %g, got %g", what, lo, hi, v);
  state_error(out, buf, {std::string(field)});
}

}  // namespace

Diagnostics check_client_state(const ProtocolModel& model, const ClientState& s) {
  Diagnostics out;
  auto fail = [&](const std::string& message, std::vector<std::string> fields) {
    state_error(out, message, std::move(fields));
  };
  // Ranges from the table of state fields; `what` names a history field and
  // `at` its entry's --set path.
  auto range = [&](const StateField& field, double v, const char* what = nullptr,
                   std::string_view at = {}) {
    if (!in_range(v, field.min, field.max))
      range_error(out, what ? what : field.path.data(), v, field.min, field.max,
                  at.empty() ? field.path : at);
  };
  // Integer fields: always finite, and compared exactly as the doubles would.
  auto count_between = [&](const char* what, std::int64_t v, std::int64_t lo, std::int64_t hi,
                           std::string_view at) {
    if (v < lo || v > hi)
      range_error(out, what, static_cast<double>(v), static_cast<double>(lo),
                  static_cast<double>(hi), at);
  };
  auto count_range = [&](const StateField& field, std::int64_t v, const char* what = nullptr,
                         std::string_view at = {}) {
    count_between(what ? what : field.path.data(), v, static_cast<std::int64_t>(field.min),
                  static_cast<std::int64_t>(field.max), at.empty() ? field.path : at);
  };
  auto contains = [](const std::vector<std::string>& ids, const std::string& id) {
    for (const auto& i : ids)
      if (i == id) return true;
    return false;
  };
  if (s.format != state_format)
    fail("client-state format " + std::to_string(s.format) +
             " is not supported; this engine reads client-state format 1",
         {"format"});
  if (s.client_id.empty()) fail("client.id is required", {"client.id"});
  if (!contains(model.conditions, s.condition))
    fail("client.condition '" + s.condition + "' is not covered by protocol '" + model.id + "'",
         {"client.condition"});
  if (!s.program.stage.empty() && model.stage_index(s.program.stage) >= model.stages.size())
    fail("program.stage '" + s.program.stage + "' is not a stage of protocol '" + model.id + "'",
         {"program.stage"});
  if (!s.program.frequency.empty() &&
      model.frequency_index(s.program.frequency) >= model.ladder.size())
    fail("program.frequency '" + s.program.frequency + "' is not on the frequency ladder",
         {"program.frequency"});
  count_range(state_field("program.sessions_completed"), s.program.sessions_completed);
  if (s.program.sessions_in_stage)
    count_between("program.sessions_in_stage", *s.program.sessions_in_stage, 0,
                  s.program.sessions_completed, "program.sessions_in_stage");
  count_range(state_field("program.weeks_in_program"), s.program.weeks_in_program);
  count_range(state_field("program.missed_sessions_30d"), s.program.missed_sessions_30d);
  if (s.last_missed && *s.last_missed > s.as_of)
    fail("program.last_missed " + s.last_missed->to_string() + " is after as_of",
         {"program.last_missed", "as_of"});
  if (!s.history_overrides.empty() && s.history_overrides.size() != s.history.size())
    fail("history_overrides must be empty or as long as history", {});
  range(state_field("pain.current"), s.pain.current);
  range(state_field("pain.baseline"), s.pain.baseline);
  count_range(state_field("pressure_tolerance"), s.pressure_tolerance);
  if (s.sleep_quality) range(state_field("sleep_quality"), *s.sleep_quality);
  range(state_field("flare.severity"), s.flare.severity);
  if (s.flare.days_since_last)
    count_range(state_field("flare.days_since_last"), *s.flare.days_since_last);
  count_range(state_field("flare.count_30d"), s.flare.count_30d);
  if (s.history.size() > model.limits.max_history_entries)
    fail("history has too many entries (limit " + std::to_string(model.limits.max_history_entries) +
             ")",
         {});
  const std::size_t entries = s.history.size();
  for (std::size_t i = 0; i < entries; ++i) {
    const auto& h = s.history[i];
    auto at = [&](std::string_view key) { return history_field(entries, i, key); };
    if (i > 0 && h.date < s.history[i - 1].date)
      fail("history must be oldest first", {at("date"), history_field(entries, i - 1, "date")});
    if (h.date > s.as_of)
      fail("history entry " + h.date.to_string() + " is after as_of", {at("date"), "as_of"});
    // The entry's --set path is built only for a value out of range (a
    // string per field and entry was a tenth of an evaluation).
    auto history_range = [&](const StateField& f, std::optional<double> v, const char* what,
                             std::string_view key) {
      if (v && !in_range(*v, f.min, f.max)) range(f, *v, what, at(key));
    };
    if (h.pressure) {
      const StateField& f = state_field("last.pressure");
      if (*h.pressure < static_cast<std::int64_t>(f.min) ||
          *h.pressure > static_cast<std::int64_t>(f.max))
        count_range(f, *h.pressure, "history pressure", at("pressure"));
    }
    history_range(state_field("last.soreness_24h"), h.soreness_24h, "history soreness_24h",
                  "soreness_24h");
    history_range(state_field("last.pain_before"), h.pain_before, "history pain_before",
                  "pain_before");
    history_range(state_field("last.pain_after"), h.pain_after, "history pain_after", "pain_after");
  }
  for (const auto& o : s.observations) {
    const ObservationDecl* decl = nullptr;
    for (const auto& d : model.observations)
      if (d.name == o.name) decl = &d;
    // The field's name is only needed for a message.
    auto what = [&o] { return "observations." + o.name; };
    if (!decl) {
      fail("observation '" + o.name + "' is not declared by protocol '" + model.id + "'", {what()});
      continue;
    }
    using Kind = ObservationDecl::Kind;
    if (std::holds_alternative<std::monostate>(o.value)) continue;
    const bool numeric = decl->kind == Kind::integer || decl->kind == Kind::number;
    if (numeric) {
      const double* v = std::get_if<double>(&o.value);
      if (!v) {
        fail(what() + " must be a number", {what()});
        continue;
      }
      const ObservationRange declared = observation_range(*decl);
      const double lo = declared.min, hi = declared.max;
      if (!in_range(*v, lo, hi)) range_error(out, what().c_str(), *v, lo, hi, what());
      if (decl->kind == Kind::integer && std::floor(*v) != *v)
        fail(what() + " must be a whole number", {what()});
    } else if (decl->kind == Kind::boolean && !std::holds_alternative<bool>(o.value)) {
      fail(what() + " must be true or false", {what()});
    } else if (decl->kind == Kind::enumeration || decl->kind == Kind::string) {
      const std::string* v = std::get_if<std::string>(&o.value);
      if (!v)
        fail(what() + " must be text", {what()});
      else if (decl->kind == Kind::enumeration && !contains(decl->values, *v))
        fail(what() + " must be one of the declared values, got '" + *v + "'", {what()});
    }
  }
  for (const auto& d : model.observations) {
    if (!d.required) continue;
    const auto* o = s.observation(d.name);
    if (!o || std::holds_alternative<std::monostate>(o->value))
      fail("missing required observation '" + d.name + "'", {"observations." + d.name});
  }
  return out;
}

bool normalize_observations(const ProtocolModel& model, const ClientState& state,
                            std::vector<Observation>& out) {
  bool ordered = state.observations.size() == model.observations.size();
  for (std::size_t i = 0; ordered && i < model.observations.size(); ++i)
    ordered = state.observations[i].name == model.observations[i].name;
  if (ordered) return false;
  out.clear();
  for (const auto& decl : model.observations) {
    const auto* o = state.observation(decl.name);
    out.push_back({decl.name, o ? o->value : ObservationValue{}});
  }
  return true;
}

}  // namespace fascia::detail
