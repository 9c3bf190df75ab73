// The JSON state reader (core/state_json_reader_impl.hpp): the state's own
// members and the program; its entry point.
#include "core/state_json_reader.hpp"

#include "core/state_json_reader_impl.hpp"

#include <array>

namespace fascia::detail {

namespace state_json {

// Flattened (every call inlined: the mappings, their member lambdas, the
// scanner, program()), as entry() is: BM_BatchParseStateInto 12,582 ->
// 11,001 instructions a state for the two, for 37 KB more code.
[[gnu::flatten]] bool JsonStateReader::root(ClientState& s) {
  root_at_ = pos_;
  // Listed before the members are read, so observations can fill them in.
  // Assigned over a reused state's entries: their names keep their memory.
  s.observations.resize(model_.observations.size());
  for (std::size_t i = 0; i < s.observations.size(); ++i) {
    // Usually already the name (a reused state's): not copied again.
    if (!same_text(s.observations[i].name, model_.observations[i].name))
      s.observations[i].name = model_.observations[i].name;
    s.observations[i].value = std::monostate{};
  }
  // client, as_of, pain, sensitivity, pressure_tolerance, flare
  constexpr std::uint32_t required = 1u << 1 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 8;
  return mapping<keys::root, keys::root_required>(
      0, order(0, 0, 0), "client state", required, [&](int k) {
        const auto member = static_cast<unsigned>(k) + 1;
        const auto at = [&](unsigned check) { return order(member, 0, check); };
        switch (k) {
          case 0:
            return value(
                1, at(0),
                [&] {
                  int v = 0;
                  if (!integer(v, 0, 1'000'000) || v != state_format) return false;
                  s.format = v;
                  return true;
                },
                [&](StateValues& v, const yaml::Node& n) { v.format(n, s); });
          case 1:
            return mapping<keys::client, keys::client>(1, at(0), "client", 0b11, [&](int m) {
              if (m == 1)
                return value(
                    2, at(3), [&] { return one_of(s.condition, model_.conditions); },
                    [&](StateValues& v, const yaml::Node& n) { v.condition(n, s); });
              return value(
                  2, at(2),
                  [&] {
                    std::string_view v;
                    if (!text(v)) return false;
                    s.client_id.assign(v);
                    return true;
                  },
                  [&](StateValues& v, const yaml::Node& n) { v.client_id(n, s); });
            });
          case 2:
            return value(
                1, at(0), [&] { return as_of_read_ = date(s.as_of); },
                [&](StateValues& v, const yaml::Node& n) { as_of_read_ = v.as_of(n, s); });
          case 3:
            return null_here() || program(s);
          case 4:
            return mapping<keys::pain, keys::pain>(1, at(0), "pain", 0b11, [&](int m) {
              const StateField& f =
                  m == 0 ? state_field("pain.current") : state_field("pain.baseline");
              double& out = m == 0 ? s.pain.current : s.pain.baseline;
              return value(
                  2, at(static_cast<unsigned>(m) + 2), [&] { return number_of(out, f); },
                  [&](StateValues& v, const yaml::Node& n) {
                    if (auto x = v.number(n, f)) out = *x;
                  });
            });
          case 5:
            return value(
                1, at(0),
                [&] {
                  std::string_view v;
                  if (!text(v)) return false;
                  const auto sensitivity = sensitivity_from(v);
                  if (sensitivity) s.sensitivity = *sensitivity;
                  return sensitivity.has_value();
                },
                [&](StateValues& v, const yaml::Node& n) { v.sensitivity(n, s); });
          case 6:
            return value(
                1, at(0),
                [&] { return integer_of(s.pressure_tolerance, state_field("pressure_tolerance")); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto x = v.integer(n, state_field("pressure_tolerance")))
                    s.pressure_tolerance = static_cast<int>(*x);
                });
          case 7:
            return value(
                1, at(0),
                [&] {
                  return null_here() || number_of(s.sleep_quality, state_field("sleep_quality"));
                },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto x = v.number(n, state_field("sleep_quality"))) s.sleep_quality = *x;
                });
          case 8: {
            auto& f = s.flare;
            return mapping<keys::flare, keys::flare_required>(1, at(0), "flare", 0b1, [&](int m) {
              const auto slot = at(static_cast<unsigned>(m) + 2);
              switch (m) {
                case 0:
                  return value(
                      2, slot, [&] { return boolean(f.active); },
                      [&](StateValues& v, const yaml::Node& n) {
                        if (auto b = v.boolean(n, "flare.active")) f.active = *b;
                      });
                case 1:
                  return value(
                      2, slot, [&] { return number_of(f.severity, state_field("flare.severity")); },
                      [&](StateValues& v, const yaml::Node& n) {
                        if (auto x = v.number(n, state_field("flare.severity"))) f.severity = *x;
                      });
                case 2:
                  return value(
                      2, slot, [&] { return null_here() || count(f.days_since_last); },
                      [&](StateValues& v, const yaml::Node& n) {
                        if (auto c = v.count(n, "flare.days_since_last")) f.days_since_last = *c;
                      });
                default:
                  return value(
                      2, slot, [&] { return count(f.count_30d); },
                      [&](StateValues& v, const yaml::Node& n) {
                        if (auto c = v.count(n, "flare.count_30d")) f.count_30d = *c;
                      });
              }
            });
          }
          case 9:
            return value(
                1, at(0), [&] { return boolean(s.medications_changed); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto b = v.boolean(n, "medications_changed")) s.medications_changed = *b;
                });
          case 10:
            return history(s);
          default:
            return observations(s);
        }
      });
}

