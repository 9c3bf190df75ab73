#include "core/state_checks.hpp"

#include "common/same_text.hpp"

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

// Range checks of the field state_fields[index] with its bounds as
// constants: read from the table at run time they cost fascia::decide ~6
// instructions a check (callgrind).
template <std::size_t index>
inline void check_range(Diagnostics& out, double v) {
  constexpr const StateField& field = state_fields[index];
  if (!in_range(v, field.min, field.max))
    range_error(out, field.path.data(), v, field.min, field.max, field.path);
}
// Integer fields: always finite, and compared exactly as the doubles would.
template <std::size_t index>
inline void check_count(Diagnostics& out, std::int64_t v) {
  constexpr const StateField& field = state_fields[index];
  constexpr auto lo = static_cast<std::int64_t>(field.min);
  constexpr auto hi = static_cast<std::int64_t>(field.max);
  if (v < lo || v > hi)
    range_error(out, field.path.data(), static_cast<double>(v), static_cast<double>(lo),
                static_cast<double>(hi), field.path);
}

// A history entry's value; `at()` gives its --set path (built only for a
// value out of range).
template <std::size_t index, typename At>
inline void check_entry_range(Diagnostics& out, const std::optional<double>& v, const char* what,
                              const At& at) {
  constexpr const StateField& field = state_fields[index];
  if (v && !in_range(*v, field.min, field.max))
    range_error(out, what, *v, field.min, field.max, at());
}

// plainly_valid's range tests (bounds as constants).
template <std::size_t index>
constexpr bool count_in(std::int64_t v) noexcept {
  constexpr const StateField& field = state_fields[index];
  constexpr auto lo = static_cast<std::int64_t>(field.min);
  constexpr auto hi = static_cast<std::int64_t>(field.max);
  return static_cast<std::uint64_t>(v - lo) <= static_cast<std::uint64_t>(hi - lo);
}
// in_range() with finite constant bounds: NaN and the infinities fail a comparison.
template <std::size_t index>
constexpr bool number_in(double v) noexcept {
  constexpr const StateField& field = state_fields[index];
  static_assert(field.min - field.min == 0 && field.max - field.max == 0, "finite bounds");
  return (v >= field.min) & (v <= field.max);
}
template <std::size_t index>
constexpr bool number_in(const std::optional<double>& v) noexcept {
  return v ? number_in<index>(*v) : true;
}

}  // namespace

// The same checks as check_client_state() below, combined with `&` (few
// branches) and with the observations in the protocol's order (any other
// order, or any failure, takes the full checks, which say what is wrong).
// Measured: fascia::decide 5,024 -> 4,988 instructions, check_client_state
// 500 -> 464 (callgrind); called by run_on_checked_state itself, without
// building and dropping an empty Diagnostics: 4,711 -> 4,662.
bool plainly_valid(const ProtocolModel& model, const ClientState& s, StateLayout& layout) noexcept {
  const std::size_t entries = s.history.size();
  const auto& p = s.program;
  bool ok = (s.format == state_format) & !s.client_id.empty() &
            count_in<state_field_index("program.sessions_completed")>(p.sessions_completed) &
            count_in<state_field_index("program.weeks_in_program")>(p.weeks_in_program) &
            count_in<state_field_index("program.missed_sessions_30d")>(p.missed_sessions_30d) &
            number_in<state_field_index("pain.current")>(s.pain.current) &
            number_in<state_field_index("pain.baseline")>(s.pain.baseline) &
            count_in<state_field_index("pressure_tolerance")>(s.pressure_tolerance) &
            number_in<state_field_index("sleep_quality")>(s.sleep_quality) &
            number_in<state_field_index("flare.severity")>(s.flare.severity) &
            count_in<state_field_index("flare.count_30d")>(s.flare.count_30d) &
            (entries <= model.limits.max_history_entries) &
            (s.history_overrides.empty() | (s.history_overrides.size() == entries));
  if (p.sessions_in_stage)
    ok &= (*p.sessions_in_stage >= 0) & (*p.sessions_in_stage <= p.sessions_completed);
  if (s.flare.days_since_last)
    ok &= count_in<state_field_index("flare.days_since_last")>(*s.flare.days_since_last);
  if (s.last_missed) ok &= !(*s.last_missed > s.as_of);
  const HistoryEntry* h = s.history.data();
  for (std::size_t i = 0; i < entries; ++i) {
    ok &= !(h[i].date > s.as_of) & (i == 0 || !(h[i].date < h[i - 1].date)) &
          number_in<state_field_index("last.soreness_24h")>(h[i].soreness_24h) &
          number_in<state_field_index("last.pain_before")>(h[i].pain_before) &
          number_in<state_field_index("last.pain_after")>(h[i].pain_after);
    if (h[i].pressure) ok &= count_in<state_field_index("last.pressure")>(*h[i].pressure);
  }
  if (!ok || s.observations.size() != model.observations.size()) return false;
  bool known = false;
  for (const auto& c : model.conditions) known |= same_text(c, s.condition);
  layout.stage = p.stage.empty() ? 0 : model.stage_index(p.stage);
  layout.frequency =
      p.frequency.empty() ? model.start_frequency : model.frequency_index(p.frequency);
  if (!known || layout.stage >= model.stages.size() || layout.frequency >= model.ladder.size())
    return false;
  using Kind = ObservationDecl::Kind;
  for (std::size_t i = 0; i < s.observations.size(); ++i) {
    const ObservationDecl& d = model.observations[i];
    const Observation& o = s.observations[i];
    if (!same_text(o.name, d.name)) return false;
    if (const double* v = std::get_if<double>(&o.value)) {
      const ObservationRange declared = observation_range(d);
      if ((d.kind != Kind::integer && d.kind != Kind::number) ||
          !in_range(*v, declared.min, declared.max) ||
          // floor(v) != v for a finite v (every double from 2^53 up is whole),
          // without floor()'s ~12 instructions.
          (d.kind == Kind::integer && std::abs(*v) < 0x1p53 &&
           static_cast<double>(static_cast<std::int64_t>(*v)) != *v))
        return false;
    } else if (const std::string* t = std::get_if<std::string>(&o.value)) {
      if (d.kind == Kind::enumeration) {
        bool listed = false;
        for (const auto& value : d.values) listed |= same_text(value, *t);
        if (!listed) return false;
      } else if (d.kind != Kind::string) {
        return false;
      }
    } else if (std::holds_alternative<bool>(o.value) ? d.kind != Kind::boolean : d.required) {
      return false;
    }
  }
  return layout.known = true;
}

