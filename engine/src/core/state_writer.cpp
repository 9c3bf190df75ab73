// A client state written back as text (fascia/record.hpp): JSON through
// nlohmann's ordered_json, YAML by hand (the state's shape is fixed and
// small). Both read back to the same ClientState.
#include <fascia/record.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace fascia {

namespace {

using Json = nlohmann::ordered_json;

Json number(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 1e15) return Json(std::int64_t(v));
  return Json(v);
}

Json to_json_value(const ClientState& s) {
  Json j;
  j["format"] = s.format;
  j["client"] = {{"id", s.client_id}, {"condition", s.condition}};
  j["as_of"] = s.as_of.to_string();
  Json program;
  if (!s.program.stage.empty()) program["stage"] = s.program.stage;
  program["sessions_completed"] = s.program.sessions_completed;
  if (s.program.sessions_in_stage) program["sessions_in_stage"] = *s.program.sessions_in_stage;
  program["weeks_in_program"] = s.program.weeks_in_program;
  if (!s.program.frequency.empty()) program["frequency"] = s.program.frequency;
  program["missed_sessions_30d"] = s.program.missed_sessions_30d;
  if (s.last_missed) program["last_missed"] = s.last_missed->to_string();
  j["program"] = std::move(program);
  j["pain"] = {{"current", number(s.pain.current)}, {"baseline", number(s.pain.baseline)}};
  j["sensitivity"] = to_string(s.sensitivity);
  j["pressure_tolerance"] = s.pressure_tolerance;
  if (s.sleep_quality) j["sleep_quality"] = number(*s.sleep_quality);
  Json flare;
  flare["active"] = s.flare.active;
  flare["severity"] = number(s.flare.severity);
  if (s.flare.days_since_last) flare["days_since_last"] = *s.flare.days_since_last;
  flare["count_30d"] = s.flare.count_30d;
  j["flare"] = std::move(flare);
  j["medications_changed"] = s.medications_changed;
  Json history = Json::array();
  for (std::size_t i = 0; i < s.history.size(); ++i) {
    const auto& h = s.history[i];
    Json e;
    e["date"] = h.date.to_string();
    e["techniques"] = h.techniques;
    if (h.pressure) e["pressure"] = *h.pressure;
    if (h.soreness_24h) e["soreness_24h"] = number(*h.soreness_24h);
    if (h.pain_before) e["pain_before"] = number(*h.pain_before);
    if (h.pain_after) e["pain_after"] = number(*h.pain_after);
    if (!h.stage.empty()) e["stage"] = h.stage;
    if (i < s.history_overrides.size() && !s.history_overrides[i].empty())
      e["override"] = s.history_overrides[i];
    history.push_back(std::move(e));
  }
  j["history"] = std::move(history);
  Json observations = Json::object();
  for (const auto& o : s.observations) {
    if (const auto* b = std::get_if<bool>(&o.value))
      observations[o.name] = *b;
    else if (const auto* d = std::get_if<double>(&o.value))
      observations[o.name] = number(*d);
    else if (const auto* t = std::get_if<std::string>(&o.value))
      observations[o.name] = *t;
  }
  if (!observations.empty()) j["observations"] = std::move(observations);
  return j;
}

// A scalar YAML reads back as the same string: bare when it is a plain word
// that YAML would not take for a number, boolean or null; JSON-quoted (a
// valid YAML double-quoted scalar) otherwise.
std::string yaml_text(const std::string& text) {
  static const char* const special[] = {"true", "false", "yes", "no", "on",
                                        "off",  "null",  "y",   "n",  "~"};
  bool plain =
      !text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'));
  for (char c : text)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.');
  if (plain) {
    std::string lower;
    for (char c : text) lower += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (const char* word : special) plain = plain && lower != word;
  }
  if (Date::parse(text)) plain = true;  // dates read back as the same text
  return plain ? text : Json(text).dump();
}

std::string yaml_scalar(const Json& v) {
  if (v.is_string()) return yaml_text(v.get<std::string>());
  return v.dump();
}

void write_yaml(const Json& value, int indent, std::string& out) {
  const std::string pad(std::size_t(indent), ' ');
  for (auto it = value.begin(); it != value.end(); ++it) {
    const Json& v = it.value();
    out += pad + yaml_text(it.key()) + ":";
    if (v.is_object()) {
      out += v.empty() ? " {}\n" : "\n";
      write_yaml(v, indent + 2, out);
    } else if (v.is_array()) {
      if (v.empty()) {
        out += " []\n";
        continue;
      }
      const bool flat =
          std::all_of(v.begin(), v.end(), [](const Json& x) { return !x.is_structured(); });
      if (flat) {
        out += " [";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + yaml_scalar(v[i]);
        out += "]\n";
        continue;
      }
      out += "\n";
      for (const auto& item : v) {
        std::string inner;
        write_yaml(item, indent + 4, inner);
        // "  - " takes the place of the first entry's indentation.
        out.append(pad).append("  - ").append(inner, std::size_t(indent) + 4);
      }
    } else {
      out.append(" ").append(yaml_scalar(v)).append("\n");
    }
  }
}

}  // namespace

std::string state_to_json(const ClientState& state, bool pretty) {
  return to_json_value(state).dump(pretty ? 2 : -1);
}

std::string state_to_yaml(const ClientState& state) {
  std::string out = "# client state, format 1 (written by fascia record)\n";
  write_yaml(to_json_value(state), 0, out);
  return out;
}

}  // namespace fascia
