// SessionPlan: the cap with the techniques' limits, the fired rules'
// adjustments grouped per rule, the referral and the session, recorded; and
// the Recommendation rendered from the record (reasons written only here).
#include "core/session_plan.hpp"

#include <algorithm>
#include <charconv>

namespace fascia::detail {

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
    adjust(AdjustmentKind::pressure_cap, stage.pressure_max_rule, stage.pressure_max_source)
        .with(cap_)
        .because(stage.pressure_max_reason);
  if (s_.pressure_tolerance == cap_) {
    auto& a = adjust(AdjustmentKind::pressure_cap, "client.pressure_tolerance", "client state")
                  .with(cap_);
    a.reason = AdjustmentRecord::Reason::tolerance;
  }
  for (auto& p : planned_) {
    if (!p.ok || is_held(p.entry->info.id)) continue;
    const TechniqueEntry& e = *p.entry;
    if (e.info.max_pressure == cap_ && cap_ < base_cap_)
      adjust(AdjustmentKind::pressure_cap, p.configured->max_pressure_rule, p.configured->source)
          .with(cap_)
          .because(p.configured->max_pressure_reason);
    // No parameter may exceed the cap: clamp and say so.
    const PressureClamp& clamp = p.clamp = clamp_pressure(e, p.result->result, cap_);
    if (clamp.clamped()) {
      std::string reason = e.info.display_name + " plugin asked for pressure ";
      append_number(reason, clamp.asked());
      append_clamp_reason(clamp, cap_, reason);
      auto& a =
          adjust(AdjustmentKind::pressure_cap, e.info.id, p.configured->source).with(clamp.applied);
      a.rule_suffix = "pressure-clamped";
      a.suffixed = true;
      a.because(record_.own(std::move(reason)));
    }
  }
  emit_plugin_results();
}

