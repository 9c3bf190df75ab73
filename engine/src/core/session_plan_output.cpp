// SessionPlan: the cap with the techniques' limits, the fired rules'
// adjustments grouped per rule, the referral and the session, recorded; and
// the Recommendation or its JSON rendered from the record.
#include "core/session_plan.hpp"

#include <algorithm>

namespace fascia::detail {

void SessionPlan::finish_cap() {
  // The limits of the techniques that survived the plugins join the cap;
  // a held technique's limit no longer applies.
  record_.pressure_cap = base_cap_;
  for (const auto& p : l_.planned)
    if (p.ok && !is_held(p.entry->info.id))
      record_.pressure_cap = std::min(record_.pressure_cap, p.entry->info.max_pressure);
  record_.pressure_cap = std::clamp(record_.pressure_cap, 1, 10);
  if (!rendered_) return;  // the rest changes only what is rendered
  // Rule adjustments first, in rule order, then the implicit limits that bind.
  emit_rule_adjustments();
  const Stage& stage = m_.stages[record_.stage];
  if (stage.pressure_max == record_.pressure_cap)
    adjust(AdjustmentKind::pressure_cap, stage.pressure_max_rule, stage.pressure_max_source)
        .with(record_.pressure_cap)
        .because(stage.pressure_max_reason);
  if (s_.pressure_tolerance == record_.pressure_cap)
    adjust(AdjustmentKind::pressure_cap, "client.pressure_tolerance", "client state")
        .with(record_.pressure_cap)
        .reason = AdjustmentRecord::Reason::tolerance;
  for (auto& p : l_.planned) {
    if (!p.ok || is_held(p.entry->info.id)) continue;
    const TechniqueEntry& e = *p.entry;
    if (e.info.max_pressure == record_.pressure_cap && record_.pressure_cap < base_cap_)
      adjust(AdjustmentKind::pressure_cap, p.configured->max_pressure_rule, p.configured->source)
          .with(record_.pressure_cap)
          .because(p.configured->max_pressure_reason);
    // No parameter may exceed the cap: clamp and say so.
    const PressureClamp& clamp = p.clamp =
        clamp_pressure(e, p.result->result, record_.pressure_cap);
    if (clamp.clamped()) {
      auto& a =
          adjust(AdjustmentKind::pressure_cap, e.info.id, p.configured->source).with(clamp.applied);
      a.rule_suffix = "pressure-clamped";
      a.suffixed = true;
      std::string& reason = record_.text().append(e.info.display_name);
      append_number(reason.append(" plugin asked for pressure "), clamp.asked());
      a.because(append_clamp_reason(clamp, record_.pressure_cap, reason));
    }
  }
  emit_plugin_results();
}

// Adjustments of the fired action rules, grouped per rule in rule order.
void SessionPlan::emit_rule_adjustments() {
  const auto hold_adjustment = [&](const HoldRecord& h, std::string_view rule,
                                   std::string_view source) {
    auto& a = adjust(AdjustmentKind::technique_held, rule, source).with(h.technique);
    h.by_rule ? a.because(*h.by_rule, h.values) : a.because(h.reason);
  };
  for (const auto& f : l_.fired) {
    const Rule& rule = *f.rule;
    // Rendered once, for the rule's first adjustment; the others repeat it.
    std::size_t first = no_index;
    auto add = [&](AdjustmentKind kind) -> AdjustmentRecord& {
      AdjustmentRecord& a = adjust(kind, rule.id, rule.source);
      if (first == no_index) {
        a.because(rule, f.values());
        first = record_.adjustments.size() - 1;
      } else {
        a.reason = AdjustmentRecord::Reason::same_as;
        a.same_as = first;
      }
      return a;
    };
    if (rule.cap) add(AdjustmentKind::pressure_cap).with(f.cap);
    for (const auto& h : record_.held)
      if (same_text(h.rule, rule.id)) hold_adjustment(h, rule.id, rule.source);
    for (const auto& p : l_.planned)
      if (p.added_by == &rule && !is_held(p.entry->info.id))
        add(AdjustmentKind::technique_added).with(p.entry->info.id);
    if (rule.duration_minutes) add(AdjustmentKind::duration_changed).with(f.duration);
    if (rule.postpone_days) add(AdjustmentKind::postponed).with(f.postpone);
    if (!rule.refer.empty()) {
      add(AdjustmentKind::referral).with(rule.refer);
      if (&rule == record_.referral) record_.referral_reason = first;
    }
    if (!rule.check_in.empty()) add(AdjustmentKind::check_in).with(rule.check_in);
    if (!rule.note.empty()) add(AdjustmentKind::note).with(rule.note);
    for (const auto& item : rule.home_program) {
      if (find_home_item(item.id) == no_index) add(AdjustmentKind::home_program).with(item.id);
      add_home_item(item.id, item.parameters, &item.given);
    }
  }
  // Holds of plugins, floors and red flags outside the fired rules are
  // reported too.
  for (const auto& h : record_.held)
    if (std::none_of(l_.fired.begin(), l_.fired.end(),
                     [&](const FiredRule& f) { return same_text(f.rule->id, h.rule); }))
      hold_adjustment(h, h.rule, h.source);
}

// ---- rendering (record_render.hpp) ----------------------------------------------

void SessionPlan::render(Recommendation* out, std::string* json) {
  for (const auto& p : l_.planned)
    if (in_session(p)) record_.techniques.push_back({p.entry, p.result, p.clamp});
  if (record_.techniques.empty()) {  // none left after the holds
    warn("no technique remains for this session after the holds");
    adjust(AdjustmentKind::note, "engine.no-technique", m_.file)
        .because(
            "Every technique is held today: consider postponing the session or a check-in only");
  }
  const RecordView view{record_, m_, s_, l_.home_items, scratch_.render, explain_};
  if (json)
    append_record_json(view, *json);
  else
    render_recommendation(view, *out);
}

}  // namespace fascia::detail
