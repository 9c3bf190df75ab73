// The details of a trace entry's outcome (record_render_texts.hpp).
#include "core/record_render_texts.hpp"

namespace fascia::detail {

void write_note_detail(const RecordView& v, const RuleNote& n, std::string& detail) {
  using enum RuleNote::Why;
  if (n.why == suppressed)
    detail = "suppressed by healing response";
  else if (n.why == condition_failed)
    detail = v.model.rules[n.rule].restricts()
                 ? "condition failed; restricting rule applied conservatively"
                 : "condition failed; permitting rule not applied";
  else if (n.why == value_absent)
    detail = "a value the condition needs is absent";
  else if (n.why == healing_in_flare)
    detail =
        "not applied: the client reports an active flare, so the flare response applies "
        "instead of a healing response";
  else  // healing_beside_flare
    detail.assign("not applied: flare-response rule '")
        .append(n.other)
        .append("' applies today, so this is not treated as a healing response");
}

void write_held_detail(const DecisionRecord& record, const RuleHeld& h, std::string& detail) {
  if (h.by_red_flag)
    detail.assign("fired, but held: ")
        .append(record.red_flag_what)
        .append(" (")
        .append(h.by)
        .append(")");
  else
    detail.assign("fired, but held by '").append(h.by).append("'");
}

}  // namespace fascia::detail
