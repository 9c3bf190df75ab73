#include "core/state_reader.hpp"

#include "common/did_you_mean.hpp"
#include "core/state_fields.hpp"
#include "core/state_overrides.hpp"
#include "yaml/reader.hpp"

#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fascia::detail {

namespace {

class StateReader {
 public:
  StateReader(const yaml::Document& document, const ProtocolModel& model, Diagnostics& diags)
      : model_(model), reader_(document, diags), diagnostics_(diags) {}

  void read(const yaml::Node& root, ClientState& s) {
    if (root.is_null()) {
      reader_.error(root, "the client state is empty; see protocols/examples/ for the format");
      return;
    }
    if (!reader_.expect_mapping(
            root, "client state",
            {"format", "client", "as_of", "program", "pain", "sensitivity", "pressure_tolerance",
             "sleep_quality", "flare", "medications_changed", "history", "observations"},
            {"client", "as_of", "pain", "sensitivity", "pressure_tolerance", "flare"}))
      return;
    if (const auto* n = root.find("format"))
      about({"format"}, [&] {
        if (auto v = reader_.integer(*n, "format", 0, 1'000'000)) {
          if (*v != state_format)
            reader_.error(*n, "client-state format " + std::to_string(*v) +
                                  " is not supported; this engine reads client-state format " +
                                  std::to_string(state_format));
          s.format = static_cast<int>(*v);
        }
      });
    if (const auto* n = root.find("client");
        n && reader_.expect_mapping(*n, "client", {"id", "condition"}, {"id", "condition"})) {
      if (const auto* id = n->find("id"))
        about({"client.id"}, [&] {
          if (auto v = reader_.string(*id, "client.id")) s.client_id = *v;
        });
      if (const auto* c = n->find("condition"))
        about({"client.condition"}, [&] {
          if (auto v = reader_.one_of(*c, "client.condition", model_.conditions)) s.condition = *v;
        });
    }
    if (const auto* n = root.find("as_of"))
      about({"as_of"}, [&] {
        if (auto v = reader_.date(*n, "as_of")) {
          s.as_of = *v;
          as_of_ok_ = true;
        }
      });
    if (const auto* n = root.find("program")) read_program(*n, s);
    if (const auto* n = root.find("pain");
        n && reader_.expect_mapping(*n, "pain", {"current", "baseline"}, {"current", "baseline"})) {
      if (const auto* c = n->find("current"))
        if (auto v = number(*c, state_field("pain.current"))) s.pain.current = *v;
      if (const auto* b = n->find("baseline"))
        if (auto v = number(*b, state_field("pain.baseline"))) s.pain.baseline = *v;
    }
    if (const auto* n = root.find("sensitivity"))
      about({"sensitivity"}, [&] {
        if (auto v = reader_.one_of(*n, "sensitivity", {"low", "moderate", "high"}))
          s.sensitivity = sensitivity_from(*v).value_or(Sensitivity::moderate);
      });
    if (const auto* n = root.find("pressure_tolerance"))
      if (auto v = integer(*n, state_field("pressure_tolerance")))
        s.pressure_tolerance = static_cast<int>(*v);
    if (const auto* n = root.find("sleep_quality"); n && !n->is_null())
      if (auto v = number(*n, state_field("sleep_quality"))) s.sleep_quality = *v;
    if (const auto* n = root.find("flare")) read_flare(*n, s);
    if (const auto* n = root.find("medications_changed"))
      about({"medications_changed"}, [&] {
        if (auto v = reader_.boolean(*n, "medications_changed")) s.medications_changed = *v;
      });
    if (const auto* n = root.find("history")) read_history(*n, s);
    read_observations(root.find("observations"), root, s);
  }

 private:
  // Runs `read` and names `fields` (Diagnostic::fields) on every diagnostic
  // it adds: the CLI says which --set a problem comes from by these.
  // The views are only read when `read` reports something.
  template <class Read>
  void about(std::initializer_list<std::string_view> fields, Read&& read) {
    const std::size_t before = diagnostics_.size();
    read();
    for (std::size_t i = before; i < diagnostics_.size(); ++i)
      if (diagnostics_[i].fields.empty())
        for (std::string_view field : fields) diagnostics_[i].fields.emplace_back(field);
  }

  // A field of the table of state fields, with its range; `what` names a
  // history field ("history pressure") and `field_path` its entry.
  std::optional<double> number(const yaml::Node& n, const StateField& field,
                               std::string_view what = {}, const std::string& field_path = {}) {
    std::optional<double> out;
    about({field_path.empty() ? field.path : std::string_view(field_path)},
          [&] { out = reader_.number(n, what.empty() ? field.path : what, field.min, field.max); });
    return out;
  }
  std::optional<std::int64_t> integer(const yaml::Node& n, const StateField& field,
                                      std::string_view what = {},
                                      const std::string& field_path = {}) {
    std::optional<std::int64_t> out;
    about({field_path.empty() ? field.path : std::string_view(field_path)}, [&] {
      out =
          reader_.integer(n, what.empty() ? field.path : what, static_cast<std::int64_t>(field.min),
                          static_cast<std::int64_t>(field.max));
    });
    return out;
  }

