#include "simulation.hpp"

#include <fascia/record.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace fascia::documents {

namespace {

constexpr std::size_t history_kept = 52;

std::int64_t days_between(const Date& from, const Date& to) {
  return to.days_since_epoch() - from.days_since_epoch();
}

// The merged changes of one week (later scenario entries win).
struct WeekEvents {
  const WeekChange* source = nullptr;  // for locating problems
  std::optional<double> flare, soreness;
  bool missed = false, medication_change = false;
};

WeekEvents events_of(const Scenario& scenario, int week) {
  WeekEvents e;
  for (const auto& w : scenario.weeks) {
    if (week < w.first_week || week > w.last_week) continue;
    e.source = &w;
    if (w.flare) e.flare = w.flare;
    if (w.soreness) e.soreness = w.soreness;
    e.missed = e.missed || w.missed;
    e.medication_change = e.medication_change || w.medication_change;
  }
  return e;
}

class Projection {
 public:
  Projection(const Protocol& protocol, const ClientState& start, const Scenario& scenario,
             int weeks)
      : protocol_(protocol), scenario_(scenario), state_(start) {
    sim_.protocol_id = protocol.id();
    sim_.protocol_version = protocol.version();
    sim_.protocol_title = protocol.title();
    sim_.client_id = start.client_id;
    sim_.scenario = scenario.name;
    sim_.start = start.as_of;
    sim_.weeks = weeks;
    sim_.end = start.as_of.plus_days(std::int64_t(weeks) * 7);
    if (state_.program.stage.empty()) state_.program.stage = protocol.stage_ids().front();
    for (const auto& st : protocol.stages())
      if (!st.title.empty()) sim_.titles["stage:" + st.id] = st.title;
    for (const auto& f : protocol.frequencies())
      if (!f.title.empty()) sim_.titles["frequency:" + f.id] = f.title;
    pain_ = state_.pain.current;
    flare_weeks_[0] = start.flare.active ? start.flare.severity : 0;
    start_flare_ = start.flare.active;
    // A change the state reports is seen at the first session given.
    medication_pending_ = start.medications_changed;
  }

  // Each session is recorded with the engine's record_planned(), as
  // `fascia record` does: the state moves on exactly as a recorded one.
  Outcome<Simulation> run() {
    int seen_week = 0;
    while (state_.as_of < sim_.end) {
      const Date date = state_.as_of;
      const int week = int(days_between(sim_.start, date) / 7) + 1;
      for (int w = seen_week + 1; w <= week; ++w) enter_week(w);
      seen_week = week;
      const WeekEvents events = events_of(scenario_, week);
      prepare(date, week, events);
      auto result = protocol_.evaluate(state_);
      if (!result) return fail(result.diagnostics(), date, week, events);
      const Recommendation& r = result.value();
      SimulatedSession row = base_row(date, week, r);
      SessionRecord record;
      if (events.missed) {
        record.status = SessionRecord::Status::missed;
        row.status = SimulatedSession::Status::missed;
        row.frequency = current_frequency();
        row.notes.insert(row.notes.begin(), "session missed");
      } else if (r.session.postpone_days > 0) {
        record.status = SessionRecord::Status::postponed;
        row.status = SimulatedSession::Status::postponed;
        row.notes.insert(row.notes.begin(),
                         "postponed " + std::to_string(r.session.postpone_days) + " days");
      } else {
        complete(row, r, events);
        record.soreness_24h = row.soreness;
      }
      auto next = record_planned(protocol_, state_, r, record, RecordOptions{history_kept});
      if (!next) return fail(next.diagnostics(), date, week, events);
      if (record.status == SessionRecord::Status::given && medication_pending_) {
        medication_pending_ = false;
        medication_week_ = week;
      }
      row.next_session_in_days = int(days_between(date, next.value().next.as_of));
      state_ = std::move(next.value().next);
      sim_.sessions.push_back(std::move(row));
    }
    // Flares happen whether or not a session falls in their week.
    for (int w = 1; w <= sim_.weeks; ++w)
      sim_.flares.push_back(events_of(scenario_, w).flare.value_or(w == 1 ? flare_weeks_[0] : 0.0));
    return Outcome<Simulation>(std::move(sim_));
  }

 private:
  std::string current_frequency() const {
    if (!state_.program.frequency.empty()) return state_.program.frequency;
    return protocol_.start_frequency();
  }

  // Persistent changes and flares happen week by week, sessions or not.
  void enter_week(int week) {
    bool set_pain = false;
    for (const auto& w : scenario_.weeks) {
      if (week < w.first_week || week > w.last_week) continue;
      if (w.pain) {
        pain_ = *w.pain;
        set_pain = true;
      }
      if (w.tolerance) state_.pressure_tolerance = *w.tolerance;
      if (w.sleep) state_.sleep_quality = *w.sleep;
      for (const auto& o : w.observations) set_observation(o);
    }
    if (!set_pain && week > 1)
      pain_ = std::clamp(pain_ + scenario_.pain_change_per_week, 0.0, 10.0);
    const WeekEvents events = events_of(scenario_, week);
    double severity = events.flare.value_or(week == 1 ? flare_weeks_[0] : 0.0);
    flare_weeks_[week] = severity;
    const double before = flare_weeks_.count(week - 1) ? flare_weeks_[week - 1] : 0.0;
    if (severity > 0 && before <= 0)
      new_flares_.push_back(sim_.start.plus_days(std::int64_t(week - 1) * 7));
  }

