#pragma once
// Projects a plan forward session by session: each recommendation moves the
// client's program on (stage, frequency, session counts, history) and the
// next session falls on the recommended day, while the scenario says what
// happens to the client each week.

#include "scenario.hpp"

#include <fascia/protocol.hpp>

#include <map>
#include <string>
#include <vector>

namespace fascia::documents {

struct SimulatedSession {
  enum class Status { done, missed, postponed } status = Status::done;
  Date date;
  int week = 1;  // 1 = the first week of the projection
  std::string stage;
  std::vector<std::string> techniques;
  int pressure_cap = 0;
  double pain = 0;
  std::string frequency;
  int next_session_in_days = 0;
  double flare = 0;                // severity; 0 = no flare
  std::optional<double> soreness;  // recorded the day after (done sessions)
  std::optional<std::string> referral;
  std::vector<std::string> notes;  // stage/frequency changes, postponements, events
};

struct Simulation {
  std::string protocol_id, protocol_version, protocol_title, client_id, scenario;
  Date start, end;  // end = start + weeks * 7 (exclusive)
  int weeks = 0;
  std::vector<SimulatedSession> sessions;
  std::vector<double> flares;  // severity per week (index 0 = week 1); 0 = none
  // The protocol's titles: "stage:ID" and "frequency:ID" -> title.
  std::map<std::string, std::string> titles;
  // The title of a stage or frequency ("stage", "frequency"), or the id.
  std::string title(const std::string& kind, const std::string& id) const {
    auto it = titles.find(kind + ":" + id);
    return it == titles.end() ? id : it->second;
  }
};

const char* to_string(SimulatedSession::Status status);

// Fails only if an evaluation does (a scenario value the protocol refuses);
// the diagnostics then say in which week.
Outcome<Simulation> simulate(const Protocol& protocol, const ClientState& start,
                             const Scenario& scenario, int weeks);

}  // namespace fascia::documents
