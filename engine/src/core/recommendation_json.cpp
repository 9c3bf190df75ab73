// The contract's JSON form of a Recommendation. nlohmann::ordered_json keeps
// keys in insertion order so output is byte-identical for identical input.
#include <fascia/recommendation.hpp>

#include <nlohmann/json.hpp>

namespace fascia {

namespace {

using Json = nlohmann::ordered_json;

Json to_json_value(const ParamValue& v) {
  return std::visit(
      [](const auto& x) -> Json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else return x;
      },
      v);
}

Json params_json(const Params& params) {
  Json out = Json::object();
  for (const auto& p : params) out[p.name] = to_json_value(p.value);
  return out;
}

}  // namespace

const char* to_string(AdjustmentKind kind) noexcept {
  switch (kind) {
    case AdjustmentKind::pressure_cap: return "pressure_cap";
    case AdjustmentKind::technique_added: return "technique_added";
    case AdjustmentKind::technique_held: return "technique_held";
    case AdjustmentKind::stage_advanced: return "stage_advanced";
    case AdjustmentKind::stage_held: return "stage_held";
    case AdjustmentKind::stage_regressed: return "stage_regressed";
    case AdjustmentKind::frequency_changed: return "frequency_changed";
    case AdjustmentKind::duration_changed: return "duration_changed";
    case AdjustmentKind::postponed: return "postponed";
    case AdjustmentKind::referral: return "referral";
    case AdjustmentKind::home_program: return "home_program";
    case AdjustmentKind::check_in: return "check_in";
    case AdjustmentKind::note: return "note";
  }
  return "note";
}

const char* to_string(TraceEntry::Outcome outcome) noexcept {
  switch (outcome) {
    case TraceEntry::Outcome::fired: return "fired";
    case TraceEntry::Outcome::not_fired: return "not_fired";
    case TraceEntry::Outcome::unknown: return "unknown";
    case TraceEntry::Outcome::error: return "error";
    case TraceEntry::Outcome::suppressed: return "suppressed";
    case TraceEntry::Outcome::skipped: return "skipped";
  }
  return "unknown";
}

std::string to_json(const Recommendation& r, bool pretty) {
  Json j;
  j["format"] = r.format;
  j["engine"] = {{"name", r.provenance.engine_name}, {"version", r.provenance.engine_version}};
  j["protocol"] = {{"id", r.provenance.protocol_id},
                   {"version", r.provenance.protocol_version},
                   {"sha256", r.provenance.protocol_sha256}};
  Json plugins = Json::array();
  for (const auto& p : r.provenance.plugins) plugins.push_back({{"name", p.name}, {"version", p.version}});
  j["plugins"] = std::move(plugins);
  j["client_id"] = r.client_id;
  j["as_of"] = r.as_of;

  const auto& s = r.session;
  Json session;
  session["stage"] = s.stage;
  Json techniques = Json::array();
  for (const auto& t : s.techniques)
    techniques.push_back({{"id", t.id},
                          {"plugin", t.plugin},
                          {"plugin_version", t.plugin_version},
                          {"parameters", params_json(t.parameters)}});
  session["techniques"] = std::move(techniques);
  session["pressure_cap"] = s.pressure_cap;
  session["duration_minutes"] = s.duration_minutes;
  session["frequency"] = s.frequency;
  session["next_session_in_days"] = s.next_session_in_days;
  session["postpone_days"] = s.postpone_days;
  Json home = Json::array();
  for (const auto& item : s.home_program) {
    Json h;
    h["id"] = item.id;
    for (const auto& p : item.parameters) h[p.name] = to_json_value(p.value);
    home.push_back(std::move(h));
  }
  session["home_program"] = std::move(home);
  if (s.referral)
    session["referral"] = {{"to", s.referral->to}, {"rule", s.referral->rule}, {"reason", s.referral->reason}};
  else
    session["referral"] = nullptr;
  j["session"] = std::move(session);

  Json held = Json::array();
  for (const auto& h : r.held_techniques)
    held.push_back({{"id", h.id}, {"rule", h.rule}, {"reason", h.reason}});
  j["held_techniques"] = std::move(held);

  Json adjustments = Json::array();
  for (const auto& a : r.adjustments)
    adjustments.push_back({{"kind", to_string(a.kind)},
                           {"value", to_json_value(a.value)},
                           {"rule", a.rule},
                           {"reason", a.reason},
                           {"source", a.source}});
  j["adjustments"] = std::move(adjustments);
  j["warnings"] = r.warnings;

  if (!r.trace.empty()) {
    Json trace = Json::array();
    for (const auto& t : r.trace) {
      Json values = Json::object();
      for (const auto& [path, value] : t.values) values[path] = value;
      Json e = {{"rule", t.rule},        {"source", t.source},  {"condition", t.condition},
                {"outcome", to_string(t.outcome)}, {"values", std::move(values)}};
      if (!t.detail.empty()) e["detail"] = t.detail;
      trace.push_back(std::move(e));
    }
    j["trace"] = std::move(trace);
  }
  // Invalid UTF-8 can only come from plugin text; replace rather than throw.
  return j.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace fascia
