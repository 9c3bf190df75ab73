// SessionPlan: rule conditions, recorded in the decision record; and the
// rendering of Recommendation::fired and the --explain trace from it.
#include "core/session_plan.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <utility>

namespace fascia::detail {

bool SessionPlan::suppressed(std::size_t rule_index) const {
  return std::find(suppressed_.begin(), suppressed_.end(), rule_index) != suppressed_.end();
}

Fired SessionPlan::check_suppressed(const Rule& rule) {
  if (suppressed(index_of(rule))) {
    note(rule, TraceEntry::Outcome::suppressed, RuleNote::Why::suppressed);
    return Fired::no;
  }
  return check_value(rule, rule.when.evaluate(s_));
}

// A condition that failed or lacks a value.
Fired SessionPlan::check_not_boolean(const Rule& rule, const Value& v) {
  if (v.kind == Value::Kind::error) {
    const bool apply = rule.restricts();
    warn("rule '" + rule.id + "' (" + rule.source + "): its condition could not be evaluated; " +
         (apply ? "applied to be safe" : "not applied to be safe"));
    note(rule, TraceEntry::Outcome::error, RuleNote::Why::condition_failed);
    return apply ? mark_fired(rule) : Fired::no;
  }
  note(rule, TraceEntry::Outcome::unknown, RuleNote::Why::value_absent);
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

void SessionPlan::not_applied(const Rule& rule, RuleNote::Why why, std::string_view other) {
  DecisionRecord::reset(record_.fired, index_of(rule));
  record_.notes.push_back({index_of(rule), TraceEntry::Outcome::suppressed, why, other});
}

void SessionPlan::held_back(const Rule& rule, std::string_view by, bool by_red_flag) {
  record_.held_rules.push_back({index_of(rule), by, by_red_flag});
}

// ---- rendering ---------------------------------------------------------------

void render_fired(const DecisionRecord& record, const ProtocolModel& model,
                  std::vector<std::string>& out) {
  std::size_t used = 0;
  for (std::size_t word = 0; word < record.fired.size(); ++word)
    for (std::uint64_t w = record.fired[word]; w != 0; w &= w - 1) {
      const auto bit = static_cast<std::size_t>(std::countr_zero(w));
      const std::string& id = model.rules[word * 64 + bit].id;
      if (used < out.size())
        out[used].assign(id);
      else
        out.push_back(id);
      ++used;
    }
  out.resize(used);
}

namespace {

// The detail of a rule's trace entry, from the last note about it.
void write_note(const RuleNote& n, const Rule& rule, std::string& out) {
  switch (n.why) {
    case RuleNote::Why::suppressed:
      out = "suppressed by healing response";
      return;
    case RuleNote::Why::condition_failed:
      out = rule.restricts() ? "condition failed; restricting rule applied conservatively"
                             : "condition failed; permitting rule not applied";
      return;
    case RuleNote::Why::value_absent:
      out = "a value the condition needs is absent";
      return;
    case RuleNote::Why::healing_in_flare:
      out =
          "not applied: the client reports an active flare, so the flare response applies "
          "instead of a healing response";
      return;
    case RuleNote::Why::healing_beside_flare:
      out = "not applied: flare-response rule '";
      out.append(n.other).append("' applies today, so this is not treated as a healing response");
      return;
  }
}

// Written over `e`'s old content (a reused recommendation's entry keeps its
// strings' memory).
void write_entry(const DecisionRecord& record, const ProtocolModel& model, const ClientState& state,
                 std::size_t index, TraceEntry& e) {
  const Rule& rule = model.rules[index];
  e.rule.assign(rule.id);
  e.source.assign(rule.source);
  e.condition.assign(rule.when.text());
  e.outcome = DecisionRecord::test(record.fired, index) ? TraceEntry::Outcome::fired
                                                        : TraceEntry::Outcome::not_fired;
  e.detail.clear();
  for (auto n = record.notes.rbegin(); n != record.notes.rend(); ++n)
    if (n->rule == index) {
      e.outcome = n->outcome;
      write_note(*n, rule, e.detail);
      break;
    }
  for (const auto& h : record.held_rules) {
    if (h.rule != index) continue;
    e.outcome = TraceEntry::Outcome::fired;
    if (h.by_red_flag) {
      e.detail.assign("fired, but held: ").append(record.red_flag_what);
      e.detail.append(" (").append(record.red_flag_rule).append(")");
    } else {
      e.detail.assign("fired, but held by '").append(h.by).append("'");
    }
  }
  const auto& fields = rule.when.fields_used();
  e.values.resize(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldInfo& f = *fields[i];
    auto& [path, value] = e.values[i];
    path.assign(f.path);
    value.clear();
    if (f.type == Type::series) {
      char digits[24];
      value.append(digits, std::to_chars(digits, digits + sizeof digits, state.history.size()).ptr);
      value.append(" history entries");
    } else {
      append_value(value, f.getter(state, f.arg));
    }
  }
}

}  // namespace

// The rules in the order SessionPlan::run() evaluates them.
void render_trace(const DecisionRecord& record, const ProtocolModel& model,
                  const ClientState& state, std::vector<TraceEntry>& out) {
  const Stage& stage = model.stages[record.current_stage];
  const std::vector<std::size_t>* const steps[] = {
      &model.healing, &stage.regress, &stage.hold,    &model.step_up,  &model.caps,
      &model.flare,   &model.general, &stage.advance, &model.step_down};
  std::size_t count = 0;
  for (const auto* rules : steps)
    for (std::size_t index : *rules) count += DecisionRecord::test(record.evaluated, index);
  out.resize(count);
  std::size_t next = 0;
  for (const auto* rules : steps)
    for (std::size_t index : *rules)
      if (DecisionRecord::test(record.evaluated, index))
        write_entry(record, model, state, index, out[next++]);
}

}  // namespace fascia::detail
