#include "core/state_parser.hpp"

#include "yaml/reader.hpp"

#include <cmath>
#include <cstdio>

namespace fascia::detail {

namespace {

constexpr std::int64_t kMaxCount = 100'000;

// Every path --set accepts besides observations.NAME.
const std::vector<std::string>& override_paths() {
  static const std::vector<std::string> paths = {
      "format", "client.id", "client.condition", "as_of", "program.stage",
      "program.sessions_completed", "program.sessions_in_stage", "program.weeks_in_program",
      "program.frequency", "program.missed_sessions_30d", "pain.current", "pain.baseline",
      "sensitivity", "pressure_tolerance", "sleep_quality", "flare.active", "flare.severity",
      "flare.days_since_last", "flare.count_30d", "medications_changed", "last.date",
      "last.techniques", "last.pressure", "last.soreness_24h", "last.pain_before",
      "last.pain_after"};
  return paths;
}

bool is_declared_observation(const ProtocolModel& model, std::string_view name) {
  for (const auto& o : model.observations)
    if (o.name == name) return true;
  return false;
}

yaml::Node* find_mutable(yaml::Node& map, std::string_view key) {
  for (auto& [k, v] : map.entries)
    if (k.value == key) return &v;
  return nullptr;
}

yaml::Node& child_mapping(yaml::Node& parent, const std::string& key) {
  if (auto* existing = find_mutable(parent, key)) {
    if (!existing->is_mapping()) {
      existing->kind = yaml::NodeKind::mapping;
      existing->items.clear();
      existing->value.clear();
    }
    return *existing;
  }
  yaml::Node k;
  k.kind = yaml::NodeKind::scalar;
  k.value = key;
  yaml::Node v;
  v.kind = yaml::NodeKind::mapping;
  parent.entries.emplace_back(std::move(k), std::move(v));
  return parent.entries.back().second;
}

void set_child(yaml::Node& parent, const std::string& key, yaml::Node value) {
  if (auto* existing = find_mutable(parent, key)) {
    *existing = std::move(value);
    return;
  }
  yaml::Node k;
  k.kind = yaml::NodeKind::scalar;
  k.value = key;
  parent.entries.emplace_back(std::move(k), std::move(value));
}

class StateReader {
 public:
  StateReader(const yaml::Document& document, const ProtocolModel& model, Diagnostics& diags)
      : model_(model), reader_(document, diags) {}

  void read(const yaml::Node& root, ClientState& s) {
    if (root.is_null()) {
      reader_.error(root, "the client state is empty; see protocols/examples/ for the format");
      return;
    }
    if (!reader_.expect_mapping(root, "client state",
                                {"format", "client", "as_of", "program", "pain", "sensitivity",
                                 "pressure_tolerance", "sleep_quality", "flare",
                                 "medications_changed", "history", "observations"},
                                {"client", "as_of", "pain", "sensitivity", "pressure_tolerance",
                                 "flare"}))
      return;
    if (const auto* n = root.find("format"))
      if (auto v = reader_.integer(*n, "format", 0, 1'000'000)) {
        if (*v != state_format)
          reader_.error(*n, "client-state format " + std::to_string(*v) +
                                " is not supported; this engine reads client-state format " +
                                std::to_string(state_format));
        s.format = static_cast<int>(*v);
      }
    if (const auto* n = root.find("client"); n && reader_.expect_mapping(
            *n, "client", {"id", "condition"}, {"id", "condition"})) {
      if (const auto* id = n->find("id"))
        if (auto v = reader_.string(*id, "client.id")) s.client_id = *v;
      if (const auto* c = n->find("condition"))
        if (auto v = reader_.one_of(*c, "client.condition", model_.conditions)) s.condition = *v;
    }
    if (const auto* n = root.find("as_of"))
      if (auto v = reader_.date(*n, "as_of")) {
        s.as_of = *v;
        as_of_ok_ = true;
      }
    if (const auto* n = root.find("program")) read_program(*n, s);
    if (const auto* n = root.find("pain"); n && reader_.expect_mapping(
            *n, "pain", {"current", "baseline"}, {"current", "baseline"})) {
      if (const auto* c = n->find("current"))
        if (auto v = reader_.number(*c, "pain.current", 0, 10)) s.pain.current = *v;
      if (const auto* b = n->find("baseline"))
        if (auto v = reader_.number(*b, "pain.baseline", 0, 10)) s.pain.baseline = *v;
    }
    if (const auto* n = root.find("sensitivity"))
      if (auto v = reader_.one_of(*n, "sensitivity", {"low", "moderate", "high"}))
        s.sensitivity = *v == "low" ? Sensitivity::low
                        : *v == "high" ? Sensitivity::high
                                       : Sensitivity::moderate;
    if (const auto* n = root.find("pressure_tolerance"))
      if (auto v = reader_.integer(*n, "pressure_tolerance", 1, 10))
        s.pressure_tolerance = static_cast<int>(*v);
    if (const auto* n = root.find("sleep_quality"); n && !n->is_null())
      if (auto v = reader_.number(*n, "sleep_quality", 0, 10)) s.sleep_quality = *v;
    if (const auto* n = root.find("flare")) read_flare(*n, s);
    if (const auto* n = root.find("medications_changed"))
      if (auto v = reader_.boolean(*n, "medications_changed")) s.medications_changed = *v;
    if (const auto* n = root.find("history")) read_history(*n, s);
    read_observations(root.find("observations"), root, s);
  }