// Adjustments of the fired action rules, grouped per rule in rule order.
void SessionPlan::emit_rule_adjustments() {
  const FiredRule* chosen = nullptr;
  for (const auto& f : fired_) {
    const Rule& rule = *f.rule;
    // Rendered once, for the rule's first adjustment; the others repeat it.
    std::size_t first = no_index;
    auto add = [&](AdjustmentKind kind) -> AdjustmentRecord& {
      AdjustmentRecord& a = adjust(kind, rule.id, rule.source);
      if (first == no_index) {
        a.because(rule, values_of(f));
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
    for (const auto& a : added_)
      if (a.rule == &rule && !is_held(a.technique))
        add(AdjustmentKind::technique_added).with(a.technique);
    if (rule.duration_minutes) add(AdjustmentKind::duration_changed).with(f.duration);
    if (rule.postpone_days) {
      add(AdjustmentKind::postponed).with(f.postpone);
      postpone_ = std::max(postpone_, f.postpone);
    }
    if (!rule.refer.empty()) {
      add(AdjustmentKind::referral).with(rule.refer);
      if (!chosen || rule.priority > chosen->rule->priority) {
        chosen = &f;
        record_.referral_reason = first;
      }
    }
    if (!rule.check_in.empty()) add(AdjustmentKind::check_in).with(rule.check_in);
    if (!rule.note.empty()) add(AdjustmentKind::note).with(rule.note);
    for (const auto& item : rule.home_program) {
      if (find_home_item(item.id) == no_index) add(AdjustmentKind::home_program).with(item.id);
      add_rule_home_item(item);
    }
  }
  // Holds of plugins, floors and red flags outside the fired rules are
  // reported too.
  for (const auto& h : record_.held) {
    bool from_rule = false;
    for (const auto& f : fired_) from_rule = from_rule || same_text(f.rule->id, h.rule);
    if (!from_rule) hold_adjustment(h, h.rule, h.source);
  }
  record_.referral = chosen ? chosen->rule : nullptr;
}

void SessionPlan::hold_adjustment(const HoldRecord& h, std::string_view rule,
                                  std::string_view source) {
  auto& a = adjust(AdjustmentKind::technique_held, rule, source).with(h.technique);
  if (h.by_rule)
    a.because(*h.by_rule, h.values);
  else
    a.because(h.reason);
}

bool SessionPlan::in_session(const Planned& p) const {
  return p.ok && !is_held(p.entry->info.id) && p.entry->info.kind == TechniqueKind::in_session;
}

void SessionPlan::finish_session() {
  if (std::none_of(planned_.begin(), planned_.end(),
                   [&](const Planned& p) { return in_session(p); })) {
    warn("no technique remains for this session after the holds");
    adjust(AdjustmentKind::note, "engine.no-technique", m_.file)
        .because(
            "Every technique is held today: consider postponing the session or a check-in only");
  }
}

// ---- rendering ---------------------------------------------------------------
// Written over what `r_` holds: a reused recommendation's strings and lists
// keep their memory (Protocol::evaluate_into).

void SessionPlan::render() {
  r_.format = recommendation_format;
  auto& p = r_.provenance;
  p.engine_name.assign(engine_name);
  p.engine_version.assign(engine_version);
  p.protocol_id.assign(m_.id);
  p.protocol_version.assign(m_.version);
  p.protocol_sha256.assign(m_.sha256);
  p.plugins.resize(m_.plugins.size());
  for (std::size_t i = 0; i < m_.plugins.size(); ++i) {
    p.plugins[i].name.assign(m_.plugins[i].name);
    p.plugins[i].version.assign(m_.plugins[i].plugin->description.version);
  }
  r_.client_id.assign(s_.client_id);
  const Date& d = s_.as_of;
  if (d.year >= 0 && d.year <= 9999 && d.month >= 0 && d.month <= 99 && d.day >= 0 && d.day <= 99) {
    // Date::to_string() ("%04d-%02d-%02d") without snprintf.
    r_.as_of.resize(10);
    auto digits = [&](std::size_t at, int value, std::size_t width) {
      for (std::size_t i = width; i-- > 0; value /= 10)
        r_.as_of[at + i] = static_cast<char>('0' + value % 10);
    };
    digits(0, d.year, 4);
    r_.as_of[4] = '-';
    digits(5, d.month, 2);
    r_.as_of[7] = '-';
    digits(8, d.day, 2);
  } else {
    r_.as_of = d.to_string();
  }
  render_session();
  render_adjustments();
  r_.warnings = record_.warnings;
  render_fired(record_, m_, r_.fired);
  if (explain_)
    render_trace(record_, m_, s_, r_.trace);
  else
    r_.trace.clear();
}

void SessionPlan::render_session() {
  auto& session = r_.session;
  session.stage.assign(m_.stages[record_.stage].id);
  session.frequency.assign(m_.ladder[record_.frequency].id);
  session.next_session_in_days = m_.ladder[record_.frequency].interval_days;
  session.pressure_cap = record_.pressure_cap;
  session.duration_minutes = record_.duration_minutes;
  session.postpone_days = record_.postpone_days;
  session.techniques.resize(static_cast<std::size_t>(std::count_if(
      planned_.begin(), planned_.end(), [&](const Planned& p) { return in_session(p); })));
  std::size_t next = 0;
  for (auto& p : planned_) {
    if (!in_session(p)) continue;
    auto& t = session.techniques[next++];
    t.id.assign(p.entry->info.id);
    t.plugin.assign(p.entry->plugin->description.name);
    t.plugin_version.assign(p.entry->plugin->description.version);
    t.parameters = p.result->result.parameters;
    apply_clamp(p.clamp, t.parameters);
  }
  r_.held_techniques.resize(record_.held.size());
  for (std::size_t i = 0; i < record_.held.size(); ++i) {
    const HoldRecord& h = record_.held[i];
    auto& out = r_.held_techniques[i];
    out.id.assign(h.technique);
    out.rule.assign(h.rule);
    out.reason.clear();
    if (h.by_rule)
      h.by_rule->reason.render_into(s_, h.values, out.reason);
    else
      out.reason.assign(h.reason);
  }
  if (!record_.referral) {
    session.referral.reset();
  } else {
    Referral& referral = session.referral ? *session.referral : session.referral.emplace();
    referral.to.assign(record_.referral->refer);
    referral.rule.assign(record_.referral->id);
  }
}

void SessionPlan::render_adjustments() {
  const auto& records = record_.adjustments;
  r_.adjustments.resize(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const AdjustmentRecord& in = records[i];
    Adjustment& a = r_.adjustments[i];
    a.kind = in.kind;
    switch (in.value) {
      case AdjustmentRecord::Value::none:
        a.value = std::monostate{};
        break;
      case AdjustmentRecord::Value::number:
        a.value = in.number;
        break;
      case AdjustmentRecord::Value::text:
        // Into the old text value's buffer when there is one.
        if (auto* text = std::get_if<std::string>(&a.value))
          text->assign(in.text);
        else
          a.value.emplace<std::string>(in.text);
        break;
      case AdjustmentRecord::Value::plugin:
        a.value = in.plugin->value;
        break;
    }
    a.rule.assign(in.rule);
    if (in.suffixed) a.rule.append(1, '.').append(in.rule_suffix);
    a.source.assign(in.source);
    a.reason.clear();
    switch (in.reason) {
      case AdjustmentRecord::Reason::none:
        break;
      case AdjustmentRecord::Reason::rule:
        in.by->reason.render_into(s_, in.values, a.reason);
        break;
      case AdjustmentRecord::Reason::text:
        a.reason.assign(in.reason_text);
        break;
      case AdjustmentRecord::Reason::tolerance: {
        char digits[24];
        a.reason.assign("The client tolerates pressure up to ")
            .append(digits, std::to_chars(digits, digits + sizeof digits, in.number).ptr)
            .append(" (client-rated)");
        break;
      }
      case AdjustmentRecord::Reason::same_as:
        a.reason.assign(r_.adjustments[in.same_as].reason);
        break;
      case AdjustmentRecord::Reason::plugin:
        a.reason.assign(in.plugin->reason);
        break;
    }
  }
  if (record_.referral)
    r_.session.referral->reason.assign(r_.adjustments[record_.referral_reason].reason);
}

}  // namespace fascia::detail
