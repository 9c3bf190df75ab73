#pragma once
// The two readers of client states side by side on the same JSON text: the
// JSON state reader (core/state_json_reader.hpp) and the tree reader
// (core/state_reader.hpp, over the JSON parser's located tree, the reader
// of YAML states and of states edited by --set). Used by
// tests/core/state_json_reader_test.cpp and the state_json fuzz target,
// which both check that the two give the same state and the same
// diagnostics, byte for byte (messages, locations, fields, order).

#include "core/protocol_access.hpp"
#include "core/protocol_model.hpp"
#include "core/state_json_reader.hpp"
#include "core/state_reader.hpp"
#include "json/json_document.hpp"

#include <fascia/client_state.hpp>

#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace fascia::test {

// Every diagnostic as one line: location, severity, code, message, fields.
inline std::string dump(const Diagnostics& diagnostics) {
  std::ostringstream o;
  for (const auto& d : diagnostics) {
    o << d.to_string() << " [" << static_cast<int>(d.code) << "]";
    for (const auto& f : d.fields) o << " {" << f << "}";
    o << '\n';
  }
  return o.str();
}

inline std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

template <class T>
std::string exact(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, double>)
    return exact(*v);
  else
    return std::to_string(*v);
}

// Every field of a state as text, doubles exactly: equal texts, equal states.
inline std::string dump(const ClientState& s) {
  std::ostringstream o;
  o << s.format << '|' << s.client_id << '|' << s.condition << '|' << s.as_of.to_string() << '|'
    << s.program.stage << '|' << s.program.sessions_completed << '|'
    << exact(s.program.sessions_in_stage) << '|' << s.program.weeks_in_program << '|'
    << s.program.frequency << '|' << s.program.missed_sessions_30d << '|' << exact(s.pain.current)
    << '|' << exact(s.pain.baseline) << '|' << static_cast<int>(s.sensitivity) << '|'
    << s.pressure_tolerance << '|' << exact(s.sleep_quality) << '|' << s.flare.active << '|'
    << exact(s.flare.severity) << '|' << exact(s.flare.days_since_last) << '|' << s.flare.count_30d
    << '|' << s.medications_changed << '|' << (s.last_missed ? s.last_missed->to_string() : "-");
  for (const auto& h : s.history) {
    o << "|h:" << h.date.to_string();
    for (const auto& t : h.techniques) o << ',' << t;
    o << ',' << exact(h.pressure) << ',' << exact(h.soreness_24h) << ',' << exact(h.pain_before)
      << ',' << exact(h.pain_after) << ',' << h.stage;
  }
  for (const auto& reason : s.history_overrides) o << "|r:" << reason;
  for (const auto& ob : s.observations) {
    o << "|o:" << ob.name << '=' << ob.value.index() << ':';
    if (const auto* b = std::get_if<bool>(&ob.value)) o << *b;
    if (const auto* d = std::get_if<double>(&ob.value)) o << exact(*d);
    if (const auto* t = std::get_if<std::string>(&ob.value)) o << *t;
  }
  return o.str();
}

struct StateRead {
  detail::JsonStateStatus status = detail::JsonStateStatus::not_json;
  std::string state;  // dump() of the state when read without errors
  std::string diagnostics;
};

// The JSON state reader.
inline StateRead read_with_json_reader(std::string_view text, const detail::ProtocolModel& model) {
  StateRead out;
  ClientState state;
  Diagnostics diagnostics;
  out.status = detail::read_json_state(text, "<t>", model, state, diagnostics);
  if (out.status == detail::JsonStateStatus::read && !has_errors(diagnostics))
    out.state = dump(state);
  out.diagnostics = dump(diagnostics);
  return out;
}

// The JSON parser's tree read by the tree reader; not_json when the text
// is not strict JSON (the YAML loader then reads it).
inline StateRead read_with_tree_reader(std::string_view text, const detail::ProtocolModel& model) {
  StateRead out;
  Diagnostics diagnostics;
  detail::yaml::Document document;
  switch (detail::json::parse_json_document(text, "<t>", model.limits, document, diagnostics)) {
    case detail::json::JsonStatus::not_json:
      return out;
    case detail::json::JsonStatus::invalid:
      out.status = detail::JsonStateStatus::invalid;
      out.diagnostics = dump(diagnostics);
      return out;
    case detail::json::JsonStatus::ok:
      break;
  }
  out.status = detail::JsonStateStatus::read;
  ClientState state;
  if (detail::read_client_state(document, model, {}, state, diagnostics)) out.state = dump(state);
  out.diagnostics = dump(diagnostics);
  return out;
}

// "" when both readers agree, else what differs.
inline std::string compare_readers(std::string_view text, const detail::ProtocolModel& model) {
  if (!detail::json::looks_like_json_object(text)) return {};
  const StateRead json = read_with_json_reader(text, model);
  const StateRead tree = read_with_tree_reader(text, model);
  if (json.status == tree.status && json.state == tree.state &&
      json.diagnostics == tree.diagnostics)
    return {};
  return "status " + std::to_string(static_cast<int>(json.status)) + " vs " +
         std::to_string(static_cast<int>(tree.status)) + "\nJSON reader:\n" + json.state + "\n" +
         json.diagnostics + "tree reader:\n" + tree.state + "\n" + tree.diagnostics;
}

}  // namespace fascia::test