 private:
  std::optional<int> count(const yaml::Node& n, const std::string& what) {
    if (auto v = reader_.integer(n, what, 0, kMaxCount)) return static_cast<int>(*v);
    return std::nullopt;
  }

  void read_program(const yaml::Node& n, ClientState& s) {
    if (n.is_null()) return;
    if (!reader_.expect_mapping(n, "program",
                                {"stage", "sessions_completed", "sessions_in_stage",
                                 "weeks_in_program", "frequency", "missed_sessions_30d",
                                 "last_missed"}))
      return;
    std::vector<std::string> stages, frequencies;
    for (const auto& st : model_.stages) stages.push_back(st.id);
    for (const auto& f : model_.ladder) frequencies.push_back(f.id);
    if (const auto* v = n.find("stage"))
      if (auto id = reader_.one_of(*v, "program.stage", stages)) s.program.stage = *id;
    if (const auto* v = n.find("frequency"))
      if (auto id = reader_.one_of(*v, "program.frequency", frequencies)) s.program.frequency = *id;
    if (const auto* v = n.find("sessions_completed"))
      if (auto c = count(*v, "program.sessions_completed")) s.program.sessions_completed = *c;
    if (const auto* v = n.find("sessions_in_stage"))
      if (auto c = count(*v, "program.sessions_in_stage")) s.program.sessions_in_stage = *c;
    if (const auto* v = n.find("weeks_in_program"))
      if (auto c = count(*v, "program.weeks_in_program")) s.program.weeks_in_program = *c;
    if (const auto* v = n.find("missed_sessions_30d"))
      if (auto c = count(*v, "program.missed_sessions_30d")) s.program.missed_sessions_30d = *c;
    if (const auto* v = n.find("last_missed"); v && !v->is_null())
      if (auto d = reader_.date(*v, "program.last_missed")) {
        s.program.last_missed = *d;
        if (as_of_ok_ && *d > s.as_of)
          reader_.error(*v, "program.last_missed " + d->to_string() + " is after as_of " +
                                s.as_of.to_string());
      }
    if (s.program.sessions_in_stage && *s.program.sessions_in_stage > s.program.sessions_completed)
      reader_.error(*n.find("sessions_in_stage"),
                    "program.sessions_in_stage (" + std::to_string(*s.program.sessions_in_stage) +
                        ") cannot exceed program.sessions_completed (" +
                        std::to_string(s.program.sessions_completed) + ")");
  }

  void read_flare(const yaml::Node& n, ClientState& s) {
    if (!reader_.expect_mapping(n, "flare", {"active", "severity", "days_since_last", "count_30d"},
                                {"active"}))
      return;
    if (const auto* v = n.find("active"))
      if (auto b = reader_.boolean(*v, "flare.active")) s.flare.active = *b;
    if (const auto* v = n.find("severity"))
      if (auto x = reader_.number(*v, "flare.severity", 0, 10)) s.flare.severity = *x;
    if (const auto* v = n.find("days_since_last"); v && !v->is_null())
      if (auto c = count(*v, "flare.days_since_last")) s.flare.days_since_last = *c;
    if (const auto* v = n.find("count_30d"))
      if (auto c = count(*v, "flare.count_30d")) s.flare.count_30d = *c;
  }

