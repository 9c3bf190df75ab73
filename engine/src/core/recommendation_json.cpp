// The contract's JSON form of a Recommendation, written in a fixed key order
// so output is byte-identical for identical input.
#include <fascia/recommendation.hpp>

#include "core/json_writer.hpp"

namespace fascia {

namespace {

using detail::JsonWriter;

void write_value(JsonWriter& w, const ParamValue& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          w.null();
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          w.begin_array();
          for (const auto& item : x) w.value(item);
          w.end_array();
        } else {
          w.value(x);
        }
      },
      v);
}

void write_params(JsonWriter& w, const Params& params) {
  for (const auto& p : params) {
    w.key(p.name);
    write_value(w, p.value);
  }
}

}  // namespace

const char* to_string(AdjustmentKind kind) noexcept {
  switch (kind) {
    case AdjustmentKind::pressure_cap:
      return "pressure_cap";
    case AdjustmentKind::technique_added:
      return "technique_added";
    case AdjustmentKind::technique_held:
      return "technique_held";
    case AdjustmentKind::stage_advanced:
      return "stage_advanced";
    case AdjustmentKind::stage_held:
      return "stage_held";
    case AdjustmentKind::stage_regressed:
      return "stage_regressed";
    case AdjustmentKind::frequency_changed:
      return "frequency_changed";
    case AdjustmentKind::duration_changed:
      return "duration_changed";
    case AdjustmentKind::postponed:
      return "postponed";
    case AdjustmentKind::referral:
      return "referral";
    case AdjustmentKind::home_program:
      return "home_program";
    case AdjustmentKind::check_in:
      return "check_in";
    case AdjustmentKind::note:
      return "note";
    case AdjustmentKind::frequency_held:
      return "frequency_held";
  }
  return "note";
}

const char* to_string(TraceEntry::Outcome outcome) noexcept {
  switch (outcome) {
    case TraceEntry::Outcome::fired:
      return "fired";
    case TraceEntry::Outcome::not_fired:
      return "not_fired";
    case TraceEntry::Outcome::unknown:
      return "unknown";
    case TraceEntry::Outcome::error:
      return "error";
    case TraceEntry::Outcome::suppressed:
      return "suppressed";
  }
  return "unknown";
}

std::string to_json(const Recommendation& r, bool pretty) {
  std::string out;
  out.reserve(4096);  // a typical recommendation is 2.5-3 KB: no regrowth
  append_json(r, out, pretty);
  return out;
}

void append_json(const Recommendation& r, std::string& out, bool pretty) {
  JsonWriter w(out, pretty ? 2 : 0);
  w.begin_object();
  w.key("format");
  w.value(r.format);
  w.key("engine");
  w.begin_object();
  w.key("name");
  w.value(r.provenance.engine_name);
  w.key("version");
  w.value(r.provenance.engine_version);
  w.end_object();
  w.key("protocol");
  w.begin_object();
  w.key("id");
  w.value(r.provenance.protocol_id);
  w.key("version");
  w.value(r.provenance.protocol_version);
  w.key("sha256");
  w.value(r.provenance.protocol_sha256);
  w.end_object();
  w.key("plugins");
  w.begin_array();
  for (const auto& p : r.provenance.plugins) {
    w.begin_object();
    w.key("name");
    w.value(p.name);
    w.key("version");
    w.value(p.version);
    w.end_object();
  }
  w.end_array();
  w.key("client_id");
  w.value(r.client_id);
  w.key("as_of");
  w.value(r.as_of);

  const auto& s = r.session;
  w.key("session");
  w.begin_object();
  w.key("stage");
  w.value(s.stage);
  w.key("techniques");
  w.begin_array();
  for (const auto& t : s.techniques) {
    w.begin_object();
    w.key("id");
    w.value(t.id);
    w.key("plugin");
    w.value(t.plugin);
    w.key("plugin_version");
    w.value(t.plugin_version);
    w.key("parameters");
    w.begin_object();
    write_params(w, t.parameters);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.key("pressure_cap");
  w.value(s.pressure_cap);
  w.key("duration_minutes");
  w.value(s.duration_minutes);
  w.key("frequency");
  w.value(s.frequency);
  w.key("next_session_in_days");
  w.value(s.next_session_in_days);
  w.key("postpone_days");
  w.value(s.postpone_days);
  w.key("home_program");
  w.begin_array();
  for (const auto& item : s.home_program) {
    w.begin_object();
    w.key("id");
    w.value(item.id);
    write_params(w, item.parameters);
    w.end_object();
  }
  w.end_array();
  w.key("referral");
  if (s.referral) {
    w.begin_object();
    w.key("to");
    w.value(s.referral->to);
    w.key("rule");
    w.value(s.referral->rule);
    w.key("reason");
    w.value(s.referral->reason);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();

  w.key("held_techniques");
  w.begin_array();
  for (const auto& h : r.held_techniques) {
    w.begin_object();
    w.key("id");
    w.value(h.id);
    w.key("rule");
    w.value(h.rule);
    w.key("reason");
    w.value(h.reason);
    w.end_object();
  }
  w.end_array();

  w.key("adjustments");
  w.begin_array();
  for (const auto& a : r.adjustments) {
    w.begin_object();
    w.key("kind");
    w.value(to_string(a.kind));
    w.key("value");
    write_value(w, a.value);
    w.key("rule");
    w.value(a.rule);
    w.key("reason");
    w.value(a.reason);
    w.key("source");
    w.value(a.source);
    w.end_object();
  }
  w.end_array();
  w.key("warnings");
  w.begin_array();
  for (const auto& warning : r.warnings) w.value(warning);
  w.end_array();
  w.key("fired");
  w.begin_array();
  for (const auto& id : r.fired) w.value(id);
  w.end_array();

  if (!r.trace.empty()) {
    w.key("trace");
    w.begin_array();
    for (const auto& t : r.trace) {
      w.begin_object();
      w.key("rule");
      w.value(t.rule);
      w.key("source");
      w.value(t.source);
      w.key("condition");
      w.value(t.condition);
      w.key("outcome");
      w.value(to_string(t.outcome));
      w.key("values");
      w.begin_object();
      for (const auto& [path, value] : t.values) {
        w.key(path);
        w.value(value);
      }
      w.end_object();
      if (!t.detail.empty()) {
        w.key("detail");
        w.value(t.detail);
      }
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  w.finish();
}

}  // namespace fascia
