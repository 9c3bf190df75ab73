#pragma once
// The two ways a JSON client state is read, side by side: the fast reader
// (core/state_json_fast.cpp) and the located document path it short-cuts. Used by
// tests/core/state_json_fast_test.cpp and the state_json fuzz target, which
// both check that the fast reader accepts only what the document path
// accepts, with the same state.

#include "core/protocol_access.hpp"
#include "core/protocol_model.hpp"
#include "core/state_json_fast.hpp"
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

// The document path alone, as Protocol::parse_state took it before the fast
// reader: true only for a state read with no diagnostics at all.
inline bool read_state_through_document(std::string_view text, const detail::ProtocolModel& model,
                                        ClientState& out) {
  Diagnostics diagnostics;
  detail::yaml::Document document;
  if (!detail::json::parse_state_document(text, "<t>", model.limits, document, diagnostics))
    return false;
  return detail::read_client_state(document, model, {}, out, diagnostics) && diagnostics.empty();
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
    << '|' << s.medications_changed;
  for (const auto& h : s.history) {
    o << "|h:" << h.date.to_string();
    for (const auto& t : h.techniques) o << ',' << t;
    o << ',' << exact(h.pressure) << ',' << exact(h.soreness_24h) << ',' << exact(h.pain_before)
      << ',' << exact(h.pain_after);
  }
  for (const auto& ob : s.observations) {
    o << "|o:" << ob.name << '=' << ob.value.index() << ':';
    if (const auto* b = std::get_if<bool>(&ob.value)) o << *b;
    if (const auto* d = std::get_if<double>(&ob.value)) o << exact(*d);
    if (const auto* t = std::get_if<std::string>(&ob.value)) o << *t;
  }
  return o.str();
}

}  // namespace fascia::test