  std::optional<int> count(const yaml::Node& n, const std::string& what) {
    std::optional<int> out;
    about({what}, [&] {
      if (auto v = reader_.integer(n, what, 0, max_state_count)) out = static_cast<int>(*v);
    });
    return out;
  }

  // The `--set` path of field `key` of history entry `index`: "last.KEY" for
  // the newest entry, "history[INDEX].KEY" for the others.
  static std::string history_field(const yaml::Node& history, std::size_t index,
                                   std::string_view key) {
    if (index + 1 == history.items.size()) return "last." + std::string(key);
    return "history[" + std::to_string(index) + "]." + std::string(key);
  }

  void read_program(const yaml::Node& n, ClientState& s) {
    if (n.is_null()) return;
    if (!reader_.expect_mapping(
            n, "program",
            {"stage", "sessions_completed", "sessions_in_stage", "weeks_in_program", "frequency",
             "missed_sessions_30d", "last_missed"}))
      return;
    std::vector<std::string> stages, frequencies;
    for (const auto& st : model_.stages) stages.push_back(st.id);
    for (const auto& f : model_.ladder) frequencies.push_back(f.id);
    if (const auto* v = n.find("stage"))
      about({"program.stage"}, [&] {
        if (auto id = reader_.one_of(*v, "program.stage", stages)) s.program.stage = *id;
      });
    if (const auto* v = n.find("frequency"))
      about({"program.frequency"}, [&] {
        if (auto id = reader_.one_of(*v, "program.frequency", frequencies))
          s.program.frequency = *id;
      });
    if (const auto* v = n.find("sessions_completed"))
      if (auto c = count(*v, "program.sessions_completed")) s.program.sessions_completed = *c;
    if (const auto* v = n.find("sessions_in_stage"))
      if (auto c = count(*v, "program.sessions_in_stage")) s.program.sessions_in_stage = *c;
    if (const auto* v = n.find("weeks_in_program"))
      if (auto c = count(*v, "program.weeks_in_program")) s.program.weeks_in_program = *c;
    if (const auto* v = n.find("missed_sessions_30d"))
      if (auto c = count(*v, "program.missed_sessions_30d")) s.program.missed_sessions_30d = *c;
    if (const auto* v = n.find("last_missed"); v && !v->is_null()) {
      about({"program.last_missed"}, [&] {
        if (auto d = reader_.date(*v, "program.last_missed")) s.last_missed = *d;
      });
      if (s.last_missed && as_of_ok_ && *s.last_missed > s.as_of)
        about({"program.last_missed", "as_of"}, [&] {
          reader_.error(*v, "program.last_missed " + s.last_missed->to_string() +
                                " is after as_of " + s.as_of.to_string());
        });
    }
    if (s.program.sessions_in_stage && *s.program.sessions_in_stage > s.program.sessions_completed)
      about({"program.sessions_in_stage", "program.sessions_completed"}, [&] {
        reader_.error(*n.find("sessions_in_stage"),
                      "program.sessions_in_stage (" + std::to_string(*s.program.sessions_in_stage) +
                          ") cannot exceed program.sessions_completed (" +
                          std::to_string(s.program.sessions_completed) + ")");
      });
  }

  void read_flare(const yaml::Node& n, ClientState& s) {
    if (!reader_.expect_mapping(n, "flare", {"active", "severity", "days_since_last", "count_30d"},
                                {"active"}))
      return;
    if (const auto* v = n.find("active"))
      about({"flare.active"}, [&] {
        if (auto b = reader_.boolean(*v, "flare.active")) s.flare.active = *b;
      });
    if (const auto* v = n.find("severity"))
      if (auto x = number(*v, state_field("flare.severity"))) s.flare.severity = *x;
    if (const auto* v = n.find("days_since_last"); v && !v->is_null())
      if (auto c = count(*v, "flare.days_since_last")) s.flare.days_since_last = *c;
    if (const auto* v = n.find("count_30d"))
      if (auto c = count(*v, "flare.count_30d")) s.flare.count_30d = *c;
  }

