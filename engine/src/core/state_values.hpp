#pragma once
// The checks of each value of a client state (CONTRACT.md, format 1), from a
// located yaml::Node: its type and range (from the table of state fields,
// core/state_fields.hpp), the checks across fields, every message and the
// client-state paths each problem names (Diagnostic::fields). Both state
// readers make them through this class: the tree reader
// (core/state_reader.cpp, YAML states) for every value, the JSON reader
// (core/state_json_reader.cpp) for every value it does not read itself
// (an error, an escape, an unusual form), so that the two cannot drift.

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

struct StateField;

class StateValues {
 public:
  StateValues(const ProtocolModel& model, yaml::Reader& reader, Diagnostics& diagnostics)
      : model_(model), reader_(reader), diagnostics_(diagnostics) {}

  yaml::Reader& reader() noexcept { return reader_; }

  // Runs `read` and names `fields` (Diagnostic::fields) on every diagnostic
  // it adds: the CLI says which --set a problem comes from by these.
  template <class Read>
  void about(std::initializer_list<std::string_view> fields, Read&& read) {
    const std::size_t before = diagnostics_.size();
    read();
    for (std::size_t i = before; i < diagnostics_.size(); ++i)
      if (diagnostics_[i].fields.empty())
        for (std::string_view field : fields) diagnostics_[i].fields.emplace_back(field);
  }

  // The members of the mapping `what`: unknown and missing keys.
  bool mapping(const yaml::Node& n, std::string_view what,
               std::initializer_list<std::string_view> allowed,
               std::initializer_list<std::string_view> required = {}) {
    return reader_.expect_mapping(n, what, allowed, required);
  }

  void format(const yaml::Node& n, ClientState& s);
  void client_id(const yaml::Node& n, ClientState& s);
  void condition(const yaml::Node& n, ClientState& s);
  // True when as_of was read (the date checks against it are then made).
  bool as_of(const yaml::Node& n, ClientState& s);
  void program_stage(const yaml::Node& n, ClientState& s);
  void program_frequency(const yaml::Node& n, ClientState& s);
  // A count (sessions, weeks, days, flares) at `path`.
  std::optional<int> count(const yaml::Node& n, std::string_view path);
  // Read, then checked against as_of when `as_of_read`.
  void last_missed(const yaml::Node& n, ClientState& s, bool as_of_read);
  void last_missed_check(const yaml::Node& n, const ClientState& s);
  // After the program's members: sessions_in_stage against sessions_completed.
  void sessions_in_stage_check(const yaml::Node& sessions_in_stage, const ClientState& s);
  void sensitivity(const yaml::Node& n, ClientState& s);
  std::optional<bool> boolean(const yaml::Node& n, std::string_view path);

  // A field of the table of state fields, with its range; `what` names a
  // history field ("history pressure") and `field_path` its entry.
  std::optional<double> number(const yaml::Node& n, const StateField& field,
                               std::string_view what = {}, std::string_view field_path = {});
  std::optional<std::int64_t> integer(const yaml::Node& n, const StateField& field,
                                      std::string_view what = {}, std::string_view field_path = {});

  // history: a list of at most limits.max_history_entries entries.
  bool history_list(const yaml::Node& n);
  void history_too_long(const yaml::Node& n, std::size_t count);
  std::optional<Date> history_date(const yaml::Node& n, std::string_view field_path);
  // A history date after the previous entry's (`previous_path` its date's path).
  void history_order(const yaml::Node& n, Date date, Date previous, std::string_view field_path,
                     std::string_view previous_path);
  void history_after_as_of(const yaml::Node& n, Date date, Date as_of, std::string_view field_path);
  void history_techniques(const yaml::Node& n, std::string_view field_path, HistoryEntry& h);
  // The reason a session left the plan, or nullopt.
  std::optional<std::string> history_override(const yaml::Node& n, std::string_view field_path);
  void history_stage(const yaml::Node& n, std::string_view field_path, HistoryEntry& h);

  void observations_not_a_mapping(const yaml::Node& n);
  // The index of the declaration named by `key` (the last of that name), or
  // the number of declarations after reporting it.
  std::size_t observation_index(const yaml::Node& key);
  void observation_value(const ObservationDecl& decl, const yaml::Node& value,
                         ObservationValue& out);
  void missing_observation(const yaml::Node& at, const ObservationDecl& decl);

 private:
  const std::vector<std::string>& stage_ids();

  const ProtocolModel& model_;
  yaml::Reader& reader_;
  Diagnostics& diagnostics_;
  std::vector<std::string> stage_ids_;  // filled when first needed
};

// `field_path` of history entry `index` of `count`: "last.KEY" for the
// newest entry, "history[INDEX].KEY" for the others (the `--set` paths).
std::string history_field(std::size_t count, std::size_t index, std::string_view key);

}  // namespace fascia::detail
