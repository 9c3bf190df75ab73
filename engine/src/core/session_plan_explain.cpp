// SessionPlan: rule conditions, recorded in the decision record (the
// --explain trace is rendered from it by record_render.cpp).
#include "core/session_plan.hpp"

#include <algorithm>

namespace fascia::detail {

bool SessionPlan::suppressed(std::size_t rule_index) const {
  return std::find(l_.suppressed.begin(), l_.suppressed.end(), rule_index) != l_.suppressed.end();
}

bool SessionPlan::check_not_boolean(std::size_t index, Truth t) {
  if (t != Truth::error) {
    record_.notes.push_back({index, TraceEntry::Outcome::unknown, RuleNote::Why::value_absent, {}});
    return false;
  }
  const Rule& rule = m_.rules[index];
  const bool apply = rule.restricts();
  warn("rule '" + rule.id + "' (" + rule.source + "): its condition could not be evaluated; " +
       (apply ? "applied to be safe" : "not applied to be safe"));
  record_.notes.push_back({index, TraceEntry::Outcome::error, RuleNote::Why::condition_failed, {}});
  return apply;
}

void SessionPlan::not_applied(const Rule& rule, RuleNote::Why why, std::string_view other) {
  const std::size_t i = index_of(rule);
  record_.fired[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  record_.notes.push_back({i, TraceEntry::Outcome::suppressed, why, other});
}

}  // namespace fascia::detail
