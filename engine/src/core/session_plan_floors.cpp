// SessionPlan: the safety floors of CONTRACT.md, kept whatever the protocol
// says. On a day with a red flag nothing escalates (no stage advance, no
// technique added, no step-down to fewer sessions): each blocked escalation
// is reported as held, naming the red flag. In an active flare only
// flare-safe techniques are planned; sessions never taper while sessions
// are missed or soon after a flare.
#include "core/session_plan.hpp"

namespace fascia::detail {

namespace {
constexpr std::string_view floor_source = "engine safety floor";
}  // namespace

// The red flag named in the holds: the most serious one that fired. The
// referral of highest priority is the one recommended.
void SessionPlan::find_red_flag() {
  const auto raise = [&](const Rule& rule, std::string_view what) {
    red_flag_ = {true, rule.id, rule.source, what, red_flag_.hold_speaks_first};
  };
  const Rule* referral = nullptr;
  for (const auto& f : l_.fired)
    if (!f.rule->refer.empty() && (!referral || f.rule->priority > referral->priority))
      referral = f.rule;
  record_.referral = referral;
  if (referral)
    return raise(*referral,
                 record_.text().append("referral to ").append(referral->refer).append(" today"));
  for (const auto& f : l_.fired)
    if (f.rule->family == RuleFamily::flare_response) return raise(*f.rule, "flare response today");
  for (const auto& f : l_.fired)
    if (f.rule->postpone_days) return raise(*f.rule, "session postponed today");
  if (regressed_by_) return raise(*regressed_by_, "stage stepped back today");
  red_flag_.hold_speaks_first = true;
  if (step_up_) return raise(*step_up_, "reason to see the client more often today");
  for (const auto& f : l_.fired)
    if (f.rule->red_flag) return raise(*f.rule, "red flag today");
  if (stage_hold_ && stage_hold_->red_flag) return raise(*stage_hold_, "red flag today");
  if (s_.flare.active)
    red_flag_ = {true, "floors.active-flare", floor_source, "active flare today (safety floor)",
                 true};
}

std::string_view SessionPlan::held_because(std::string& what) const {
  return what.append(" held: ").append(red_flag_.what).append(" (").append(red_flag_.rule) += ')';
}

// A flare-safe technique added by the red-flag rule itself is the gentler
// substitute it asks for (Swedish strokes instead of sustained holds in a
// flare), not an escalation; any other addition is held.
void SessionPlan::hold_added_on_red_flag_day(const Rule& adder, const Planned& p) {
  const bool adder_is_red_flag = !adder.refer.empty() ||
                                 adder.family == RuleFamily::flare_response ||
                                 adder.postpone_days.has_value() || adder.red_flag;
  if ((adder_is_red_flag && p.entry->info.flare_safe) || is_held(p.entry->info.id)) return;
  own_hold(p.entry->info.id, red_flag_.rule,
           held_because(record_.text().append("Adding ").append(p.entry->info.display_name)),
           red_flag_.source);
}

void SessionPlan::hold_outside_flare_safe() {
  flare_restricted_ = true;
  for (const auto& p : l_.planned) {
    if (p.entry->info.flare_safe || is_held(p.entry->info.id)) continue;  // held already
    std::string& reason = record_.text().append(p.entry->info.display_name);
    reason +=
        " held: only flare-safe techniques are planned during an active flare (safety "
        "floor; flare severity ";
    append_number(reason, s_.flare.severity);
    own_hold(p.entry->info.id, "floors.flare-safe-only", reason += "/10)", floor_source);
  }
}

bool SessionPlan::taper_held(std::size_t current, const Rule& down) {
  const int missed = s_.program.missed_sessions_30d;
  const bool recent_flare =
      s_.flare.count_30d > 0 || (s_.flare.days_since_last && *s_.flare.days_since_last < 30);
  if (!red_flag_.raised && missed <= 0 && !recent_flare) return false;
  std::string& reason = record_.text().append("Step down from '").append(m_.ladder[current].id);
  reason.append("' to '").append(m_.ladder[current + 1].id) += '\'';
  std::string_view rule = red_flag_.rule;
  const std::string_view source = red_flag_.raised ? red_flag_.source : floor_source;
  if (red_flag_.raised) {
    held_because(reason);
  } else if (missed > 0) {
    rule = "floors.no-taper-with-missed-sessions";
    reason.append(" held: ").append(std::to_string(missed)) +=
        missed == 1 ? " session" : " sessions";
    reason += " missed in the last 30 days (safety floor: never taper while sessions are missed)";
  } else {
    rule = "floors.no-taper-after-recent-flare";
    reason += " held: a flare in the last 30 days (safety floor: no taper soon after a flare)";
  }
  adjust(AdjustmentKind::frequency_held, rule, source).with(m_.ladder[current].id).because(reason);
  record_.held_rules.push_back({index_of(down), rule, false});
  return true;
}

void SessionPlan::own_hold(std::string_view technique, std::string_view rule,
                           std::string_view reason, std::string_view source) {
  if (is_held(technique)) return;
  record_.held.push_back({technique, rule, nullptr, {}, reason, source});
}

}  // namespace fascia::detail