bool JsonStateReader::program(ClientState& s) {
  auto& p = s.program;
  // The tree reader's order: stage, frequency, the counts, last_missed.
  static constexpr std::array<unsigned, 7> slots = {2, 4, 5, 6, 3, 7, 8};
  static constexpr std::array<std::string_view, 7> paths = {"program.stage",
                                                            "program.sessions_completed",
                                                            "program.sessions_in_stage",
                                                            "program.weeks_in_program",
                                                            "program.frequency",
                                                            "program.missed_sessions_30d",
                                                            "program.last_missed"};
  const bool ok =
      mapping<keys::program, keys::none>(1, order(program_member, 0, 0), "program", 0, [&](int k) {
        const auto at = order(program_member, 0, slots[static_cast<std::size_t>(k)]);
        const std::string_view path = paths[static_cast<std::size_t>(k)];
        const auto counted = [&](int& out) {
          return value(
              2, at, [&] { return count(out); },
              [&](StateValues& v, const yaml::Node& n) {
                if (auto c = v.count(n, path)) out = *c;
              });
        };
        switch (k) {
          case 0:
            return value(
                2, at, [&] { return stage(p.stage); },
                [&](StateValues& v, const yaml::Node& n) { v.program_stage(n, s); });
          case 2:
            in_stage_at_ = pos_;
            return value(
                2, at, [&] { return count(p.sessions_in_stage); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto c = v.count(n, path)) p.sessions_in_stage = *c;
                });
          case 4:
            return value(
                2, at, [&] { return frequency(p.frequency); },
                [&](StateValues& v, const yaml::Node& n) { v.program_frequency(n, s); });
          case 6:  // written by fascia record: read as a node, checked against as_of at the end
            return value(
                2, at, [&] { return null_here(); },
                [&](StateValues& v, const yaml::Node& n) {
                  v.last_missed(n, s, false);
                  last_missed_ = n;
                });
          default:
            return counted(k == 1   ? p.sessions_completed
                           : k == 3 ? p.weeks_in_program
                                    : p.missed_sessions_30d);
        }
      });
  if (ok && p.sessions_in_stage && *p.sessions_in_stage > p.sessions_completed)
    report(order(program_member, 0, 10),
           [&](StateValues& v) { v.sessions_in_stage_check(node_at(in_stage_at_), s); });
  return ok;
}

}  // namespace state_json

JsonStateStatus read_json_state(std::string_view text, const std::string& file,
                                const ProtocolModel& model, ClientState& out,
                                Diagnostics& diagnostics) {
  if (!json::looks_like_json_object(text)) return JsonStateStatus::not_json;
  state_json::JsonStateReader reader(text, file, model);
  if (reader.read(out)) {
    reader.append_problems(diagnostics);
    return JsonStateStatus::read;
  }
  // The JSON itself is broken: the JSON parser says how, or finds it is not
  // JSON at all (YAML may read it).
  yaml::Document document;
  Diagnostics problems;
  switch (json::parse_json_document(text, file, model.limits, document, problems)) {
    case json::JsonStatus::not_json:
      return JsonStateStatus::not_json;
    case json::JsonStatus::invalid:
      diagnostics.insert(diagnostics.end(), std::make_move_iterator(problems.begin()),
                         std::make_move_iterator(problems.end()));
      return JsonStateStatus::invalid;
    case json::JsonStatus::ok:
      break;
  }
  diagnostics.push_back(Diagnostic{Severity::error, SourceLocation{file, 0, 0},
                                   "internal error: the JSON state reader stopped on valid JSON",
                                   DiagnosticCode::internal_error});
  return JsonStateStatus::invalid;
}

namespace {
// What a new ClientState holds, read member by member below.
const ClientState new_state{};
}  // namespace

void reset_keeping_memory(ClientState& s) {
  // Every member as a new ClientState has it, so none is left from the
  // last state; the strings and lists keep their buffers, emptied. Member
  // by member in place, not a new ClientState moved in (its construction,
  // move and destruction were ~370 instructions a batch line).
#if defined(__GLIBCXX__) && __SIZEOF_POINTER__ == 8 && _GLIBCXX_USE_CXX11_ABI && \
    !defined(_GLIBCXX_DEBUG)
  static_assert(sizeof(ClientState) == 344, "a member was added to ClientState: reset it here");
#endif
  const ClientState& fresh = new_state;
  s.format = fresh.format;
  s.client_id.clear();
  s.condition.clear();
  s.as_of = fresh.as_of;
  s.program.stage.clear();
  s.program.sessions_completed = fresh.program.sessions_completed;
  s.program.sessions_in_stage = fresh.program.sessions_in_stage;
  s.program.weeks_in_program = fresh.program.weeks_in_program;
  s.program.frequency.clear();
  s.program.missed_sessions_30d = fresh.program.missed_sessions_30d;
  s.pain = fresh.pain;
  s.sensitivity = fresh.sensitivity;
  s.pressure_tolerance = fresh.pressure_tolerance;
  s.sleep_quality = fresh.sleep_quality;
  s.flare = fresh.flare;
  s.medications_changed = fresh.medications_changed;
  // Entries kept whole (with their buffers): the reader overwrites each
  // one it reads and drops the rest.
  s.history_overrides.clear();
  // Kept with their names (the protocol's, rewritten by the reader), values
  // cleared.
  for (auto& o : s.observations) o.value = std::monostate{};
  s.last_missed = fresh.last_missed;
}

}  // namespace fascia::detail
