#include "simulation_json.hpp"

#include <cstdint>

namespace fascia::documents {

namespace {

using Json = nlohmann::ordered_json;

// Whole numbers as integers (6, not 6.0), like the recommendation JSON.
Json number_json(double v) {
  if (v == double(std::int64_t(v))) return std::int64_t(v);
  return v;
}

// [{"week": 9, "severity": 6}, ...]: every week of the scenario with a flare.
Json flare_weeks(const Simulation& sim) {
  Json out = Json::array();
  for (std::size_t i = 0; i < sim.flares.size(); ++i)
    if (sim.flares[i] > 0)
      out.push_back({{"week", i + 1}, {"severity", number_json(sim.flares[i])}});
  return out;
}

}  // namespace

nlohmann::ordered_json simulation_json(const Simulation& sim) {
  Json sessions = Json::array();
  int done = 0, missed = 0, postponed = 0;
  for (const auto& s : sim.sessions) {
    done += s.status == SimulatedSession::Status::done;
    missed += s.status == SimulatedSession::Status::missed;
    postponed += s.status == SimulatedSession::Status::postponed;
    const bool held = s.status == SimulatedSession::Status::done;
    sessions.push_back({{"date", s.date.to_string()},
                        {"week", s.week},
                        {"status", to_string(s.status)},
                        {"stage", s.stage},
                        {"techniques", s.techniques},
                        {"pressure_cap", held ? Json(s.pressure_cap) : Json()},
                        {"pain", number_json(s.pain)},
                        {"flare_severity", number_json(s.flare)},
                        {"soreness_24h", s.soreness ? number_json(*s.soreness) : Json()},
                        {"frequency", s.frequency},
                        {"next_session_in_days", s.next_session_in_days},
                        {"referral", s.referral ? Json(*s.referral) : Json()},
                        {"notes", s.notes}});
  }
  const SimulatedSession* last = nullptr;
  for (const auto& s : sim.sessions)
    if (s.status == SimulatedSession::Status::done) last = &s;
  return {{"protocol", {{"id", sim.protocol_id}, {"version", sim.protocol_version}}},
          {"client_id", sim.client_id},
          {"start", sim.start.to_string()},
          {"end", sim.end.plus_days(-1).to_string()},
          {"weeks", sim.weeks},
          {"scenario", sim.scenario.empty() ? Json() : Json(sim.scenario)},
          {"sessions", sessions},
          {"flare_weeks", flare_weeks(sim)},
          {"summary",
           {{"sessions", done},
            {"missed", missed},
            {"postponed", postponed},
            {"final_stage", last ? Json(last->stage) : Json()},
            {"final_frequency", last ? Json(last->frequency) : Json()}}}};
}

}  // namespace fascia::documents
