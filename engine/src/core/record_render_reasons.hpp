#pragma once
// The reasons of a decision record, for record_render.cpp: a text, or a
// rule's reason template rendered only by the form that writes it (the
// Recommendation's string, or straight into the JSON document).

#include "core/reason_compiler.hpp"
#include "core/record_render.hpp"

#include <charconv>
#include <string>
#include <string_view>

namespace fascia::detail {

// A reason: a text, or a rule's template not rendered yet (`by` set): each
// form renders it into its own output (JSON straight into the document).
struct Reason {
  std::string_view text;
  const Rule* by = nullptr;
  const ReasonValues* values = nullptr;
  const std::int64_t* tolerance = nullptr;  // set: tolerance_open, the number, tolerance_close
};

// The client's tolerance as a reason, around its number: the JSON string's
// pieces (quotes included); the Recommendation's text is them without quotes.
inline constexpr char tolerance_open[] = "\"The client tolerates pressure up to ";
inline constexpr char tolerance_close[] = " (client-rated)\"";

inline Reason rule_reason(const Rule& rule, const ReasonValues& values) {
  if (const std::string* text = constant_reason(rule.reason)) return {*text};
  return {{}, &rule, &values};
}

// An adjustment's reason: its own text, its rule's, or the client's tolerance.
inline Reason reason_of(const RecordView& v, const AdjustmentRecord& a) {
  switch (a.reason) {
    case AdjustmentRecord::Reason::none:
      return {};
    case AdjustmentRecord::Reason::rule:
      return rule_reason(*a.by, a.values);
    case AdjustmentRecord::Reason::text:
      return {a.reason_text};
    case AdjustmentRecord::Reason::tolerance:
      return {{}, nullptr, nullptr, &a.number};
    case AdjustmentRecord::Reason::same_as:
      return reason_of(v, v.record.adjustments[a.same_as]);
    case AdjustmentRecord::Reason::plugin:
      return {a.plugin->reason};
  }
  return {};
}

// The reason as the Recommendation's text, written over `to`.
inline void assign_reason(const RecordView& v, const Reason& reason, std::string& to) {
  if (reason.tolerance) {
    char n[24];
    return void(to.assign(tolerance_open + 1)
                    .append(n, std::to_chars(n, n + sizeof n, *reason.tolerance).ptr)
                    .append(tolerance_close, sizeof tolerance_close - 2));
  }
  if (!reason.by) return void(to = reason.text);
  to.clear();
  reason.by->reason.render_into(v.state, *reason.values, to);
}

// The reason as a JSON string value.
inline void write_reason(const RecordView& v, const Reason& reason, JsonWriter& w) {
  if (reason.tolerance) {
    w.lit(tolerance_open, *reason.tolerance);
    return w.lit(tolerance_close);
  }
  if (!reason.by) return w.string(reason.text);
  const auto& texts =
      v.scratch.quoted.rule(static_cast<std::size_t>(reason.by - v.model.rules.data()));
  write_reason(reason.by->reason, texts.reason_pieces.data(), v.state, *reason.values, w,
               v.scratch.text);
}

}  // namespace fascia::detail
