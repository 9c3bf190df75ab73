#include "expr/client_fields.hpp"

#include "core/state_fields.hpp"

#include <iterator>
#include <string_view>
#include <type_traits>
#include <variant>

namespace fascia::detail {
namespace {

Value number(double n) noexcept { return Value::make_number(n); }
template <class T>
Value optional_number(const std::optional<T>& n) noexcept {
  return n ? Value::make_number(static_cast<double>(*n)) : Value::make_missing();
}

Value client_id(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_string(s.client_id);
}
Value client_condition(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_string(s.condition);
}
Value program_stage(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_string(s.program.stage);
}
Value program_sessions_completed(const ClientState& s, std::uint32_t) noexcept {
  return number(s.program.sessions_completed);
}
Value program_sessions_in_stage(const ClientState& s, std::uint32_t) noexcept {
  // The planner fills it in from the history when the state leaves it out
  // (session_planner.hpp); a state read here without it never counts more.
  return number(s.program.sessions_in_stage.value_or(0));
}
Value program_weeks_in_program(const ClientState& s, std::uint32_t) noexcept {
  return number(s.program.weeks_in_program);
}
Value program_frequency(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_string(s.program.frequency);
}
Value program_missed_sessions_30d(const ClientState& s, std::uint32_t) noexcept {
  return number(s.program.missed_sessions_30d);
}
Value pain_current(const ClientState& s, std::uint32_t) noexcept { return number(s.pain.current); }
Value pain_baseline(const ClientState& s, std::uint32_t) noexcept {
  return number(s.pain.baseline);
}
Value sensitivity(const ClientState& s, std::uint32_t) noexcept {
  // The names to_string(Sensitivity) gives, without its strlen per read.
  static constexpr std::string_view names[] = {"low", "moderate", "high"};
  const auto i = static_cast<std::size_t>(s.sensitivity);
  return Value::make_string(i < std::size(names) ? names[i] : to_string(s.sensitivity));
}
Value pressure_tolerance(const ClientState& s, std::uint32_t) noexcept {
  return number(s.pressure_tolerance);
}
Value sleep_quality(const ClientState& s, std::uint32_t) noexcept {
  return optional_number(s.sleep_quality);
}
Value flare_active(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_bool(s.flare.active);
}
Value flare_severity(const ClientState& s, std::uint32_t) noexcept {
  return number(s.flare.severity);
}
Value flare_days_since_last(const ClientState& s, std::uint32_t) noexcept {
  return optional_number(s.flare.days_since_last);
}
Value flare_count_30d(const ClientState& s, std::uint32_t) noexcept {
  return number(s.flare.count_30d);
}
Value medications_changed(const ClientState& s, std::uint32_t) noexcept {
  return Value::make_bool(s.medications_changed);
}
Value history_length(const ClientState& s, std::uint32_t) noexcept {
  return number(static_cast<double>(s.history.size()));
}
Value last_date_days_ago(const ClientState& s, std::uint32_t) noexcept {
  const HistoryEntry* last = s.last();
  if (!last) return Value::make_missing();
  return number(static_cast<double>(s.as_of.days_since_epoch() - last->date.days_since_epoch()));
}
Value last_techniques(const ClientState& s, std::uint32_t) noexcept {
  const HistoryEntry* last = s.last();
  return last ? Value::make_strings(last->techniques) : Value::make_missing();
}

Value entry_pressure(const HistoryEntry& e) noexcept { return optional_number(e.pressure); }
Value entry_soreness_24h(const HistoryEntry& e) noexcept { return optional_number(e.soreness_24h); }
Value entry_pain_before(const HistoryEntry& e) noexcept { return optional_number(e.pain_before); }
Value entry_pain_after(const HistoryEntry& e) noexcept { return optional_number(e.pain_after); }

// last.X reads series getter X of the newest entry.
template <Value (*Series)(const HistoryEntry&) noexcept>
Value last_value(const ClientState& s, std::uint32_t) noexcept {
  const HistoryEntry* last = s.last();
  return last ? Series(*last) : Value::make_missing();
}

Value observation(const ClientState& s, std::uint32_t index) noexcept {
  if (index >= s.observations.size()) return Value::make_missing();
  return std::visit(
      [](const auto& v) -> Value {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return Value::make_missing();
        else if constexpr (std::is_same_v<T, bool>)
          return Value::make_bool(v);
        else if constexpr (std::is_same_v<T, double>)
          return Value::make_number(v);
        else
          return Value::make_string(v);
      },
      s.observations[index].value);
}

// Types as expressions see them.
constexpr Type expression_type(StateFieldType type) noexcept {
  switch (type) {
    case StateFieldType::integer:
    case StateFieldType::number:
      return Type::number;
    case StateFieldType::boolean:
      return Type::boolean;
    case StateFieldType::list:
      return Type::string_list;
    case StateFieldType::text:
    case StateFieldType::choice:
    case StateFieldType::date:
      break;
  }
  return Type::string;
}

void add(Catalog& catalog, std::string path, Type type, FieldGetter getter, std::string description,
         std::vector<std::string> enum_values = {}) {
  FieldInfo f;
  f.path = std::move(path);
  f.type = type;
  f.getter = getter;
  f.description = std::move(description);
  f.enum_values = std::move(enum_values);
  catalog.add_field(std::move(f));
}

// A field of the table of client-state fields: its name, type and
// description from there.
void add(Catalog& catalog, const StateField& field, FieldGetter getter,
         std::vector<std::string> enum_values = {}) {
  add(catalog, std::string(field.path), expression_type(field.type), getter,
      std::string(field.description), std::move(enum_values));
}

void add_series(Catalog& catalog, std::string path, SeriesGetter series, std::string description) {
  FieldInfo f;
  f.path = std::move(path);
  f.type = Type::series;
  f.series = series;
  f.description = std::move(description);
  catalog.add_field(std::move(f));
}

}  // namespace

void add_client_state_fields(Catalog& catalog, const std::vector<std::string>& conditions,
                             const std::vector<std::string>& stage_ids,
                             const std::vector<std::string>& frequency_ids,
                             const std::vector<ObservationDecl>& observations) {
  add(catalog, state_field("client.id"), client_id);
  add(catalog, state_field("client.condition"), client_condition, conditions);
  add(catalog, state_field("program.stage"), program_stage, stage_ids);
  add(catalog, state_field("program.sessions_completed"), program_sessions_completed);
  add(catalog, state_field("program.sessions_in_stage"), program_sessions_in_stage);
  add(catalog, state_field("program.weeks_in_program"), program_weeks_in_program);
  add(catalog, state_field("program.frequency"), program_frequency, frequency_ids);
  add(catalog, state_field("program.missed_sessions_30d"), program_missed_sessions_30d);
  add(catalog, state_field("pain.current"), pain_current);
  add(catalog, state_field("pain.baseline"), pain_baseline);
  add(catalog, state_field("sensitivity"), sensitivity, {"low", "moderate", "high"});
  add(catalog, state_field("pressure_tolerance"), pressure_tolerance);
  add(catalog, state_field("sleep_quality"), sleep_quality);
  add(catalog, state_field("flare.active"), flare_active);
  add(catalog, state_field("flare.severity"), flare_severity);
  add(catalog, state_field("flare.days_since_last"), flare_days_since_last);
  add(catalog, state_field("flare.count_30d"), flare_count_30d);
  add(catalog, state_field("medications_changed"), medications_changed);
  // Computed from the state (not in the table of state fields).
  const Type N = Type::number;
  add(catalog, "history.length", N, history_length, "number of history entries");
  add(catalog, "last.date_days_ago", N, last_date_days_ago,
      "days between the newest history entry and as_of");
  // The newest history entry's fields.
  add(catalog, state_field("last.techniques"), last_techniques);
  add(catalog, state_field("last.pressure"), last_value<entry_pressure>);
  add(catalog, state_field("last.soreness_24h"), last_value<entry_soreness_24h>);
  add(catalog, state_field("last.pain_before"), last_value<entry_pain_before>);
  add(catalog, state_field("last.pain_after"), last_value<entry_pain_after>);
  add_series(catalog, "history.pressure", entry_pressure, "pressure per session");
  add_series(catalog, "history.soreness_24h", entry_soreness_24h,
             "soreness the day after each session");
  add_series(catalog, "history.pain_before", entry_pain_before, "pain before each session");
  add_series(catalog, "history.pain_after", entry_pain_after, "pain after each session");

  for (std::size_t i = 0; i < observations.size(); ++i) {
    const ObservationDecl& decl = observations[i];
    FieldInfo f;
    f.path = "observations." + decl.name;
    f.getter = observation;
    f.arg = static_cast<std::uint32_t>(i);
    f.description = decl.description;
    switch (decl.kind) {
      case ObservationDecl::Kind::integer:
      case ObservationDecl::Kind::number:
        f.type = Type::number;
        break;
      case ObservationDecl::Kind::boolean:
        f.type = Type::boolean;
        break;
      case ObservationDecl::Kind::enumeration:
        f.type = Type::string;
        f.enum_values = decl.values;
        break;
      case ObservationDecl::Kind::string:
        f.type = Type::string;
        break;
    }
    catalog.add_field(std::move(f));
  }
}

}  // namespace fascia::detail
