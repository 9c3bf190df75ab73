#pragma once
// The one table of client-state fields (CONTRACT.md format 1): path, type,
// range and whether it is required. The state readers, check_client_state()
// and the `--set` paths read their ranges and names from it, and
// tests/core/state_fields_test.cpp checks schemas/client-state.schema.json
// against it. `observations.NAME` fields are declared by each protocol.

#include <array>
#include <cstdint>
#include <string_view>

namespace fascia::detail {

// The largest count (sessions, weeks, days, flares) a client state may hold.
inline constexpr std::int64_t max_state_count = 100'000;

enum class StateFieldType : std::uint8_t {
  integer,  // a whole number in [min, max]
  number,   // a finite number in [min, max]
  boolean,
  text,    // non-blank text
  choice,  // one of a fixed or protocol-given list (sensitivity, stage, condition...)
  date,    // YYYY-MM-DD
  list,    // a list of ids
};

struct StateField {
  std::string_view path;  // "pain.current"; "last.X" is field X of the newest history entry
  StateFieldType type;
  double min = 0;  // integer and number
  double max = 0;
  bool required = false;  // must be present in a state document
};

inline constexpr std::array state_fields = {
    StateField{"format", StateFieldType::integer, 1, 1},
    StateField{"client.id", StateFieldType::text, 0, 0, true},
    StateField{"client.condition", StateFieldType::choice, 0, 0, true},
    StateField{"as_of", StateFieldType::date, 0, 0, true},
    StateField{"program.stage", StateFieldType::choice},
    StateField{"program.sessions_completed", StateFieldType::integer, 0, max_state_count},
    StateField{"program.sessions_in_stage", StateFieldType::integer, 0, max_state_count},
    StateField{"program.weeks_in_program", StateFieldType::integer, 0, max_state_count},
    StateField{"program.frequency", StateFieldType::choice},
    StateField{"program.missed_sessions_30d", StateFieldType::integer, 0, max_state_count},
    StateField{"program.last_missed", StateFieldType::date},  // written by fascia record
    StateField{"pain.current", StateFieldType::number, 0, 10, true},
    StateField{"pain.baseline", StateFieldType::number, 0, 10, true},
    StateField{"sensitivity", StateFieldType::choice, 0, 0, true},
    StateField{"pressure_tolerance", StateFieldType::integer, 1, 10, true},
    StateField{"sleep_quality", StateFieldType::number, 0, 10},
    StateField{"flare.active", StateFieldType::boolean, 0, 0, true},
    StateField{"flare.severity", StateFieldType::number, 0, 10},
    StateField{"flare.days_since_last", StateFieldType::integer, 0, max_state_count},
    StateField{"flare.count_30d", StateFieldType::integer, 0, max_state_count},
    StateField{"medications_changed", StateFieldType::boolean},
    StateField{"last.date", StateFieldType::date, 0, 0, true},
    StateField{"last.techniques", StateFieldType::list},
    StateField{"last.pressure", StateFieldType::integer, 1, 10},
    StateField{"last.soreness_24h", StateFieldType::number, 0, 10},
    StateField{"last.pain_before", StateFieldType::number, 0, 10},
    StateField{"last.pain_after", StateFieldType::number, 0, 10},
    StateField{"last.override", StateFieldType::text},  // why a session left the plan (record)
};

// The field at `path`; a path not in the table does not compile where the
// lookup is constant-evaluated (every use in the engine is).
consteval const StateField& state_field(std::string_view path) {
  for (const auto& field : state_fields)
    if (field.path == path) return field;
  throw "not a client-state field";  // not a constant expression: a compile error
}

}  // namespace fascia::detail
