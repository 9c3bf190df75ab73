// SessionPlan: rule conditions, and the --explain trace of every rule
// considered with the values it saw.
#include "core/session_plan.hpp"

#include <algorithm>
#include <utility>

namespace fascia::detail {

bool SessionPlan::suppressed(std::size_t rule_index) const {
  return std::find(suppressed_.begin(), suppressed_.end(), rule_index) != suppressed_.end();
}

Fired SessionPlan::check_in_full(const Rule& rule) {
  if (!suppressed_.empty() && suppressed(index_of(rule))) {
    if (explain_) trace(rule, TraceEntry::Outcome::suppressed, "suppressed by healing response");
    return Fired::no;
  }
  const Value v = rule.when.evaluate(s_);
  if (v.kind == Value::Kind::boolean) {
    if (explain_)
      trace(rule, v.boolean ? TraceEntry::Outcome::fired : TraceEntry::Outcome::not_fired, {});
    return v.boolean ? mark_fired(rule) : Fired::no;
  }
  return check_not_boolean(rule, v);
}

// A condition that failed or lacks a value.
Fired SessionPlan::check_not_boolean(const Rule& rule, const Value& v) {
  if (v.kind == Value::Kind::error) {
    const bool apply = rule.restricts();
    warn("rule '" + rule.id + "' (" + rule.source + "): its condition could not be evaluated; " +
         (apply ? "applied to be safe" : "not applied to be safe"));
    if (explain_)
      trace(rule, TraceEntry::Outcome::error,
            apply ? "condition failed; restricting rule applied conservatively"
                  : "condition failed; permitting rule not applied");
    return apply ? mark_fired(rule) : Fired::no;
  }
  if (explain_) trace(rule, TraceEntry::Outcome::unknown, "a value the condition needs is absent");
  return Fired::no;
}

bool SessionPlan::fires_quietly(const Rule& rule) const {
  if (!suppressed_.empty() && suppressed(index_of(rule))) return false;
  const Value v = rule.when.evaluate(s_);
  if (v.kind == Value::Kind::error) return rule.restricts();
  return v.kind == Value::Kind::boolean && v.boolean;
}

const Rule* SessionPlan::first_firing(const std::vector<std::size_t>& rules) {
  const Rule* found = nullptr;
  for (std::size_t index : rules) {
    const Rule& rule = m_.rules[index];
    if (check(rule) == Fired::yes && !found) found = &rule;
  }
  return found;
}

void SessionPlan::trace(const Rule& rule, TraceEntry::Outcome outcome, std::string detail) {
  TraceEntry e;
  e.rule = rule.id;
  e.source = rule.source;
  e.condition = rule.when.text();
  e.outcome = outcome;
  e.detail = std::move(detail);
  for (const FieldInfo* f : rule.when.fields_used()) {
    if (f->type == Type::series) {
      e.values.emplace_back(f->path, std::to_string(s_.history.size()) + " history entries");
    } else {
      e.values.emplace_back(f->path, format_value(f->getter(s_, f->arg)));
    }
  }
  r_.trace.push_back(std::move(e));
}

void SessionPlan::trace_not_applied(const Rule& rule, TraceEntry::Outcome outcome,
                                    std::string detail) {
  if (outcome != TraceEntry::Outcome::fired) unmark_fired(rule);
  if (!explain_) return;
  for (auto it = r_.trace.rbegin(); it != r_.trace.rend(); ++it) {
    if (it->rule != rule.id) continue;
    it->outcome = outcome;
    it->detail = std::move(detail);
    return;
  }
}

}  // namespace fascia::detail
