// Recording a session (fascia/record.hpp): the plan of the session, checked
// against what happened, and the client state for the next one.
#include <fascia/record.hpp>

#include "core/protocol_access.hpp"
#include "core/session_planner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fascia {

namespace {

constexpr std::int64_t window_days = 30;  // the *_30d counts

std::int64_t days_between(const Date& from, const Date& to) {
  return to.days_since_epoch() - from.days_since_epoch();
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class SessionCheck {
 public:
  explicit SessionCheck(std::string file) : file_(std::move(file)) {}
  void fail(const std::string& field, const std::string& message) {
    Diagnostic d;
    d.location.file = file_;
    d.message = "session." + field + ": " + message;
    problems_.push_back(std::move(d));
  }
  Diagnostics take() { return std::move(problems_); }
  bool ok() const { return problems_.empty(); }

 private:
  std::string file_;
  Diagnostics problems_;
};

void check_score(SessionCheck& check, const char* field, const std::optional<double>& v) {
  if (v && !(*v >= 0 && *v <= 10))
    check.fail(field, number_text(*v) + " is out of range; use a 0-10 score");
}

bool planned(const Recommendation& plan, const std::string& technique) {
  for (const auto& t : plan.session.techniques)
    if (t.id == technique) return true;
  return false;
}

}  // namespace

ClientState age_state(const ClientState& state, const Date& date) {
  ClientState s = state;
  const std::int64_t days = std::max<std::int64_t>(0, days_between(state.as_of, date));
  s.as_of = date;
  if (days == 0) return s;
  s.program.weeks_in_program += int(days / 7);
  if (s.flare.days_since_last) {
    s.flare.days_since_last = int(*s.flare.days_since_last + days);
    if (*s.flare.days_since_last >= window_days) s.flare.count_30d = 0;
  }
  if (s.program.missed_sessions_30d > 0) {
    // Misses of unknown date are taken to be as recent as can be.
    const Date newest = s.last_missed.value_or(state.as_of);
    if (!s.last_missed) s.last_missed = newest;
    if (days_between(newest, date) >= window_days) s.program.missed_sessions_30d = 0;
  }
  return s;
}

namespace {

// Days between sessions at the frequency the client is on before the plan.
int current_interval(const Protocol& protocol, const ClientState& state) {
  const auto& model = fascia::detail::ProtocolAccess::model(protocol);
  std::size_t i = state.program.frequency.empty() ? model.start_frequency
                                                  : model.frequency_index(state.program.frequency);
  if (i >= model.ladder.size()) return 7;
  return std::max(1, model.ladder[i].interval_days);
}

}  // namespace

Outcome<RecordResult> record_session(const Protocol& protocol, const ClientState& state,
                                     const SessionRecord& session, const RecordOptions& options) {
  if (auto problems = protocol.check_state(state); has_errors(problems))
    return Outcome<RecordResult>::failure(std::move(problems));
  const Date date = session.date.value_or(state.as_of);
  // The plan of the session as it was evaluated on its day.
  ClientState at = date >= state.as_of ? age_state(state, date) : state;
  at.as_of = date;
  if (const HistoryEntry* last = state.last(); last && date < last->date) {
    Diagnostic d;
    d.location.file = "<session>";
    d.message = "session.date: " + date.to_string() + " is before the last recorded session (" +
                last->date.to_string() + "); sessions are recorded in order";
    return Outcome<RecordResult>::failure({std::move(d)});
  }
  auto evaluated = protocol.evaluate(at);
  if (!evaluated) return Outcome<RecordResult>::failure(evaluated.diagnostics());
  return record_planned(protocol, at, evaluated.value(), session, options);
}

Outcome<RecordResult> record_planned(const Protocol& protocol, const ClientState& at,
                                     const Recommendation& recommendation,
                                     const SessionRecord& session, const RecordOptions& options) {
  SessionCheck check("<session>");
  const Date date = at.as_of;
  if (session.date && *session.date != date)
    check.fail("date", session.date->to_string() + " is not the day the plan was made for (" +
                           date.to_string() + ")");
  if (const HistoryEntry* last = at.last(); last && date < last->date)
    check.fail("date", date.to_string() + " is before the last recorded session (" +
                           last->date.to_string() + "); sessions are recorded in order");
  if (session.pressure && (*session.pressure < 1 || *session.pressure > 10))
    check.fail("pressure", std::to_string(*session.pressure) + " is out of range; use 1-10");
  check_score(check, "soreness_24h", session.soreness_24h);
  check_score(check, "pain_before", session.pain_before);
  check_score(check, "pain_after", session.pain_after);
  if (!check.ok()) return Outcome<RecordResult>::failure(check.take());

  RecordResult result{recommendation, at};
  const Recommendation& plan = result.plan;
  ClientState& next = result.next;

  if (session.status == SessionRecord::Status::missed) {
    // The plan was not given: nothing it changes applies, and the client is
    // expected again at the frequency they are on.
    next.program.missed_sessions_30d += 1;
    next.last_missed = date;
    next = age_state(next, date.plus_days(current_interval(protocol, at)));
    return Outcome<RecordResult>(std::move(result));
  }
  if (session.status == SessionRecord::Status::postponed) {
    next = age_state(next, date.plus_days(std::max(1, plan.session.postpone_days)));
    return Outcome<RecordResult>(std::move(result));
  }

  // A given session: what the plan said, unless the therapist says why not.
  HistoryEntry entry;
  entry.date = date;
  if (session.techniques) {
    entry.techniques = *session.techniques;
  } else {
    for (const auto& t : plan.session.techniques) entry.techniques.push_back(t.id);
  }
  const bool overridden = !session.override_reason.empty();
  for (const auto& t : entry.techniques)
    if (!planned(plan, t) && !overridden)
      check.fail("techniques", "'" + t + "' was not in the plan for " + date.to_string() +
                                   "; give the reason with --override \"REASON\" to record it");
  if (plan.session.postpone_days > 0 && !overridden)
    check.fail("date", "the plan for " + date.to_string() + " postpones the session by " +
                           std::to_string(plan.session.postpone_days) +
                           " days; record it as postponed, or give the reason with --override");
  entry.pressure = session.pressure.value_or(plan.session.pressure_cap);
  if (*entry.pressure > plan.session.pressure_cap && !overridden)
    check.fail("pressure", std::to_string(*entry.pressure) + " is above the plan's cap of " +
                               std::to_string(plan.session.pressure_cap) +
                               "; give the reason with --override \"REASON\" to record it");
  if (!check.ok()) return Outcome<RecordResult>::failure(check.take());
  entry.soreness_24h = session.soreness_24h;
  entry.pain_before = session.pain_before.value_or(at.pain.current);
  entry.pain_after = session.pain_after;
  entry.stage = plan.session.stage;  // the stage the session was given in

  const std::size_t kept = std::max<std::size_t>(1, options.history_kept);
  auto& overrides = next.history_overrides;
  if (!session.override_reason.empty() || !overrides.empty()) {
    overrides.resize(next.history.size());
    overrides.push_back(session.override_reason);
  }
  next.history.push_back(std::move(entry));
  if (next.history.size() > kept) {
    const auto drop = std::ptrdiff_t(next.history.size() - kept);
    next.history.erase(next.history.begin(), next.history.begin() + drop);
    if (!overrides.empty()) overrides.erase(overrides.begin(), overrides.begin() + drop);
  }
  // Left out, it is what the planner counted from the history (never more
  // than the history shows), not sessions_completed.
  const int in_stage =
      at.program.sessions_in_stage
          ? *at.program.sessions_in_stage
          : detail::sessions_in_stage_from_history(detail::ProtocolAccess::model(protocol), at);
  const std::string& stage_before =
      at.program.stage.empty() ? protocol.stage_ids().front() : at.program.stage;
  next.program.sessions_in_stage = plan.session.stage == stage_before ? in_stage + 1 : 1;
  next.program.stage = plan.session.stage;
  next.program.frequency = plan.session.frequency;
  next.program.sessions_completed += 1;
  next.medications_changed = false;
  next = age_state(next, date.plus_days(std::max(1, plan.session.next_session_in_days)));
  return Outcome<RecordResult>(std::move(result));
}

}  // namespace fascia
