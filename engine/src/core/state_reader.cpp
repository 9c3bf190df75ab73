// The tree reader of client states: YAML states (and any state edited by
// `--set`) from the located yaml::Document. Every value is checked by
// StateValues (core/state_values.hpp), as the JSON reader
// (core/state_json_reader.cpp) checks every value it does not read itself.
#include "core/state_reader.hpp"

#include "core/state_fields.hpp"
#include "core/state_overrides.hpp"
#include "core/state_values.hpp"
#include "yaml/reader.hpp"

#include <string>
#include <string_view>

namespace fascia::detail {

namespace {

class StateReader {
 public:
  StateReader(const yaml::Document& document, const ProtocolModel& model, Diagnostics& diags)
      : model_(model), reader_(document, diags), values_(model, reader_, diags) {}

  void read(const yaml::Node& root, ClientState& s) {
    if (root.is_null()) {
      reader_.error(root, "the client state is empty; see protocols/examples/ for the format");
      return;
    }
    if (!values_.mapping(
            root, "client state",
            {"format", "client", "as_of", "program", "pain", "sensitivity", "pressure_tolerance",
             "sleep_quality", "flare", "medications_changed", "history", "observations"},
            {"client", "as_of", "pain", "sensitivity", "pressure_tolerance", "flare"}))
      return;
    if (const auto* n = root.find("format")) values_.format(*n, s);
    if (const auto* n = root.find("client");
        n && values_.mapping(*n, "client", {"id", "condition"}, {"id", "condition"})) {
      if (const auto* id = n->find("id")) values_.client_id(*id, s);
      if (const auto* c = n->find("condition")) values_.condition(*c, s);
    }
    if (const auto* n = root.find("as_of")) as_of_read_ = values_.as_of(*n, s);
    if (const auto* n = root.find("program")) read_program(*n, s);
    if (const auto* n = root.find("pain");
        n && values_.mapping(*n, "pain", {"current", "baseline"}, {"current", "baseline"})) {
      if (const auto* c = n->find("current"))
        if (auto v = values_.number(*c, state_field("pain.current"))) s.pain.current = *v;
      if (const auto* b = n->find("baseline"))
        if (auto v = values_.number(*b, state_field("pain.baseline"))) s.pain.baseline = *v;
    }
    if (const auto* n = root.find("sensitivity")) values_.sensitivity(*n, s);
    if (const auto* n = root.find("pressure_tolerance"))
      if (auto v = values_.integer(*n, state_field("pressure_tolerance")))
        s.pressure_tolerance = static_cast<int>(*v);
    if (const auto* n = root.find("sleep_quality"); n && !n->is_null())
      if (auto v = values_.number(*n, state_field("sleep_quality"))) s.sleep_quality = *v;
    if (const auto* n = root.find("flare")) read_flare(*n, s);
    if (const auto* n = root.find("medications_changed"))
      if (auto v = values_.boolean(*n, "medications_changed")) s.medications_changed = *v;
    if (const auto* n = root.find("history")) read_history(*n, s);
    read_observations(root.find("observations"), root, s);
  }

 private:
  void read_program(const yaml::Node& n, ClientState& s) {
    if (n.is_null()) return;
    if (!values_.mapping(n, "program",
                         {"stage", "sessions_completed", "sessions_in_stage", "weeks_in_program",
                          "frequency", "missed_sessions_30d", "last_missed"}))
      return;
    if (const auto* v = n.find("stage")) values_.program_stage(*v, s);
    if (const auto* v = n.find("frequency")) values_.program_frequency(*v, s);
    if (const auto* v = n.find("sessions_completed"))
      if (auto c = values_.count(*v, "program.sessions_completed"))
        s.program.sessions_completed = *c;
    if (const auto* v = n.find("sessions_in_stage"))
      if (auto c = values_.count(*v, "program.sessions_in_stage")) s.program.sessions_in_stage = *c;
    if (const auto* v = n.find("weeks_in_program"))
      if (auto c = values_.count(*v, "program.weeks_in_program")) s.program.weeks_in_program = *c;
    if (const auto* v = n.find("missed_sessions_30d"))
      if (auto c = values_.count(*v, "program.missed_sessions_30d"))
        s.program.missed_sessions_30d = *c;
    if (const auto* v = n.find("last_missed"); v && !v->is_null())
      values_.last_missed(*v, s, as_of_read_);
    if (const auto* v = n.find("sessions_in_stage")) values_.sessions_in_stage_check(*v, s);
  }