  void set_observation(const Observation& o) {
    for (auto& existing : state_.observations)
      if (existing.name == o.name) {
        existing.value = o.value;
        return;
      }
    state_.observations.push_back(o);
  }

  // What the client reports at the session's intake, as a therapist would
  // enter it before recording: pain, a flare (new ones counted), a
  // medication change.
  void prepare(const Date& date, int week, const WeekEvents& events) {
    state_.pain.current = std::round(pain_ * 10) / 10;
    const double severity = flare_weeks_[week];
    state_.flare.active = severity > 0;
    state_.flare.severity = severity;
    // A flare the client is in at the start (the state's, or --set's) is on
    // record afterwards: the last flare was at most the days since the start,
    // and it counts in the month's flares, even when the state left it undated.
    if (start_flare_ && date > sim_.start) {
      const int since_start = int(days_between(sim_.start, date));
      state_.flare.days_since_last =
          std::min(state_.flare.days_since_last.value_or(since_start), since_start);
      if (since_start < 30) state_.flare.count_30d = std::max(state_.flare.count_30d, 1);
      start_flare_ = false;
    }
    for (const auto& start : new_flares_) {
      state_.flare.days_since_last = int(std::max<std::int64_t>(0, days_between(start, date)));
      state_.flare.count_30d += 1;
    }
    new_flares_.clear();
    if (events.medication_change && medication_week_ != week) medication_pending_ = true;
    state_.medications_changed = medication_pending_;
  }

  SimulatedSession base_row(const Date& date, int week, const Recommendation& r) const {
    SimulatedSession row;
    row.date = date;
    row.week = week;
    row.stage = state_.program.stage;
    row.frequency = r.session.frequency;
    row.next_session_in_days = r.session.next_session_in_days;
    row.pain = state_.pain.current;
    row.flare = state_.flare.severity * (state_.flare.active ? 1 : 0);
    if (state_.flare.active) row.notes.push_back("flare " + format(state_.flare.severity));
    if (state_.medications_changed) row.notes.push_back("medication changed");
    return row;
  }

  void complete(SimulatedSession& row, const Recommendation& r, const WeekEvents& events) {
    const auto& session = r.session;
    row.stage = session.stage;
    row.pressure_cap = session.pressure_cap;
    for (const auto& t : session.techniques) row.techniques.push_back(t.id);
    row.soreness = events.soreness.value_or(scenario_.soreness);
    if (session.referral) row.referral = session.referral->to;
    for (const auto& a : r.adjustments) {
      const std::string value = std::holds_alternative<std::string>(a.value)
                                    ? std::get<std::string>(a.value)
                                    : std::string();
      switch (a.kind) {
        case AdjustmentKind::stage_advanced:
          row.notes.push_back("advances to " + sim_.title("stage", value));
          break;
        case AdjustmentKind::stage_regressed:
          row.notes.push_back("steps back to " + sim_.title("stage", value));
          break;
        case AdjustmentKind::stage_held:
          row.notes.push_back("stage held (" + a.rule + ")");
          break;
        case AdjustmentKind::frequency_held:
          row.notes.push_back("taper held (" + a.rule + ")");
          break;
        case AdjustmentKind::frequency_changed:
          row.notes.push_back("frequency -> " + sim_.title("frequency", value));
          break;
        case AdjustmentKind::referral:
          row.notes.push_back("refer to " + value);
          break;
        default:
          break;
      }
    }
  }

  Outcome<Simulation> fail(Diagnostics problems, const Date& date, int week,
                           const WeekEvents& events) const {
    for (auto& d : problems) {
      d.message = "week " + std::to_string(week) + " (" + date.to_string() + "): " + d.message;
      if (events.source && d.location.line == 0) d.location = events.source->location;
    }
    return Outcome<Simulation>::failure(std::move(problems));
  }

  static std::string format(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }

  const Protocol& protocol_;
  const Scenario& scenario_;
  ClientState state_;
  Simulation sim_;
  double pain_ = 0;
  std::vector<Date> new_flares_;       // flare starts not yet entered into the state
  std::map<int, double> flare_weeks_;  // week -> severity (0: none); 0 = before the start
  bool start_flare_ = false;           // a flare at the start, not yet on record as past
  bool medication_pending_ = false;
  int medication_week_ = 0;
};

}  // namespace

const char* to_string(SimulatedSession::Status status) {
  switch (status) {
    case SimulatedSession::Status::done:
      return "session";
    case SimulatedSession::Status::missed:
      return "missed";
    case SimulatedSession::Status::postponed:
      return "postponed";
  }
  return "session";
}

Outcome<Simulation> simulate(const Protocol& protocol, const ClientState& start,
                             const Scenario& scenario, int weeks) {
  return Projection(protocol, start, scenario, weeks).run();
}

}  // namespace fascia::documents
