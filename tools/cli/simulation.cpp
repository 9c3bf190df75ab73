#include "simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace fascia::cli {

namespace {

constexpr std::size_t kHistoryKept = 52;

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
  Projection(const Protocol& protocol, const ClientState& start, const Scenario& scenario, int weeks)
      : protocol_(protocol), scenario_(scenario), s_(start) {
    sim_.protocol_id = protocol.id();
    sim_.protocol_version = protocol.version();
    sim_.protocol_title = protocol.title();
    sim_.client_id = start.client_id;
    sim_.scenario = scenario.name;
    sim_.start = start.as_of;
    sim_.weeks = weeks;
    sim_.end = start.as_of.plus_days(std::int64_t(weeks) * 7);
    if (s_.program.stage.empty()) s_.program.stage = protocol.stage_ids().front();
    // Left out, it stays out (the engine counts it from the history, never
    // more than the history shows) until the client changes stage.
    sessions_in_stage_ = s_.program.sessions_in_stage;
    weeks_in_program_ = s_.program.weeks_in_program;
    pain_ = s_.pain.current;
    // What the state says about the last 30 days, placed where it ages out
    // of the window as it would have.
    if (start.flare.days_since_last)
      last_flare_ = start.as_of.plus_days(-*start.flare.days_since_last);
    const Date counted = start.as_of.plus_days(-std::min(start.flare.days_since_last.value_or(0), 29));
    for (int i = 0; i < start.flare.count_30d; ++i) flare_starts_.push_back(counted);
    for (int i = 0; i < start.program.missed_sessions_30d; ++i)
      missed_.push_back(start.as_of.plus_days(-1));
    flare_weeks_[0] = start.flare.active ? start.flare.severity : 0;
  }

  Outcome<Simulation> run() {
    Date date = sim_.start;
    int seen_week = 0;
    while (date < sim_.end) {
      const int week = int(days_between(sim_.start, date) / 7) + 1;
      for (int w = seen_week + 1; w <= week; ++w) enter_week(w);
      seen_week = week;
      const WeekEvents events = events_of(scenario_, week);
      prepare(date, week, events);
      auto result = protocol_.evaluate(s_);
      if (!result) return fail(result.diagnostics(), date, week, events);
      const Recommendation& r = result.value();
      SimulatedSession row = base_row(date, week, r);
      if (events.missed) {
        row.status = SimulatedSession::Status::missed;
        row.notes.insert(row.notes.begin(), "session missed");
        missed_.push_back(date);
        date = date.plus_days(std::max(1, r.session.next_session_in_days - r.session.postpone_days));
      } else if (r.session.postpone_days > 0) {
        row.status = SimulatedSession::Status::postponed;
        row.notes.insert(row.notes.begin(),
                         "postponed " + std::to_string(r.session.postpone_days) + " days");
        date = date.plus_days(r.session.postpone_days);
      } else {
        complete(row, r, events);
        date = date.plus_days(std::max(1, r.session.next_session_in_days));
      }
      sim_.sessions.push_back(std::move(row));
    }
    // Flares happen whether or not a session falls in their week.
    for (int w = 1; w <= sim_.weeks; ++w)
      sim_.flares.push_back(
          events_of(scenario_, w).flare.value_or(w == 1 ? flare_weeks_[0] : 0.0));
    return Outcome<Simulation>(std::move(sim_));
  }

 private:
  // Persistent changes and flares happen week by week, sessions or not.
  void enter_week(int week) {
    bool set_pain = false;
    for (const auto& w : scenario_.weeks) {
      if (week < w.first_week || week > w.last_week) continue;
      if (w.pain) {
        pain_ = *w.pain;
        set_pain = true;
      }
      if (w.tolerance) s_.pressure_tolerance = *w.tolerance;
      if (w.sleep) s_.sleep_quality = *w.sleep;
      for (const auto& o : w.observations) set_observation(o);
    }
    if (!set_pain && week > 1) pain_ = std::clamp(pain_ + scenario_.pain_change_per_week, 0.0, 10.0);
    const WeekEvents events = events_of(scenario_, week);
    double severity = events.flare.value_or(week == 1 ? flare_weeks_[0] : 0.0);
    flare_weeks_[week] = severity;
    const double before = flare_weeks_.count(week - 1) ? flare_weeks_[week - 1] : 0.0;
    if (severity > 0 && before <= 0) {
      last_flare_ = sim_.start.plus_days(std::int64_t(week - 1) * 7);
      flare_starts_.push_back(*last_flare_);
    }
  }

