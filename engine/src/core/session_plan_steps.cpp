// SessionPlan: the decision steps, in the order run() takes them.
#include "core/session_plan.hpp"

#include <algorithm>
#include <cmath>

namespace fascia::detail {

void SessionPlan::run(Recommendation* out, std::string* json) {
  decide();
  render(out, json);
}

// The planner gave the state its stage and frequency if it had none.
inline void SessionPlan::start() {
  record_.current_stage =
      layout_ ? layout_->stage : std::min(m_.stage_index(s_.program.stage), m_.stages.size() - 1);
  record_.start(m_.stages[record_.current_stage].evaluated.size());
}

inline void SessionPlan::decide() {
  start();
  evaluate_healing_response();
  decide_stage_changes();
  collect_action_rules();
  find_red_flag();  // before anything escalates
  decide_advance();
  plan_techniques();
  compute_limits();
  run_plugins();
  finish_cap();
  choose_frequency();
}

void SessionPlan::decide(Decision& out) {
  rendered_ = false;
  decide();
  out.stage = m_.stages[record_.stage].id;
  out.frequency = m_.ladder[record_.frequency].id;
  out.next_session_in_days = m_.ladder[record_.frequency].interval_days;
  out.pressure_cap = record_.pressure_cap;
  out.duration_minutes = record_.duration_minutes;
  out.postpone_days = record_.postpone_days;
  out.techniques.clear();
  for (const auto& p : l_.planned)
    if (in_session(p)) out.techniques.push_back(p.entry->info.id);
  out.held.clear();
  for (const auto& h : record_.held) out.held.push_back(h.technique);
  out.referral = record_.referral ? std::string_view(record_.referral->refer) : std::string_view();
  out.fired.clear();
  record_.for_each_fired(m_, [&](std::string_view id) { out.fired.push_back(id); });
}

void SessionPlan::decide_fired(std::vector<std::string>& out) {
  rendered_ = false;
  start();
  evaluate_healing_response();
  decide_stage_changes();
  for_each_firing(m_.action_tests, [](std::size_t) {});  // caps, flare, general
  first_firing(m_.stages[record_.current_stage].advance_tests);
  first_firing(m_.step_down_tests);
  render_fired(record_, m_, out);
}

// A number action: literal, or expression rounded towards safety (caps and
// durations down, postponements up) and clamped.
int SessionPlan::number(const Rule& rule, const NumberAction& action, bool restrictive_low) {
  if (action.literal) return *action.literal;
  const Value v = action.expression->evaluate(s_);
  if (v.kind != Value::Kind::number || !std::isfinite(v.number)) {
    // The safe value: the most restrictive end of the action's range.
    const int safe = restrictive_low ? action.min : action.max;
    warn("rule '" + rule.id + "': '" + action.expression->text() + "' has no value (" +
         format_value(v) + "); using " + std::to_string(safe) + " to be safe");
    return safe;
  }
  // Toward safety (a cap or a duration down, a postponement up); the
  // epsilon keeps 10 * 0.3 from becoming 4 days.
  const double rounded = restrictive_low ? std::floor(v.number + 1e-9) : std::ceil(v.number - 1e-9);
  const int clamped = static_cast<int>(std::clamp(rounded, double(action.min), double(action.max)));
  if (clamped != rounded)
    warn("rule '" + rule.id + "': '" + action.expression->text() + "' gave " + format_value(v) +
         "; clamped to " + std::to_string(clamped));
  return clamped;
}

// A healing response never stands beside a flare response: a flare the
// client reports, or a flare rule that fires anyway, wins.
inline void SessionPlan::evaluate_healing_response() {
  for_each_firing(m_.healing_tests, [&](std::size_t index) {
    const Rule& rule = m_.rules[index];
    if (s_.flare.active) return not_applied(rule, RuleNote::Why::healing_in_flare);
    // A flare rule it does not suppress that fires (unrecorded) wins.
    for (std::size_t f : m_.flare) {
      if (std::find(rule.suppresses.begin(), rule.suppresses.end(), f) != rule.suppresses.end() ||
          suppressed(f))
        continue;
      const Truth t = m_.rules[f].when.test(s_);
      if (t == Truth::yes || (t == Truth::error && m_.rules[f].restricts()))
        return not_applied(rule, RuleNote::Why::healing_beside_flare, m_.rules[f].id);
    }
    adjust(AdjustmentKind::note, rule.id, rule.source).because(rule, {});
    for (std::size_t s : rule.suppresses) l_.suppressed.push_back(s);
  });
}

// Stepping back, the stage's hold rules and the frequency step-up rules:
// the slowing-down decisions, known before anything may escalate.
inline void SessionPlan::decide_stage_changes() {
  record_.stage = record_.current_stage;
  const Stage& stage = m_.stages[record_.current_stage];
  // Every rule of the step is evaluated (Recommendation::fired is exact);
  // the loader refuses regress rules in the first stage.
  if (const Rule* rule = first_firing(stage.regress_tests)) {
    regressed_by_ = rule;
    record_.stage = record_.current_stage - 1;
    adjust(AdjustmentKind::stage_regressed, rule->id, rule->source)
        .with(m_.stages[record_.stage].id)
        .because(*rule, {0, 0, 0, stage.id, m_.stages[record_.stage].id, {}, {}});
  }
  const Rule* hold = first_firing(stage.hold_tests);
  if (!regressed_by_ && record_.current_stage + 1 < m_.stages.size() && !stage.advance.empty())
    stage_hold_ = hold;
  step_up_ = first_firing(m_.step_up_tests);
}

inline void SessionPlan::decide_advance() {
  const Stage& stage = m_.stages[record_.current_stage];
  const Rule* advance = first_firing(stage.advance_tests);
  if (!advance || regressed_by_ || record_.current_stage + 1 >= m_.stages.size()) return;
  const std::string& next = m_.stages[record_.current_stage + 1].id;
  const ReasonValues values{0, 0, 0, stage.id, next, {}, {}};
  if (stage_hold_ && (!red_flag_.raised || red_flag_.hold_speaks_first)) {
    adjust(AdjustmentKind::stage_held, stage_hold_->id, stage_hold_->source)
        .with(stage.id)
        .because(*stage_hold_, values);
    record_.held_rules.push_back({index_of(*advance), stage_hold_->id, false});
  } else if (red_flag_.raised) {
    adjust(AdjustmentKind::stage_held, red_flag_.rule, red_flag_.source)
        .with(stage.id)
        .because(held_because(record_.text().append("Advance to '").append(next) += '\''));
    record_.red_flag_what = red_flag_.what;
    record_.held_rules.push_back({index_of(*advance), red_flag_.rule, true});
  } else {
    record_.stage = record_.current_stage + 1;
    if (!rendered_) return;  // decide(Decision&): 4,781 -> 4,711 (callgrind)
    adjust(AdjustmentKind::stage_advanced, advance->id, advance->source)
        .with(next)
        .because(*advance, values);
    // The stage's new techniques and their reasons are precomputed.
    for (const auto& t : m_.stages[record_.stage].introduced)
      adjust(AdjustmentKind::technique_added, advance->id, advance->source)
          .with(t.entry->info.id)
          .because(t.reason);
  }
}

inline void SessionPlan::collect_action_rules() {
  for_each_firing(m_.action_tests, [&](std::size_t index) {  // caps, flare, general
    const Rule& rule = m_.rules[index];
    FiredRule f{&rule};
    if (rule.cap) f.cap = number(rule, *rule.cap, true);
    if (rule.duration_minutes) f.duration = number(rule, *rule.duration_minutes, true);
    if (rule.postpone_days) f.postpone = number(rule, *rule.postpone_days, false);
    l_.fired.push_back(f);
  });
}

bool SessionPlan::is_planned(std::string_view technique) const {
  for (const auto& p : l_.planned)
    if (same_text(p.entry->info.id, technique)) return true;
  return false;
}

void SessionPlan::hold(std::string_view technique, const Rule& rule, const ReasonValues& values) {
  // Only what would otherwise be done today is "held".
  if (!is_planned(technique) || is_held(technique)) return;
  record_.held.push_back({technique, rule.id, &rule, values, {}, rule.source});
}

inline void SessionPlan::plan_techniques() {
  const Stage& stage = m_.stages[record_.stage];
  for (const auto& t : stage.techniques) l_.planned.emplace_back(*t.configured, t.config);
  // Adds first (permissive), then holds, which always win.
  for (const auto& f : l_.fired)
    for (const auto& id : f.rule->add_techniques) {
      if (is_planned(id)) continue;
      const auto* configured = m_.technique(id);
      l_.planned.emplace_back(*configured, configured->config).added_by = f.rule;
    }
  for (const auto& f : l_.fired) {
    const Rule& rule = *f.rule;
    if (rule.hold_techniques.empty() && !rule.only_techniques && !rule.only_flare_safe) continue;
    const ReasonValues values = f.values();
    for (const auto& id : rule.hold_techniques) hold(id, rule, values);
    const auto& only = rule.only_techniques;
    for (const auto& p : l_.planned)
      if ((only && std::find(only->begin(), only->end(), p.entry->info.id) == only->end()) ||
          (rule.only_flare_safe && !p.entry->info.flare_safe))
        hold(p.entry->info.id, rule, values);
    if (only || rule.only_flare_safe) flare_restricted_ = true;
  }
  // The floors, whatever the rules said.
  if (red_flag_.raised)
    for (const auto& p : l_.planned)
      if (p.added_by) hold_added_on_red_flag_day(*p.added_by, p);
  if (s_.flare.active) hold_outside_flare_safe();
}

// The cap (what plugins are told includes the planned techniques' limits),
// the duration and the postponement.
inline void SessionPlan::compute_limits() {
  const Stage& stage = m_.stages[record_.stage];
  base_cap_ = std::min(stage.pressure_max, s_.pressure_tolerance);
  record_.duration_minutes = stage.duration_minutes.value_or(m_.session_duration);
  for (const auto& f : l_.fired) {
    if (f.rule->cap) base_cap_ = std::min(base_cap_, f.cap);
    if (f.rule->duration_minutes)
      record_.duration_minutes = std::min(record_.duration_minutes, f.duration);
    if (f.rule->postpone_days) record_.postpone_days = std::max(record_.postpone_days, f.postpone);
  }
  base_cap_ = std::clamp(base_cap_, 1, 10);
  record_.pressure_cap = base_cap_;
  for (const auto& p : l_.planned)
    if (!is_held(p.entry->info.id))
      record_.pressure_cap = std::min(record_.pressure_cap, p.entry->info.max_pressure);
}

inline void SessionPlan::choose_frequency() {
  const std::size_t current =
      layout_ ? layout_->frequency
              : std::min(m_.frequency_index(s_.program.frequency), m_.ladder.size() - 1);
  const Rule* down = first_firing(m_.step_down_tests);  // evaluated even when a step-up fired
  std::size_t next = current;
  if (step_up_ && current > 0)
    --next;
  else if (!step_up_ && down && current + 1 < m_.ladder.size() && !taper_held(current, *down))
    ++next;
  if (const Rule* by = next < current ? step_up_ : down; next != current)
    adjust(AdjustmentKind::frequency_changed, by->id, by->source)
        .with(m_.ladder[next].id)
        .because(*by, {0, 0, 0, {}, {}, m_.ladder[current].id, m_.ladder[next].id});
  record_.frequency = next;
}

}  // namespace fascia::detail