  void read_history(const yaml::Node& n, ClientState& s) {
    if (n.is_null()) return;
    if (!reader_.expect_sequence(n, "history")) return;
    if (n.items.size() > model_.limits.max_history_entries) {
      reader_.error(n, "history has " + std::to_string(n.items.size()) + " entries; the limit is " +
                           std::to_string(model_.limits.max_history_entries));
      return;
    }
    std::size_t previous_index = 0;  // of the entry s.history.back() was read from
    for (std::size_t index = 0; index < n.items.size(); ++index) {
      const yaml::Node& e = n.items[index];
      auto field = [&](std::string_view key) { return history_field(n, index, key); };
      if (!reader_.expect_mapping(e, "history entry",
                                  {"date", "techniques", "pressure", "soreness_24h", "pain_before",
                                   "pain_after", "override", "stage"},
                                  {"date"}))
        continue;
      HistoryEntry h;
      if (const auto* v = e.find("date")) {
        std::optional<Date> date;
        about({field("date")}, [&] { date = reader_.date(*v, "history date"); });
        if (date) {
          h.date = *date;
          if (!s.history.empty() && *date < s.history.back().date)
            about({field("date"), history_field(n, previous_index, "date")}, [&] {
              reader_.error(*v, "history must be oldest first: " + date->to_string() + " follows " +
                                    s.history.back().date.to_string());
            });
          if (as_of_ok_ && *date > s.as_of)
            about({field("date"), "as_of"}, [&] {
              reader_.error(*v, "history date " + date->to_string() + " is after as_of " +
                                    s.as_of.to_string());
            });
        }
      }
      if (const auto* v = e.find("techniques"))
        about({field("techniques")}, [&] {
          if (auto list = reader_.string_list(*v, "history techniques")) h.techniques = *list;
        });
      if (const auto* v = e.find("pressure"); v && !v->is_null())
        if (auto x =
                integer(*v, state_field("last.pressure"), "history pressure", field("pressure")))
          h.pressure = int(*x);
      auto score = [&](const char* key, const StateField& table_field, std::optional<double>& out) {
        if (const auto* v = e.find(key); v && !v->is_null())
          if (auto x = number(*v, table_field, std::string("history ") + key, field(key))) out = *x;
      };
      score("soreness_24h", state_field("last.soreness_24h"), h.soreness_24h);
      score("pain_before", state_field("last.pain_before"), h.pain_before);
      score("pain_after", state_field("last.pain_after"), h.pain_after);
      if (const auto* v = e.find("override"); v && !v->is_null())
        about({field("override")}, [&] {
          if (auto x = reader_.string(*v, "history override")) {
            s.history_overrides.resize(s.history.size());
            s.history_overrides.push_back(*x);
          }
        });
      if (const auto* v = e.find("stage"); v && !v->is_null())
        about({field("stage")}, [&] {
          std::vector<std::string> stages;
          for (const auto& st : model_.stages) stages.push_back(st.id);
          if (auto id = reader_.one_of(*v, "history stage", stages)) h.stage = *id;
        });
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
        reader_.error(*n, "observations must be a mapping of observation name to value");
      } else {
        for (const auto& [key, value] : n->entries) read_observation(key, value, s);
      }
    }
    for (std::size_t i = 0; i < model_.observations.size(); ++i)
      if (model_.observations[i].required &&
          std::holds_alternative<std::monostate>(s.observations[i].value))
        about({"observations." + model_.observations[i].name}, [&] {
          reader_.error(n ? *n : root,
                        "missing required observation '" + model_.observations[i].name + "'");
        });
  }

  void read_observation(const yaml::Node& key, const yaml::Node& value, ClientState& s) {
    std::size_t index = model_.observations.size();
    for (std::size_t i = 0; i < model_.observations.size(); ++i)
      if (model_.observations[i].name == key.value) index = i;
    if (index == model_.observations.size()) {
      std::vector<std::string> names;
      for (const auto& o : model_.observations) names.push_back(o.name);
      std::string message =
          "observation '" + key.value + "' is not declared by protocol '" + model_.id + "'";
      if (auto close = closest_match(key.value, names); !close.empty())
        message += " (did you mean '" + close + "'?)";
      else if (!names.empty()) {
        message += "; declared: ";
        for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
      }
      about({"observations." + key.value}, [&] { reader_.error(key, message); });
      return;
    }
    if (value.is_null()) return;
    const auto& decl = model_.observations[index];
    const std::string what = "observations." + decl.name;
    about({what}, [&] { read_observation_value(decl, value, s.observations[index].value); });
  }

  void read_observation_value(const ObservationDecl& decl, const yaml::Node& value,
                              ObservationValue& out) {
    const std::string what = "observations." + decl.name;
    const ObservationRange range = observation_range(decl);
    switch (decl.kind) {
      case ObservationDecl::Kind::integer:
        if (auto v = reader_.integer(value, what, range.min_integer, range.max_integer))
          out = static_cast<double>(*v);
        break;
      case ObservationDecl::Kind::number:
        if (auto v = reader_.number(value, what, range.min, range.max)) out = *v;
        break;
      case ObservationDecl::Kind::boolean:
        if (auto v = reader_.boolean(value, what)) out = *v;
        break;
      case ObservationDecl::Kind::enumeration:
        if (auto v = reader_.one_of(value, what, decl.values)) out = *v;
        break;
      case ObservationDecl::Kind::string:
        if (auto v = reader_.string(value, what, true)) out = *v;
        break;
    }
  }

  const ProtocolModel& model_;
  yaml::Reader reader_;
  Diagnostics& diagnostics_;
  bool as_of_ok_ = false;  // no date checks against an as_of that did not parse
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