  void set_observation(const Observation& o) {
    for (auto& existing : s_.observations)
      if (existing.name == o.name) {
        existing.value = o.value;
        return;
      }
    s_.observations.push_back(o);
  }

  void prepare(const Date& date, int week, const WeekEvents& events) {
    s_.as_of = date;
    s_.pain.current = std::round(pain_ * 10) / 10;
    s_.program.weeks_in_program = weeks_in_program_ + int(days_between(sim_.start, date) / 7);
    s_.program.sessions_in_stage = sessions_in_stage_;
    const double severity = flare_weeks_[week];
    s_.flare.active = severity > 0;
    s_.flare.severity = severity;
    s_.flare.count_30d = 0;
    for (const auto& f : flare_starts_) {
      const auto ago = days_between(f, date);
      if (ago >= 0 && ago < 30) ++s_.flare.count_30d;
    }
    s_.flare.days_since_last = std::nullopt;
    if (last_flare_) s_.flare.days_since_last = int(std::max<std::int64_t>(0, days_between(*last_flare_, date)));
    s_.program.missed_sessions_30d = 0;
    for (const auto& m : missed_) {
      const auto ago = days_between(m, date);
      if (ago >= 0 && ago < 30) ++s_.program.missed_sessions_30d;
    }
    if (events.medication_change && medication_week_ != week) medication_pending_ = true;
    s_.medications_changed = medication_pending_;
  }

  SimulatedSession base_row(const Date& date, int week, const Recommendation& r) const {
    SimulatedSession row;
    row.date = date;
    row.week = week;
    row.stage = s_.program.stage;
    row.frequency = r.session.frequency;
    row.next_session_in_days = r.session.next_session_in_days;
    row.pain = s_.pain.current;
    row.flare = s_.flare.severity * (s_.flare.active ? 1 : 0);
    if (s_.flare.active) row.notes.push_back("flare " + format(s_.flare.severity));
    if (s_.medications_changed) row.notes.push_back("medication changed");
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
        case AdjustmentKind::stage_advanced: row.notes.push_back("advances to " + value); break;
        case AdjustmentKind::stage_regressed: row.notes.push_back("steps back to " + value); break;
        case AdjustmentKind::stage_held: row.notes.push_back("stage held (" + a.rule + ")"); break;
        case AdjustmentKind::frequency_held: row.notes.push_back("taper held (" + a.rule + ")"); break;
        case AdjustmentKind::frequency_changed: row.notes.push_back("frequency -> " + value); break;
        case AdjustmentKind::referral: row.notes.push_back("refer to " + value); break;
        default: break;
      }
    }
    HistoryEntry entry;
    entry.date = row.date;
    entry.techniques = row.techniques;
    entry.pressure = session.pressure_cap;  // the client is treated at the cap
    entry.soreness_24h = row.soreness;
    entry.pain_before = s_.pain.current;
    s_.history.push_back(std::move(entry));
    if (s_.history.size() > kHistoryKept) s_.history.erase(s_.history.begin());
    if (session.stage != s_.program.stage)
      sessions_in_stage_ = 1;
    else if (sessions_in_stage_)
      *sessions_in_stage_ += 1;
    s_.program.stage = session.stage;
    s_.program.frequency = session.frequency;
    s_.program.sessions_completed += 1;
    if (medication_pending_) {
      medication_pending_ = false;
      medication_week_ = row.week;
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
  ClientState s_;
  Simulation sim_;
  std::optional<int> sessions_in_stage_;
  int weeks_in_program_ = 0;
  double pain_ = 0;
  std::vector<Date> flare_starts_, missed_;  // within reach of the 30-day window
  std::optional<Date> last_flare_;
  std::map<int, double> flare_weeks_;  // week -> severity (0: none); 0 = before the start
  bool medication_pending_ = false;
  int medication_week_ = 0;
};

}  // namespace

const char* to_string(SimulatedSession::Status status) {
  switch (status) {
    case SimulatedSession::Status::done: return "session";
    case SimulatedSession::Status::missed: return "missed";
    case SimulatedSession::Status::postponed: return "postponed";
  }
  return "session";
}

Outcome<Simulation> simulate(const Protocol& protocol, const ClientState& start,
                             const Scenario& scenario, int weeks) {
  return Projection(protocol, start, scenario, weeks).run();
}

}  // namespace fascia::cli
