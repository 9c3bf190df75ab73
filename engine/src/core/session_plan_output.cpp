// SessionPlan: writing the recommendation. The cap with the techniques'
// limits, the fired rules' adjustments grouped per rule, the referral and
// the session itself.
#include "core/session_plan.hpp"

#include <algorithm>
#include <bit>

namespace fascia::detail {

Adjustment& SessionPlan::adjust(AdjustmentKind kind, std::string_view rule,
                                std::string_view source) {
  Adjustment& a = next_adjustment(kind, rule, source);
  if (a.value.index() != 0) a.value = std::monostate{};
  return a;
}

Adjustment& SessionPlan::adjust(AdjustmentKind kind, std::string_view value, std::string_view rule,
                                std::string_view source) {
  // Straight into the old value: a text value keeps its buffer.
  Adjustment& a = next_adjustment(kind, rule, source);
  set_text(a.value, value);
  return a;
}

Adjustment& SessionPlan::adjust(AdjustmentKind kind, int value, std::string_view rule,
                                std::string_view source) {
  Adjustment& a = next_adjustment(kind, rule, source);
  a.value = std::int64_t{value};
  return a;
}

// The next adjustment with its value left as it was.
Adjustment& SessionPlan::next_adjustment(AdjustmentKind kind, std::string_view rule,
                                         std::string_view source) {
  Adjustment& a = reuse_slot(r_.adjustments, adjustments_used_);
  a.kind = kind;
  set_if_changed(a.rule, rule);
  a.reason.clear();
  set_if_changed(a.source, source);
  return a;
}

void SessionPlan::finish_cap() {
  // The limits of the techniques that survived the plugins join the cap;
  // a held technique's limit no longer applies.
  cap_ = base_cap_;
  for (const auto& p : planned_)
    if (p.ok && !is_held(p.entry->info.id)) cap_ = std::min(cap_, p.entry->info.max_pressure);
  cap_ = std::clamp(cap_, 1, 10);
  // Rule adjustments first, in rule order, then the implicit limits that bind.
  emit_rule_adjustments();
  const Stage& stage = m_.stages[stage_];
  if (stage.pressure_max == cap_)
    adjust(AdjustmentKind::pressure_cap, cap_, stage.pressure_max_rule, stage.pressure_max_source)
        .reason = stage.pressure_max_reason;
  if (s_.pressure_tolerance == cap_) {
    Adjustment& a =
        adjust(AdjustmentKind::pressure_cap, cap_, "client.pressure_tolerance", "client state");
    a.reason.reserve(56);
    a.reason += "The client tolerates pressure up to ";
    append_int(a.reason, s_.pressure_tolerance);
    a.reason += " (client-rated)";
  }
  for (auto& p : planned_) {
    if (!p.ok || is_held(p.entry->info.id)) continue;
    const TechniqueEntry& e = *p.entry;
    if (e.info.max_pressure == cap_ && cap_ < base_cap_)
      adjust(AdjustmentKind::pressure_cap, cap_, p.configured->max_pressure_rule,
             p.configured->source)
          .reason = p.configured->max_pressure_reason;
    // No parameter may exceed the cap: clamp and say so.
    const PressureClamp clamp = clamp_pressure(e, *p.result, cap_);
    if (clamp.clamped()) {
      Adjustment& a = adjust(AdjustmentKind::pressure_cap, clamp.applied,
                             e.info.id + ".pressure-clamped", p.configured->source);
      a.reason = e.info.display_name + " plugin asked for pressure ";
      append_number(a.reason, clamp.asked());
      append_clamp_reason(clamp, cap_, a.reason);
    }
  }
  r_.session.pressure_cap = cap_;
  emit_plugin_results();
}

// Adjustments of the fired action rules, grouped per rule in rule order.
void SessionPlan::emit_rule_adjustments() {
  const FiredRule* chosen = nullptr;
  std::size_t chosen_reason = 0;  // index of the adjustment with its reason
  for (const auto& f : fired_) {
    const Rule& rule = *f.rule;
    // Rendered once, into the rule's first adjustment; the others copy it.
    std::size_t rendered = kNone;
    // Every caller sets the value: a text value keeps the old one's buffer.
    auto add = [&](AdjustmentKind kind) -> Adjustment& {
      Adjustment& a = next_adjustment(kind, rule.id, rule.source);
      if (rendered == kNone) {
        rule.reason.render_into(s_, values_of(f), a.reason);
        rendered = adjustments_used_ - 1;
      } else {
        a.reason = r_.adjustments[rendered].reason;
      }
      return a;
    };
    if (rule.cap) add(AdjustmentKind::pressure_cap).value = std::int64_t{f.cap};
    for (const auto& h : held_)
      if (same_text(h.rule(), rule.id))  // its reason was rendered when the hold was decided
        adjust(AdjustmentKind::technique_held, h.technique, rule.id, rule.source).reason = h.reason;
    for (const auto& a : added_)
      if (a.rule == &rule && !is_held(a.technique))
        set_text(add(AdjustmentKind::technique_added).value, a.technique);
    if (rule.duration_minutes)
      add(AdjustmentKind::duration_changed).value = std::int64_t{f.duration};
    if (rule.postpone_days) {
      add(AdjustmentKind::postponed).value = std::int64_t{f.postpone};
      postpone_ = std::max(postpone_, f.postpone);
    }
    if (!rule.refer.empty()) {
      set_text(add(AdjustmentKind::referral).value, rule.refer);
      if (!chosen || rule.priority > chosen->rule->priority) {
        chosen = &f;
        chosen_reason = adjustments_used_ - 1;
      }
    }
    if (!rule.check_in.empty()) set_text(add(AdjustmentKind::check_in).value, rule.check_in);
    if (!rule.note.empty()) set_text(add(AdjustmentKind::note).value, rule.note);
    for (const auto& item : rule.home_program) {
      if (find_home_item(item.id) == kNone)
        set_text(add(AdjustmentKind::home_program).value, item.id);
      add_rule_home_item(item);
    }
  }
  // Holds of plugins, floors and red flags outside the fired rules are
  // reported too.
  for (const auto& h : held_) {
    bool from_rule = false;
    for (const auto& f : fired_) from_rule = from_rule || same_text(f.rule->id, h.rule());
    if (!from_rule)
      adjust(AdjustmentKind::technique_held, h.technique, h.rule(), h.source).reason = h.reason;
  }
  if (!chosen) {
    r_.session.referral.reset();
  } else {
    Referral& referral = r_.session.referral ? *r_.session.referral : r_.session.referral.emplace();
    set_if_changed(referral.to, chosen->rule->refer);
    set_if_changed(referral.rule, chosen->rule->id);
    referral.reason = r_.adjustments[chosen_reason].reason;
  }
  record_.referral = chosen ? chosen->rule : nullptr;
}

void SessionPlan::finish_session() {
  auto& session = r_.session;
  session.duration_minutes = duration_;
  session.postpone_days = postpone_;
  if (session.techniques.empty()) session.techniques.reserve(planned_.size());
  for (auto& p : planned_) {
    if (!p.ok || is_held(p.entry->info.id) || p.entry->info.kind != TechniqueKind::in_session)
      continue;
    auto& t = reuse_slot(session.techniques, techniques_used_);
    // A new element takes the draft's copy of the id (the draft makes
    // another next time); a reused one keeps its own when it matches.
    if (t.id.empty() && p.draft_index != kNone)
      t.id.swap(scratch_.draft.techniques[p.draft_index]);
    else
      set_if_changed(t.id, p.entry->info.id);
    set_if_changed(t.plugin, p.entry->plugin->description.name);
    set_if_changed(t.plugin_version, p.entry->plugin->description.version);
    t.parameters.swap(p.result->parameters);
  }
  if (r_.held_techniques.empty() && !held_.empty()) r_.held_techniques.reserve(held_.size());
  for (auto& h : held_) {
    auto& out = reuse_slot(r_.held_techniques, held_used_);
    set_if_changed(out.id, h.technique);
    set_if_changed(out.rule, h.rule());
    out.reason = std::move(h.reason);  // every adjustment that needs it has copied it
  }
  if (techniques_used_ == 0) {
    warn("no technique remains for this session after the holds");
    adjust(AdjustmentKind::note, "engine.no-technique", m_.file).reason =
        "Every technique is held today: consider postponing the session or a check-in only";
  }
}

// What a reused recommendation had beyond this one's content goes.
void SessionPlan::trim_output() {
  trim_unused(r_.provenance.plugins, plugins_used_);
  trim_unused(r_.session.techniques, techniques_used_);
  trim_unused(r_.held_techniques, held_used_);
  trim_unused(r_.adjustments, adjustments_used_);
  trim_unused(r_.warnings, warnings_used_);
  trim_unused(r_.session.home_program, home_used_);
}

}  // namespace fascia::detail