  void read_history(const yaml::Node& n, ClientState& s) {
    if (n.is_null()) return;
    if (!reader_.expect_sequence(n, "history")) return;
    if (n.items.size() > model_.limits.max_history_entries) {
      reader_.error(n, "history has " + std::to_string(n.items.size()) +
                           " entries; the limit is " +
                           std::to_string(model_.limits.max_history_entries));
      return;
    }
    for (const auto& e : n.items) {
      if (!reader_.expect_mapping(e, "history entry",
                                  {"date", "techniques", "pressure", "soreness_24h",
                                   "pain_before", "pain_after", "override"},
                                  {"date"}))
        continue;
      HistoryEntry h;
      if (const auto* v = e.find("date"))
        if (auto d = reader_.date(*v, "history date")) {
          h.date = *d;
          if (!s.history.empty() && *d < s.history.back().date)
            reader_.error(*v, "history must be oldest first: " + d->to_string() + " follows " +
                                  s.history.back().date.to_string());
          if (as_of_ok_ && *d > s.as_of)
            reader_.error(*v, "history date " + d->to_string() + " is after as_of " +
                                  s.as_of.to_string());
        }
      if (const auto* v = e.find("techniques"))
        if (auto list = reader_.string_list(*v, "history techniques")) h.techniques = *list;
      if (const auto* v = e.find("pressure"); v && !v->is_null())
        if (auto x = reader_.integer(*v, "history pressure", 1, 10)) h.pressure = int(*x);
      auto score = [&](const char* key, std::optional<double>& out) {
        if (const auto* v = e.find(key); v && !v->is_null())
          if (auto x = reader_.number(*v, std::string("history ") + key, 0, 10)) out = *x;
      };
      score("soreness_24h", h.soreness_24h);
      score("pain_before", h.pain_before);
      score("pain_after", h.pain_after);
      if (const auto* v = e.find("override"); v && !v->is_null())
        if (auto x = reader_.string(*v, "history override")) h.override_reason = *x;
      s.history.push_back(std::move(h));
    }
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
        reader_.error(n ? *n : root, "missing required observation '" +
                                         model_.observations[i].name + "'");
  }

