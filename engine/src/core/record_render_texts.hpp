#pragma once
// The texts of a rendering, each written by one function for both forms
// (record_render.cpp): the as-of date, each trace value and outcome; an
// outcome's detail out of their way (record_render_trace.cpp).

#include "core/record_render.hpp"

#include <array>
#include <cstring>
#include <string>

namespace fascia::detail {

// The detail of a rule's note, written over `detail`.
void write_note_detail(const RecordView& v, const RuleNote& note, std::string& detail);
// The detail of a rule's hold, written over `detail`.
void write_held_detail(const DecisionRecord& record, const RuleHeld& held, std::string& detail);

// The trace entry's outcome, and its detail (empty, or written into `text`);
// `noted`: whether the record has notes or held rules.
inline TraceEntry::Outcome trace_outcome(const RecordView& v, std::size_t index, bool noted,
                                         std::string& text, std::string_view& detail) {
  const DecisionRecord& record = v.record;
  auto outcome = DecisionRecord::test(record.fired, index) ? TraceEntry::Outcome::fired
                                                           : TraceEntry::Outcome::not_fired;
  detail = {};
  if (!noted) return outcome;
  for (auto n = record.notes.rbegin(); n != record.notes.rend(); ++n) {
    if (n->rule != index) continue;
    outcome = n->outcome;
    write_note_detail(v, *n, text);
    detail = text;
    break;
  }
  for (const auto& h : record.held_rules) {
    if (h.rule != index) continue;
    outcome = TraceEntry::Outcome::fired;
    write_held_detail(record, h, text);
    detail = text;
  }
  return outcome;
}

// "00" to "99", two characters each.
inline constexpr auto digit_pairs = [] {
  std::array<char, 200> out{};
  for (int i = 0; i < 100; ++i) {
    out[2 * i] = static_cast<char>('0' + i / 10);
    out[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return out;
}();

// "0" to "99", each a view (one load, not its arithmetic).
inline constexpr auto two_digits = [] {
  std::array<std::string_view, 100> out{};
  for (int n = 0; n < 100; ++n) out[n] = {digit_pairs.data() + 2 * n + (n < 10), n < 10 ? 1U : 2U};
  return out;
}();

// Date::to_string() ("%04d-%02d-%02d") without snprintf, into `out` (10
// characters) or, for a date out of its range, into `scratch`.
inline std::string_view write_as_of(const Date& d, char* out, std::string& scratch) {
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99)
    return scratch = d.to_string();
  const auto pair = [&](std::size_t at, int n) { std::memcpy(out + at, &digit_pairs[2 * n], 2); };
  pair(0, d.year / 100);
  pair(2, d.year % 100);
  out[4] = '-';
  pair(5, d.month);
  out[7] = '-';
  pair(8, d.day);
  return {out, 10};
}

// The text of the value a condition read, as append_value() writes it:
// booleans, whole numbers below 100 and the state's own strings without
// writing them anywhere (most values a trace shows), the rest written into
// `scratch`.
inline std::string_view trace_value(const RecordView& v, const FieldInfo& f, std::string& scratch) {
  if (f.type == Type::series)
    return scratch.assign(std::to_string(v.state.history.size())).append(" history entries");
  const Value value = f.getter(v.state, f.arg);
  switch (value.kind) {
    case Value::Kind::boolean:
      return value.boolean ? "true" : "false";
    case Value::Kind::string:
      return value.string;
    case Value::Kind::number:
      if (value.number >= 0 && value.number < 100) {
        const int whole = static_cast<int>(value.number);
        if (whole == value.number) return two_digits[whole];
      }
      break;
    default:
      break;
  }
  scratch.clear();
  append_value(scratch, value);
  return scratch;
}

}  // namespace fascia::detail
