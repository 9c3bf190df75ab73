#pragma once
// The one table of client-state fields (CONTRACT.md format 1): path, type,
// range, whether it is required, and what expressions see of it. The state
// readers, check_client_state(), the `--set` paths, the expression catalog
// and the lint's state sampler read their names, types and ranges from it,
// and tests/core/state_fields_test.cpp checks
// schemas/client-state.schema.json against it. `observations.NAME` fields are declared by each
// protocol.

#include "common/same_text.hpp"
#include "expr/client_fields.hpp"

#include <fascia/client_state.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
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
  // What `when` expressions see (docs/protocol-authoring.md "Fields"); empty
  // for the fields expressions cannot read (format, as_of, dates, overrides).
  std::string_view description = {};
};

// The fields every reader, check, `--set` path, the expression catalog
// (expr/client_fields.cpp) and the lint's state sampler take from here.
// tests/core/state_fields_test.cpp and tests/expr/client_fields_test.cpp
// check the schema and the catalog against it.
inline constexpr std::array state_fields = {
    StateField{"format", StateFieldType::integer, 1, 1},
    StateField{"client.id", StateFieldType::text, 0, 0, true, "the client's id"},
    StateField{"client.condition", StateFieldType::choice, 0, 0, true, "the condition treated"},
    StateField{"as_of", StateFieldType::date, 0, 0, true},
    StateField{"program.stage", StateFieldType::choice, 0, 0, false, "the stage the client is in"},
    StateField{"program.sessions_completed", StateFieldType::integer, 0, max_state_count, false,
               "sessions completed in the program"},
    StateField{"program.sessions_in_stage", StateFieldType::integer, 0, max_state_count, false,
               "sessions since entering the current stage (absent: counted from the history)"},
    StateField{"program.weeks_in_program", StateFieldType::integer, 0, max_state_count, false,
               "weeks in the program"},
    StateField{"program.frequency", StateFieldType::choice, 0, 0, false,
               "the current frequency ladder step"},
    StateField{"program.missed_sessions_30d", StateFieldType::integer, 0, max_state_count, false,
               "sessions missed in the last 30 days"},
    StateField{"program.last_missed", StateFieldType::date},  // written by fascia record
    StateField{"pain.current", StateFieldType::number, 0, 10, true, "current pain, 0-10"},
    StateField{"pain.baseline", StateFieldType::number, 0, 10, true, "pain at intake, 0-10"},
    StateField{"sensitivity", StateFieldType::choice, 0, 0, true, "touch sensitivity"},
    StateField{"pressure_tolerance", StateFieldType::integer, 1, 10, true,
               "client-rated tolerance, 1-10"},
    StateField{"sleep_quality", StateFieldType::number, 0, 10, false,
               "sleep quality, 0-10 (optional)"},
    StateField{"flare.active", StateFieldType::boolean, 0, 0, true, "a flare is active"},
    StateField{"flare.severity", StateFieldType::number, 0, 10, false, "flare severity, 0-10"},
    StateField{"flare.days_since_last", StateFieldType::integer, 0, max_state_count, false,
               "days since the last flare (absent: none on record)"},
    StateField{"flare.count_30d", StateFieldType::integer, 0, max_state_count, false,
               "flares in the last 30 days"},
    StateField{"medications_changed", StateFieldType::boolean, 0, 0, false,
               "medications changed since the last session"},
    StateField{"last.date", StateFieldType::date, 0, 0, true},
    StateField{"last.techniques", StateFieldType::list, 0, 0, false,
               "techniques of the newest history entry"},
    StateField{"last.pressure", StateFieldType::integer, 1, 10, false,
               "pressure of the newest entry"},
    StateField{"last.soreness_24h", StateFieldType::number, 0, 10, false,
               "soreness the day after the newest entry"},
    StateField{"last.pain_before", StateFieldType::number, 0, 10, false,
               "pain before the newest session"},
    StateField{"last.pain_after", StateFieldType::number, 0, 10, false,
               "pain after the newest session"},
    StateField{"last.override", StateFieldType::text},  // why a session left the plan (record)
    StateField{"last.stage", StateFieldType::choice},   // the stage it was given in (record)
};

// Whether `when` expressions may read the field (expr/client_fields.cpp).
constexpr bool readable_by_expressions(const StateField& field) noexcept {
  return !field.description.empty();
}

// The field at `path`; a path not in the table does not compile where the
// lookup is constant-evaluated (every use in the engine is).
consteval const StateField& state_field(std::string_view path) {
  for (const auto& field : state_fields)
    if (field.path == path) return field;
  throw "not a client-state field";  // not a constant expression: a compile error
}

// The index of the field at `path` in state_fields (a compile error for a
// path not in the table): for code that needs the field's bounds as
// constants (state_checks.cpp).
consteval std::size_t state_field_index(std::string_view path) {
  return static_cast<std::size_t>(&state_field(path) - state_fields.data());
}

// `sensitivity` as written in a state ("low", "moderate", "high"), or
// nullopt (compared inline, without memcmp calls: it is read per state).
inline std::optional<Sensitivity> sensitivity_from(std::string_view text) noexcept {
  if (same_text(text, "low")) return Sensitivity::low;
  if (same_text(text, "moderate")) return Sensitivity::moderate;
  if (same_text(text, "high")) return Sensitivity::high;
  return std::nullopt;
}

// The values an observation the protocol declares may take: its declared
// bounds, else -1e9 and 1e9; for an integer observation, the whole numbers
// between them. The state readers (state_values.cpp, state_json_reader.cpp),
// check_client_state() and the lint's state sampler take it from here.
struct ObservationRange {
  double min, max;
  std::int64_t min_integer, max_integer;
};
inline ObservationRange observation_range(const ObservationDecl& decl) noexcept {
  const double lo = decl.min.value_or(-1e9), hi = decl.max.value_or(1e9);
  return {lo, hi, static_cast<std::int64_t>(std::ceil(lo)),
          static_cast<std::int64_t>(std::floor(hi))};
}

}  // namespace fascia::detail
