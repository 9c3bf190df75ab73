#pragma once
// Recording a session: from the client state a session was planned for and
// what happened in it, the client state for the next session (what
// `fascia record` writes and `fascia simulate` repeats week after week).
//
// The next state is the plan's consequences applied to the program:
//  - stage: the recommendation's stage (an advance or regression applies);
//    sessions_in_stage restarts at 1 on a stage change, else grows by one;
//  - sessions_completed + 1, frequency = the recommendation's frequency;
//  - as_of = the next session's date: the session's date plus the plan's
//    next_session_in_days; after a missed session (nothing of its plan
//    applies), one interval of the frequency the client is on; after a
//    postponed one, the postponement's days;
//  - weeks_in_program grows by the whole weeks from the old as_of to the new
//    one; flare.days_since_last grows by the days; flare.count_30d and
//    program.missed_sessions_30d drop to 0 once their newest event is 30
//    days or more in the past (counted events are taken to be as recent as
//    the newest one: a state never forgets an event too early);
//  - history: the session appended, keeping the newest `history_kept`
//    entries; medications_changed is cleared by a given session.
// Pain, sensitivity, tolerance, sleep, flare.active/severity and the
// observations are what the client reports: they carry over unchanged, for
// the therapist to update at the next intake.

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/export.hpp>
#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fascia {

// What happened in one session.
struct SessionRecord {
  enum class Status : std::uint8_t {
    given,      // the session took place
    missed,     // the client did not come
    postponed,  // not given because the plan postponed it (flare, red flag)
  } status = Status::given;
  std::optional<Date> date;  // absent = the state's as_of
  // Given sessions: absent techniques = the plan's; absent pressure = the
  // plan's pressure cap.
  std::optional<std::vector<std::string>> techniques;
  std::optional<int> pressure;         // 1-10 as rated by the client
  std::optional<double> soreness_24h;  // 0-10, the day after
  std::optional<double> pain_before;   // 0-10; absent = pain.current
  std::optional<double> pain_after;    // 0-10
  // Required to record a technique the plan did not include, or a pressure
  // above its cap; kept in the history entry.
  std::string override_reason;
};

struct RecordOptions {
  std::size_t history_kept = 52;  // newest history entries kept (a year of weekly sessions)
};

struct RecordResult {
  Recommendation plan;  // the plan of the recorded session
  ClientState next;     // the state for the next session
};

// Fails (located as far as possible, "session.FIELD: ...") when the state
// does not pass the protocol's checks, the session is dated before the
// state's last history entry or before as_of's previous session, or when it
// departs from the plan without an override reason.
FASCIA_API Outcome<RecordResult> record_session(const Protocol& protocol, const ClientState& state,
                                                const SessionRecord& session,
                                                const RecordOptions& options = {});

// The same from a plan already made: `at` is the state the plan was
// evaluated for (its as_of the session's day), `plan` its recommendation.
FASCIA_API Outcome<RecordResult> record_planned(const Protocol& protocol, const ClientState& at,
                                                const Recommendation& plan,
                                                const SessionRecord& session,
                                                const RecordOptions& options = {});

// The state moved from its as_of to `date` (>= as_of): the counts that age
// with time aged, nothing else changed.
FASCIA_API ClientState age_state(const ClientState& state, const Date& date);

// A client state written back as text the parser reads (format 1): JSON (one
// document, keys in the contract's order) or YAML (block style, for people).
FASCIA_API std::string state_to_json(const ClientState& state, bool pretty = true);
FASCIA_API std::string state_to_yaml(const ClientState& state);

}  // namespace fascia