  void read_flare(const yaml::Node& n, ClientState& s) {
    if (!values_.mapping(n, "flare", {"active", "severity", "days_since_last", "count_30d"},
                         {"active"}))
      return;
    if (const auto* v = n.find("active"))
      if (auto b = values_.boolean(*v, "flare.active")) s.flare.active = *b;
    if (const auto* v = n.find("severity"))
      if (auto x = values_.number(*v, state_field("flare.severity"))) s.flare.severity = *x;
    if (const auto* v = n.find("days_since_last"); v && !v->is_null())
      if (auto c = values_.count(*v, "flare.days_since_last")) s.flare.days_since_last = *c;
    if (const auto* v = n.find("count_30d"))
      if (auto c = values_.count(*v, "flare.count_30d")) s.flare.count_30d = *c;
  }

  void read_history(const yaml::Node& n, ClientState& s) {
    if (n.is_null() || !values_.history_list(n)) return;
    std::size_t previous_index = 0;  // of the entry s.history.back() was read from
    for (std::size_t index = 0; index < n.items.size(); ++index) {
      const yaml::Node& e = n.items[index];
      auto field = [&](std::string_view key) { return history_field(n.items.size(), index, key); };
      if (!values_.mapping(e, "history entry",
                           {"date", "techniques", "pressure", "soreness_24h", "pain_before",
                            "pain_after", "override", "stage"},
                           {"date"}))
        continue;
      HistoryEntry h;
      if (const auto* v = e.find("date")) {
        if (auto date = values_.history_date(*v, field("date"))) {
          h.date = *date;
          if (!s.history.empty())
            values_.history_order(*v, *date, s.history.back().date, field("date"),
                                  history_field(n.items.size(), previous_index, "date"));
          if (as_of_read_) values_.history_after_as_of(*v, *date, s.as_of, field("date"));
        }
      }
      if (const auto* v = e.find("techniques"))
        values_.history_techniques(*v, field("techniques"), h);
      if (const auto* v = e.find("pressure"); v && !v->is_null())
        if (auto x = values_.integer(*v, state_field("last.pressure"), "history pressure",
                                     field("pressure")))
          h.pressure = int(*x);
      auto score = [&](const char* key, const StateField& table_field, std::optional<double>& out) {
        if (const auto* v = e.find(key); v && !v->is_null())
          if (auto x = values_.number(*v, table_field, std::string("history ") + key, field(key)))
            out = *x;
      };
      score("soreness_24h", state_field("last.soreness_24h"), h.soreness_24h);
      score("pain_before", state_field("last.pain_before"), h.pain_before);
      score("pain_after", state_field("last.pain_after"), h.pain_after);
      if (const auto* v = e.find("override"); v && !v->is_null())
        if (auto x = values_.history_override(*v, field("override"))) {
          s.history_overrides.resize(s.history.size());
          s.history_overrides.push_back(*x);
        }
      if (const auto* v = e.find("stage"); v && !v->is_null())
        values_.history_stage(*v, field("stage"), h);
      s.history.push_back(std::move(h));
      previous_index = index;
    }
    if (!s.history_overrides.empty()) s.history_overrides.resize(s.history.size());
  }

  void read_observations(const yaml::Node* n, const yaml::Node& root, ClientState& s) {
    s.observations.clear();
    for (const auto& decl : model_.observations)
      s.observations.push_back({decl.name, std::monostate{}});
    if (n && !n->is_null()) {
      if (!n->is_mapping()) {
        values_.observations_not_a_mapping(*n);
      } else {
        for (const auto& [key, value] : n->entries) {
          const std::size_t index = values_.observation_index(key);
          if (index < model_.observations.size() && !value.is_null())
            values_.observation_value(model_.observations[index], value,
                                      s.observations[index].value);
        }
      }
    }
    for (std::size_t i = 0; i < model_.observations.size(); ++i)
      if (model_.observations[i].required &&
          std::holds_alternative<std::monostate>(s.observations[i].value))
        values_.missing_observation(n ? *n : root, model_.observations[i]);
  }

  const ProtocolModel& model_;
  yaml::Reader reader_;
  StateValues values_;
  bool as_of_read_ = false;  // no date checks against an as_of that did not parse
};

}  // namespace

bool read_client_state(const yaml::Document& document, const ProtocolModel& model,
                       const std::vector<StateOverride>& overrides, ClientState& out,
                       Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  const yaml::Document* source = &document;
  yaml::Document changed;
  if (!overrides.empty()) {
    if (!apply_overrides(document, model, overrides, changed, diagnostics)) return false;
    source = &changed;
  }
  StateReader reader(*source, model, diagnostics);
  out = ClientState{};
  reader.read(source->root, out);
  return !has_errors(
      Diagnostics(diagnostics.begin() + static_cast<long>(before), diagnostics.end()));
}

}  // namespace fascia::detail
