#include "core/state_values.hpp"

#include "common/did_you_mean.hpp"
#include "core/state_fields.hpp"

#include <string>

namespace fascia::detail {

std::string history_field(std::size_t count, std::size_t index, std::string_view key) {
  if (index + 1 == count) return "last." + std::string(key);
  return "history[" + std::to_string(index) + "]." + std::string(key);
}

const std::vector<std::string>& StateValues::stage_ids() {
  if (stage_ids_.empty())
    for (const auto& st : model_.stages) stage_ids_.push_back(st.id);
  return stage_ids_;
}

void StateValues::format(const yaml::Node& n, ClientState& s) {
  about({"format"}, [&] {
    if (auto v = reader_.integer(n, "format", 0, 1'000'000)) {
      if (*v != state_format)
        reader_.error(n, "client-state format " + std::to_string(*v) +
                             " is not supported; this engine reads client-state format " +
                             std::to_string(state_format));
      s.format = static_cast<int>(*v);
    }
  });
}

void StateValues::client_id(const yaml::Node& n, ClientState& s) {
  about({"client.id"}, [&] {
    if (auto v = reader_.string(n, "client.id")) s.client_id = *v;
  });
}

void StateValues::condition(const yaml::Node& n, ClientState& s) {
  about({"client.condition"}, [&] {
    if (auto v = reader_.one_of(n, "client.condition", model_.conditions)) s.condition = *v;
  });
}

bool StateValues::as_of(const yaml::Node& n, ClientState& s) {
  bool read = false;
  about({"as_of"}, [&] {
    if (auto v = reader_.date(n, "as_of")) {
      s.as_of = *v;
      read = true;
    }
  });
  return read;
}

void StateValues::program_stage(const yaml::Node& n, ClientState& s) {
  about({"program.stage"}, [&] {
    if (auto id = reader_.one_of(n, "program.stage", stage_ids())) s.program.stage = *id;
  });
}

void StateValues::program_frequency(const yaml::Node& n, ClientState& s) {
  std::vector<std::string> frequencies;
  for (const auto& f : model_.ladder) frequencies.push_back(f.id);
  about({"program.frequency"}, [&] {
    if (auto id = reader_.one_of(n, "program.frequency", frequencies)) s.program.frequency = *id;
  });
}

std::optional<int> StateValues::count(const yaml::Node& n, std::string_view path) {
  std::optional<int> out;
  about({path}, [&] {
    if (auto v = reader_.integer(n, path, 0, max_state_count)) out = static_cast<int>(*v);
  });
  return out;
}

void StateValues::last_missed(const yaml::Node& n, ClientState& s, bool as_of_read) {
  about({"program.last_missed"}, [&] {
    if (auto d = reader_.date(n, "program.last_missed")) s.last_missed = *d;
  });
  if (as_of_read) last_missed_check(n, s);
}

void StateValues::last_missed_check(const yaml::Node& n, const ClientState& s) {
  if (s.last_missed && *s.last_missed > s.as_of)
    about({"program.last_missed", "as_of"}, [&] {
      reader_.error(n, "program.last_missed " + s.last_missed->to_string() + " is after as_of " +
                           s.as_of.to_string());
    });
}

void StateValues::sessions_in_stage_check(const yaml::Node& sessions_in_stage,
                                          const ClientState& s) {
  if (s.program.sessions_in_stage && *s.program.sessions_in_stage > s.program.sessions_completed)
    about({"program.sessions_in_stage", "program.sessions_completed"}, [&] {
      reader_.error(sessions_in_stage, "program.sessions_in_stage (" +
                                           std::to_string(*s.program.sessions_in_stage) +
                                           ") cannot exceed program.sessions_completed (" +
                                           std::to_string(s.program.sessions_completed) + ")");
    });
}

void StateValues::sensitivity(const yaml::Node& n, ClientState& s) {
  about({"sensitivity"}, [&] {
    if (auto v = reader_.one_of(n, "sensitivity", {"low", "moderate", "high"}))
      s.sensitivity = sensitivity_from(*v).value_or(Sensitivity::moderate);
  });
}

std::optional<bool> StateValues::boolean(const yaml::Node& n, std::string_view path) {
  std::optional<bool> out;
  about({path}, [&] { out = reader_.boolean(n, path); });
  return out;
}

std::optional<double> StateValues::number(const yaml::Node& n, const StateField& field,
                                          std::string_view what, std::string_view field_path) {
  std::optional<double> out;
  about({field_path.empty() ? field.path : field_path},
        [&] { out = reader_.number(n, what.empty() ? field.path : what, field.min, field.max); });
  return out;
}

std::optional<std::int64_t> StateValues::integer(const yaml::Node& n, const StateField& field,
                                                 std::string_view what,
                                                 std::string_view field_path) {
  std::optional<std::int64_t> out;
  about({field_path.empty() ? field.path : field_path}, [&] {
    out = reader_.integer(n, what.empty() ? field.path : what, static_cast<std::int64_t>(field.min),
                          static_cast<std::int64_t>(field.max));
  });
  return out;
}

bool StateValues::history_list(const yaml::Node& n) {
  if (!reader_.expect_sequence(n, "history")) return false;
  if (n.items.size() <= model_.limits.max_history_entries) return true;
  history_too_long(n, n.items.size());
  return false;
}

void StateValues::history_too_long(const yaml::Node& n, std::size_t count) {
  reader_.error(n, "history has " + std::to_string(count) + " entries; the limit is " +
                       std::to_string(model_.limits.max_history_entries));
}

std::optional<Date> StateValues::history_date(const yaml::Node& n, std::string_view field_path) {
  std::optional<Date> date;
  about({field_path}, [&] { date = reader_.date(n, "history date"); });
  return date;
}

void StateValues::history_order(const yaml::Node& n, Date date, Date previous,
                                std::string_view field_path, std::string_view previous_path) {
  if (date < previous)
    about({field_path, previous_path}, [&] {
      reader_.error(n, "history must be oldest first: " + date.to_string() + " follows " +
                           previous.to_string());
    });
}

void StateValues::history_after_as_of(const yaml::Node& n, Date date, Date as_of,
                                      std::string_view field_path) {
  if (date > as_of)
    about({field_path, "as_of"}, [&] {
      reader_.error(n, "history date " + date.to_string() + " is after as_of " + as_of.to_string());
    });
}

void StateValues::history_techniques(const yaml::Node& n, std::string_view field_path,
                                     HistoryEntry& h) {
  about({field_path}, [&] {
    if (auto list = reader_.string_list(n, "history techniques")) h.techniques = *list;
  });
}

std::optional<std::string> StateValues::history_override(const yaml::Node& n,
                                                         std::string_view field_path) {
  std::optional<std::string> out;
  about({field_path}, [&] { out = reader_.string(n, "history override"); });
  return out;
}

void StateValues::history_stage(const yaml::Node& n, std::string_view field_path, HistoryEntry& h) {
  about({field_path}, [&] {
    if (auto id = reader_.one_of(n, "history stage", stage_ids())) h.stage = *id;
  });
}

void StateValues::observations_not_a_mapping(const yaml::Node& n) {
  reader_.error(n, "observations must be a mapping of observation name to value");
}

std::size_t StateValues::observation_index(const yaml::Node& key) {
  std::size_t index = model_.observations.size();
  for (std::size_t i = 0; i < model_.observations.size(); ++i)
    if (model_.observations[i].name == key.value) index = i;
  if (index < model_.observations.size()) return index;
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
  return index;
}

void StateValues::observation_value(const ObservationDecl& decl, const yaml::Node& value,
                                    ObservationValue& out) {
  const std::string what = "observations." + decl.name;
  about({what}, [&] {
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
  });
}

void StateValues::missing_observation(const yaml::Node& at, const ObservationDecl& decl) {
  about({"observations." + decl.name},
        [&] { reader_.error(at, "missing required observation '" + decl.name + "'"); });
}

}  // namespace fascia::detail