Diagnostics check_client_state(const ProtocolModel& model, const ClientState& s) {
  Diagnostics out;
  // A state plainly_valid() takes skips every check below: a check added
  // here must be added there too (ClientState.EvaluateChecksTheOtherFields-
  // BuiltInCode: each change these checks refuse is refused on that path).
  if (StateLayout unused; plainly_valid(model, s, unused)) return out;
  auto fail = [&](const std::string& message, std::vector<std::string> fields) {
    state_error(out, message, std::move(fields));
  };
  // Integer fields: always finite, and compared exactly as the doubles would.
  auto count_between = [&](const char* what, std::int64_t v, std::int64_t lo, std::int64_t hi,
                           std::string_view at) {
    if (v < lo || v > hi)
      range_error(out, what, static_cast<double>(v), static_cast<double>(lo),
                  static_cast<double>(hi), at);
  };
  auto contains = [](const std::vector<std::string>& ids, const std::string& id) {
    for (const auto& i : ids)
      if (same_text(i, id)) return true;
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
  check_count<state_field_index("program.sessions_completed")>(out, s.program.sessions_completed);
  if (s.program.sessions_in_stage)
    count_between("program.sessions_in_stage", *s.program.sessions_in_stage, 0,
                  s.program.sessions_completed, "program.sessions_in_stage");
  check_count<state_field_index("program.weeks_in_program")>(out, s.program.weeks_in_program);
  check_count<state_field_index("program.missed_sessions_30d")>(out, s.program.missed_sessions_30d);
  if (s.last_missed && *s.last_missed > s.as_of)
    fail("program.last_missed " + s.last_missed->to_string() + " is after as_of",
         {"program.last_missed", "as_of"});
  if (!s.history_overrides.empty() && s.history_overrides.size() != s.history.size())
    fail("history_overrides must be empty or as long as history", {});
  check_range<state_field_index("pain.current")>(out, s.pain.current);
  check_range<state_field_index("pain.baseline")>(out, s.pain.baseline);
  check_count<state_field_index("pressure_tolerance")>(out, s.pressure_tolerance);
  if (s.sleep_quality) check_range<state_field_index("sleep_quality")>(out, *s.sleep_quality);
  check_range<state_field_index("flare.severity")>(out, s.flare.severity);
  if (s.flare.days_since_last)
    check_count<state_field_index("flare.days_since_last")>(out, *s.flare.days_since_last);
  check_count<state_field_index("flare.count_30d")>(out, s.flare.count_30d);
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
    constexpr const StateField& pressure = state_fields[state_field_index("last.pressure")];
    constexpr auto lo = static_cast<std::int64_t>(pressure.min);
    constexpr auto hi = static_cast<std::int64_t>(pressure.max);
    if (h.pressure && (*h.pressure < lo || *h.pressure > hi))
      range_error(out, "history pressure", static_cast<double>(*h.pressure),
                  static_cast<double>(lo), static_cast<double>(hi), at("pressure"));
    check_entry_range<state_field_index("last.soreness_24h")>(
        out, h.soreness_24h, "history soreness_24h", [&] { return at("soreness_24h"); });
    check_entry_range<state_field_index("last.pain_before")>(
        out, h.pain_before, "history pain_before", [&] { return at("pain_before"); });
    check_entry_range<state_field_index("last.pain_after")>(out, h.pain_after, "history pain_after",
                                                            [&] { return at("pain_after"); });
  }
  for (const auto& o : s.observations) {
    const ObservationDecl* decl = nullptr;
    for (const auto& d : model.observations)
      if (same_text(d.name, o.name)) decl = &d;
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
    ordered = same_text(state.observations[i].name, model.observations[i].name);
  if (ordered) return false;
  out.clear();
  for (const auto& decl : model.observations) {
    const auto* o = state.observation(decl.name);
    out.push_back({decl.name, o ? o->value : ObservationValue{}});
  }
  return true;
}

}  // namespace fascia::detail