  void read_observation(const yaml::Node& key, const yaml::Node& value, ClientState& s) {
    std::size_t index = model_.observations.size();
    for (std::size_t i = 0; i < model_.observations.size(); ++i)
      if (model_.observations[i].name == key.value) index = i;
    if (index == model_.observations.size()) {
      std::vector<std::string> names;
      for (const auto& o : model_.observations) names.push_back(o.name);
      std::string message = "observation '" + key.value + "' is not declared by protocol '" +
                            model_.id + "'";
      if (auto close = yaml::closest_match(key.value, names); !close.empty())
        message += " (did you mean '" + close + "'?)";
      else if (!names.empty()) {
        message += "; declared: ";
        for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
      }
      reader_.error(key, message);
      return;
    }
    if (value.is_null()) return;
    const auto& decl = model_.observations[index];
    const std::string what = "observations." + decl.name;
    const double lo = decl.min.value_or(-1e9), hi = decl.max.value_or(1e9);
    ObservationValue& out = s.observations[index].value;
    switch (decl.kind) {
      case ObservationDecl::Kind::integer:
        if (auto v = reader_.integer(value, what, static_cast<std::int64_t>(std::ceil(lo)),
                                     static_cast<std::int64_t>(std::floor(hi))))
          out = static_cast<double>(*v);
        break;
      case ObservationDecl::Kind::number:
        if (auto v = reader_.number(value, what, lo, hi)) out = *v;
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
  bool as_of_ok_ = false;  // no date checks against an as_of that did not parse
};

}  // namespace

Diagnostics check_override_paths(const ProtocolModel& model,
                                 const std::vector<StateOverride>& overrides) {
  Diagnostics out;
  for (const auto& o : overrides) {
    bool known = false;
    for (const auto& p : override_paths()) known = known || p == o.path;
    if (o.path.rfind("observations.", 0) == 0)
      known = is_declared_observation(model, std::string_view(o.path).substr(13));
    if (!known) {
      std::vector<std::string> candidates = override_paths();
      for (const auto& decl : model.observations) candidates.push_back("observations." + decl.name);
      std::string message = "unknown state path '" + o.path + "' in --set";
      if (auto close = yaml::closest_match(o.path, candidates); !close.empty())
        message += " (did you mean '" + close + "'?)";
      out.push_back({Severity::error, SourceLocation{"--set", 0, 0}, message});
    }
  }
  return out;
}

bool read_client_state(const yaml::Document& document, const ProtocolModel& model,
                       const std::vector<StateOverride>& overrides, ClientState& out,
                       Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  const yaml::Document* source = &document;
  yaml::Document changed;
  if (!overrides.empty()) {
    auto usage = check_override_paths(model, overrides);
    if (!usage.empty()) {
      diagnostics.insert(diagnostics.end(), usage.begin(), usage.end());
      return false;
    }
    changed = document;
    if (changed.root.is_null()) changed.root.kind = yaml::NodeKind::mapping;
    for (const auto& o : overrides) {
      yaml::Document value_doc;
      if (!yaml::parse_document(o.value, "--set " + o.path, model.limits, value_doc, diagnostics))
        continue;
      const auto dot = o.path.find('.');
      if (!changed.root.is_mapping()) break;  // reported by the reader below
      if (dot == std::string::npos) {
        set_child(changed.root, o.path, std::move(value_doc.root));
        continue;
      }
      const std::string head = o.path.substr(0, dot);
      const std::string tail = o.path.substr(dot + 1);
      if (head == "last") {
        yaml::Node* history = find_mutable(changed.root, "history");
        if (!history || !history->is_sequence() || history->items.empty()) {
          diagnostics.push_back({Severity::error, SourceLocation{"--set", 0, 0},
                                 "cannot set '" + o.path + "': the state has no history entry"});
          continue;
        }
        set_child(history->items.back(), tail, std::move(value_doc.root));
      } else {
        set_child(child_mapping(changed.root, head), tail, std::move(value_doc.root));
      }
    }
    source = &changed;
  }
  StateReader reader(*source, model, diagnostics);
  out = ClientState{};
  reader.read(source->root, out);
  return !has_errors(Diagnostics(diagnostics.begin() + static_cast<long>(before),
                                 diagnostics.end()));
}

namespace {

void state_error(Diagnostics& out, const std::string& message) {
  out.push_back({Severity::error, SourceLocation{"<client state>", 0, 0}, message});
}

// Exactly the negation of `!isfinite(v) || v < lo || v > hi`, NaN bounds included.
inline bool in_range(double v, double lo, double hi) noexcept {
  return std::isfinite(v) && !(v < lo) && !(v > hi);
}

// Only reached for an invalid state: valid ones never format anything.
[[gnu::cold, gnu::noinline]] void range_error(Diagnostics& out, const char* what, double v,
                                              double lo, double hi) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s must be between %g and %g, got %g", what, lo, hi, v);
  state_error(out, buf);
}

}  // namespace

Diagnostics check_client_state(const ProtocolModel& model, const ClientState& s) {
  Diagnostics out;
  auto fail = [&](const std::string& message) { state_error(out, message); };
  auto range = [&](const char* what, double v, double lo, double hi) {
    if (!in_range(v, lo, hi)) range_error(out, what, v, lo, hi);
  };
  // Integer fields: always finite, and compared exactly as the doubles would.
  auto count_range = [&](const char* what, std::int64_t v, std::int64_t lo, std::int64_t hi) {
    if (v < lo || v > hi)
      range_error(out, what, static_cast<double>(v), static_cast<double>(lo),
                  static_cast<double>(hi));
  };
  auto contains = [](const std::vector<std::string>& ids, const std::string& id) {
    for (const auto& i : ids)
      if (i == id) return true;
    return false;
  };
  if (s.format != state_format)
    fail("client-state format " + std::to_string(s.format) +
         " is not supported; this engine reads client-state format 1");
  if (s.client_id.empty()) fail("client.id is required");
  if (!contains(model.conditions, s.condition))
    fail("client.condition '" + s.condition + "' is not covered by protocol '" + model.id + "'");
  if (!s.program.stage.empty() && model.stage_index(s.program.stage) >= model.stages.size())
    fail("program.stage '" + s.program.stage + "' is not a stage of protocol '" + model.id + "'");
  if (!s.program.frequency.empty() &&
      model.frequency_index(s.program.frequency) >= model.ladder.size())
    fail("program.frequency '" + s.program.frequency + "' is not on the frequency ladder");
  count_range("program.sessions_completed", s.program.sessions_completed, 0, kMaxCount);
  if (s.program.sessions_in_stage)
    count_range("program.sessions_in_stage", *s.program.sessions_in_stage, 0,
                s.program.sessions_completed);
  count_range("program.weeks_in_program", s.program.weeks_in_program, 0, kMaxCount);
  count_range("program.missed_sessions_30d", s.program.missed_sessions_30d, 0, kMaxCount);
  if (s.program.last_missed && *s.program.last_missed > s.as_of)
    fail("program.last_missed " + s.program.last_missed->to_string() + " is after as_of");
  range("pain.current", s.pain.current, 0, 10);
  range("pain.baseline", s.pain.baseline, 0, 10);
  count_range("pressure_tolerance", s.pressure_tolerance, 1, 10);
  if (s.sleep_quality) range("sleep_quality", *s.sleep_quality, 0, 10);
  range("flare.severity", s.flare.severity, 0, 10);
  if (s.flare.days_since_last)
    count_range("flare.days_since_last", *s.flare.days_since_last, 0, kMaxCount);
  count_range("flare.count_30d", s.flare.count_30d, 0, kMaxCount);
  if (s.history.size() > model.limits.max_history_entries)
    fail("history has too many entries (limit " +
         std::to_string(model.limits.max_history_entries) + ")");
  for (std::size_t i = 0; i < s.history.size(); ++i) {
    const auto& h = s.history[i];
    if (i > 0 && h.date < s.history[i - 1].date) fail("history must be oldest first");
    if (h.date > s.as_of) fail("history entry " + h.date.to_string() + " is after as_of");
    if (h.pressure) count_range("history pressure", *h.pressure, 1, 10);
    if (h.soreness_24h) range("history soreness_24h", *h.soreness_24h, 0, 10);
    if (h.pain_before) range("history pain_before", *h.pain_before, 0, 10);
    if (h.pain_after) range("history pain_after", *h.pain_after, 0, 10);
  }
  for (const auto& o : s.observations) {
    const ObservationDecl* decl = nullptr;
    for (const auto& d : model.observations)
      if (d.name == o.name) decl = &d;
    if (!decl) {
      fail("observation '" + o.name + "' is not declared by protocol '" + model.id + "'");
      continue;
    }
    // The field's name is only needed for a message.
    auto what = [&o] { return "observations." + o.name; };
    using Kind = ObservationDecl::Kind;
    if (std::holds_alternative<std::monostate>(o.value)) continue;
    const bool numeric = decl->kind == Kind::integer || decl->kind == Kind::number;
    if (numeric) {
      const double* v = std::get_if<double>(&o.value);
      if (!v) {
        fail(what() + " must be a number");
        continue;
      }
      const double lo = decl->min.value_or(-1e9);
      const double hi = decl->max.value_or(1e9);
      if (!in_range(*v, lo, hi)) range_error(out, what().c_str(), *v, lo, hi);
      if (decl->kind == Kind::integer && std::floor(*v) != *v)
        fail(what() + " must be a whole number");
    } else if (decl->kind == Kind::boolean && !std::holds_alternative<bool>(o.value)) {
      fail(what() + " must be true or false");
    } else if (decl->kind == Kind::enumeration || decl->kind == Kind::string) {
      const std::string* v = std::get_if<std::string>(&o.value);
      if (!v)
        fail(what() + " must be text");
      else if (decl->kind == Kind::enumeration && !contains(decl->values, *v))
        fail(what() + " must be one of the declared values, got '" + *v + "'");
    }
  }
  for (const auto& d : model.observations) {
    if (!d.required) continue;
    const auto* o = s.observation(d.name);
    if (!o || std::holds_alternative<std::monostate>(o->value))
      fail("missing required observation '" + d.name + "'");
  }
  return out;
}

bool normalize_observations(const ProtocolModel& model, const ClientState& state,
                            std::vector<Observation>& out) {
  bool ordered = state.observations.size() == model.observations.size();
  for (std::size_t i = 0; ordered && i < model.observations.size(); ++i)
    ordered = state.observations[i].name == model.observations[i].name;
  if (ordered) return false;
  out.clear();
  for (const auto& decl : model.observations) {
    const auto* o = state.observation(decl.name);
    out.push_back({decl.name, o ? o->value : ObservationValue{}});
  }
  return true;
}

}  // namespace fascia::detail
