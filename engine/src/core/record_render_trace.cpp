// The details of a trace entry's outcome (record_render_texts.hpp).
#include "core/record_render_texts.hpp"

namespace fascia::detail {

void write_note_detail(const RecordView& v, const RuleNote& n, std::string& detail) {
  switch (n.why) {
    case RuleNote::Why::suppressed:
      detail = "suppressed by healing response";
      break;
    case RuleNote::Why::condition_failed:
      detail = v.model.rules[n.rule].restricts()
                   ? "condition failed; restricting rule applied conservatively"
                   : "condition failed; permitting rule not applied";
      break;
    case RuleNote::Why::value_absent:
      detail = "a value the condition needs is absent";
      break;
    case RuleNote::Why::healing_in_flare:
      detail =
          "not applied: the client reports an active flare, so the flare response applies "
          "instead of a healing response";
      break;
    case RuleNote::Why::healing_beside_flare:
      detail = "not applied: flare-response rule '";
      detail.append(n.other).append(
          "' applies today, so this is not treated as a healing response");
      break;
  }
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
