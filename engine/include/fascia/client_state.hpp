#pragma once
// The client state (CONTRACT.md "Client state", format 1) as typed C++ data.
// Parse it from YAML/JSON with Protocol::parse_state(), which checks it
// against the protocol (stages, frequencies, declared observations), or fill
// it in directly and let Protocol::check_state() validate it.

#include <fascia/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fascia {

// A calendar date (proleptic Gregorian). Ordering compares chronologically.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Days since 1970-01-01; negative before it.
  FASCIA_API std::int64_t days_since_epoch() const noexcept;
  FASCIA_API static Date from_days_since_epoch(std::int64_t days) noexcept;
  // "YYYY-MM-DD"; nullopt unless the text is exactly a valid date.
  FASCIA_API static std::optional<Date> parse(std::string_view text) noexcept;
  FASCIA_API std::string to_string() const;
  FASCIA_API Date plus_days(std::int64_t days) const noexcept;
  auto operator<=>(const Date&) const = default;
};

enum class Sensitivity : std::uint8_t { low, moderate, high };
FASCIA_API const char* to_string(Sensitivity sensitivity) noexcept;

// One past session, oldest first in ClientState::history.
struct HistoryEntry {
  Date date;
  std::vector<std::string> techniques;
  std::optional<int> pressure;         // 1-10, client-rated
  std::optional<double> soreness_24h;  // 0-10, the day after
  std::optional<double> pain_before;   // 0-10
  std::optional<double> pain_after;    // 0-10
  // The stage id the session was given in (written by `fascia record`);
  // empty = not recorded. Added at the end in plugin ABI 2.
  std::string stage;
};

// A clinic-defined observation declared by the protocol. Numbers (integer or
// decimal) are doubles; enum and string observations are strings;
// monostate means the state does not give it.
using ObservationValue = std::variant<std::monostate, bool, double, std::string>;

struct Observation {
  std::string name;
  ObservationValue value;
};

struct ClientState {
  int format = 1;
  std::string client_id;
  std::string condition;
  Date as_of;

  struct Program {
    std::string stage;  // empty = the protocol's first stage
    int sessions_completed = 0;
    // Sessions since the client entered the current stage. Extension to
    // format 1: when absent, all completed sessions count toward the stage.
    std::optional<int> sessions_in_stage;
    int weeks_in_program = 0;
    std::string frequency;  // empty = the protocol's start
    int missed_sessions_30d = 0;
  } program;

  struct Pain {
    double current = 0;
    double baseline = 0;
  } pain;

  Sensitivity sensitivity = Sensitivity::moderate;
  int pressure_tolerance = 1;
  std::optional<double> sleep_quality;

  struct Flare {
    bool active = false;
    double severity = 0;
    std::optional<int> days_since_last;  // absent = no flare on record
    int count_30d = 0;
  } flare;

  bool medications_changed = false;
  std::vector<HistoryEntry> history;  // oldest first
  // parse_state() lists every observation the protocol declares, in
  // declaration order (monostate when absent); a state built in code may list
  // them in any order and omit absent ones.
  std::vector<Observation> observations;

  // Added after plugin ABI 1 was pinned, at the end so that every field
  // above keeps its offset (plugins read a ClientState by reference only).
  // program.last_missed: the newest missed session, written by `fascia
  // record` so missed_sessions_30d ages out after 30 days; <= as_of.
  std::optional<Date> last_missed;
  // history[i].override: why session i departed from the plan (`fascia
  // record --override`); empty, or as long as `history` ("" = none).
  std::vector<std::string> history_overrides;

  // The newest history entry, or nullptr for a client with no history.
  const HistoryEntry* last() const noexcept { return history.empty() ? nullptr : &history.back(); }
  const Observation* observation(std::string_view name) const noexcept {
    for (const auto& o : observations)
      if (o.name == name) return &o;
    return nullptr;
  }
};

}  // namespace fascia
