// The common case of a JSON client state, read straight into a ClientState
// without building a yaml::Document (most of the cost of a batch line's
// parse): plain ASCII strings, every value of the expected type and in
// range. Anything else (an escape, non-ASCII text, an unknown or duplicate
// key, a wrong type, a value out of range, a limit reached, a syntax error)
// gives up, and the located path reads the text as it always did. So this
// path accepts only states that path accepts, with the same result, and
// every message still comes from that path. The JSON under it is read by
// json/json_scanner.hpp, with the lexical rules of the located reader
// (json/json_text.hpp).
#include "core/state_json_fast.hpp"

#include "core/state_fields.hpp"
#include "json/json_scanner.hpp"

#include <fascia/version.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <type_traits>

namespace fascia::detail {

namespace {

using json::contains;

class FastStateReader : json::JsonScanner {
 public:
  FastStateReader(std::string_view text, const ProtocolModel& model) noexcept
      : JsonScanner(text, model.limits), model_(model) {}

  bool read(ClientState& s) {
    if (text_.size() > limits_.max_file_bytes) return false;
    skip_blanks();
    if (!root(s)) return false;
    skip_blanks();
    return pos_ == text_.size() && finish(s);
  }

 private:
  bool count(int& out) noexcept { return integer(out, 0, max_state_count); }

  // A value in the range the table of state fields gives.
  template <class T>
  bool field(T& out, const StateField& f) noexcept {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>)
      return number(out, f.min, f.max);
    else
      return integer(out, static_cast<std::int64_t>(f.min), static_cast<std::int64_t>(f.max));
  }

  bool root(ClientState& s) {
    // Listed before the members are read, so observations can fill them in.
    s.observations.clear();
    for (const auto& decl : model_.observations)
      s.observations.push_back({decl.name, std::monostate{}});
    std::uint32_t seen = 0;
    const bool ok = object(
        0,
        {"format", "client", "as_of", "program", "pain", "sensitivity", "pressure_tolerance",
         "sleep_quality", "flare", "medications_changed", "history", "observations"},
        seen, [&](int k) {
          switch (k) {
            case 0:
              return integer(s.format, 0, 1'000'000) && s.format == state_format;
            case 1:
              return client(s);
            case 2:
              return date(s.as_of);
            case 3:
              return null_here() || program(s);
            case 4: {
              std::uint32_t seen_pain = 0;
              return object(1, {"current", "baseline"}, seen_pain,
                            [&](int m) {
                              return m == 0 ? field(s.pain.current, state_field("pain.current"))
                                            : field(s.pain.baseline, state_field("pain.baseline"));
                            }) &&
                     has(seen_pain, 0b11);
            }
            case 5: {
              std::string_view v;
              if (!text(v)) return false;
              const auto sensitivity = sensitivity_from(v);
              if (sensitivity) s.sensitivity = *sensitivity;
              return sensitivity.has_value();
            }
            case 6:
              return field(s.pressure_tolerance, state_field("pressure_tolerance"));
            case 7:
              return null_here() || field(s.sleep_quality, state_field("sleep_quality"));
            case 8:
              return flare(s);
            case 9:
              return boolean(s.medications_changed);
            case 10:
              return null_here() || history(s);
            default:
              return null_here() || observations(s);
          }
        });
    // client, as_of, pain, sensitivity, pressure_tolerance, flare
    return ok && has(seen, 1u << 1 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 8);
  }

  bool client(ClientState& s) {
    std::uint32_t seen = 0;
    return object(1, {"id", "condition"}, seen,
                  [&](int k) {
                    if (k == 1) return one_of(s.condition, model_.conditions);
                    std::string_view v;
                    if (!text(v)) return false;
                    s.client_id.assign(v);
                    return true;
                  }) &&
           has(seen, 0b11);
  }

  bool program(ClientState& s) {
    auto& p = s.program;
    std::uint32_t seen = 0;
    const bool ok =
        object(1,
               {"stage", "sessions_completed", "sessions_in_stage", "weeks_in_program", "frequency",
                "missed_sessions_30d"},
               seen, [&](int k) {
                 switch (k) {
                   case 0: {
                     std::string_view v;
                     if (!text(v) || model_.stage_index(v) >= model_.stages.size()) return false;
                     p.stage.assign(v);
                     return true;
                   }
                   case 1:
                     return count(p.sessions_completed);
                   case 2:
                     return field(p.sessions_in_stage, state_field("program.sessions_in_stage"));
                   case 3:
                     return count(p.weeks_in_program);
                   case 4: {
                     std::string_view v;
                     if (!text(v) || model_.frequency_index(v) >= model_.ladder.size())
                       return false;
                     p.frequency.assign(v);
                     return true;
                   }
                   default:
                     return count(p.missed_sessions_30d);
                 }
               });
    return ok && !(p.sessions_in_stage && *p.sessions_in_stage > p.sessions_completed);
  }

  bool flare(ClientState& s) {
    auto& f = s.flare;
    std::uint32_t seen = 0;
    return object(1, {"active", "severity", "days_since_last", "count_30d"}, seen,
                  [&](int k) {
                    switch (k) {
                      case 0:
                        return boolean(f.active);
                      case 1:
                        return field(f.severity, state_field("flare.severity"));
                      case 2:
                        return null_here() ||
                               field(f.days_since_last, state_field("flare.days_since_last"));
                      default:
                        return count(f.count_30d);
                    }
                  }) &&
           has(seen, 0b1);
  }

  bool history(ClientState& s) {
    return array(1, [&] {
      if (s.history.size() >= model_.limits.max_history_entries) return false;
      HistoryEntry& h = s.history.emplace_back();
      std::uint32_t seen = 0;
      // A 0-10 score, or null (absent).
      const auto score = [&](std::optional<double>& out, const StateField& f) {
        return null_here() || field(out, f);
      };
      return object(2,
                    {"date", "techniques", "pressure", "soreness_24h", "pain_before", "pain_after",
                     "stage"},
                    seen,
                    [&](int k) {
                      switch (k) {
                        case 0:
                          return date(h.date);
                        case 1:
                          return array(3, [&] {
                            std::string_view v;
                            if (!text(v)) return false;
                            h.techniques.emplace_back(v);
                            return true;
                          });
                        case 2:
                          return null_here() || field(h.pressure, state_field("last.pressure"));
                        case 3:
                          return score(h.soreness_24h, state_field("last.soreness_24h"));
                        case 4:
                          return score(h.pain_before, state_field("last.pain_before"));
                        case 5:
                          return score(h.pain_after, state_field("last.pain_after"));
                        default: {
                          if (null_here()) return true;
                          std::string_view v;
                          if (!text(v) || model_.stage_index(v) >= model_.stages.size())
                            return false;
                          h.stage.assign(v);
                          return true;
                        }
                      }
                    }) &&
             has(seen, 0b1);
    });
  }

  bool observations(ClientState& s) {
    if (!eat('{') || !count_node() || limits_.max_yaml_depth <= 1) return false;
    const auto& decls = model_.observations;
    std::vector<bool> seen(decls.size());
    skip_blanks();
    if (eat('}')) return true;
    while (true) {
      std::string_view key;
      if (!string(key)) return false;
      // The last declaration of that name, as the document reader takes.
      std::size_t index = decls.size();
      for (std::size_t i = 0; i < decls.size(); ++i)
        if (decls[i].name == key) index = i;
      if (index == decls.size() || seen[index]) return false;
      seen[index] = true;
      skip_blanks();
      if (!eat(':')) return false;
      skip_blanks();
      if (!null_here() && !observation(decls[index], s.observations[index].value)) return false;
      skip_blanks();
      if (eat('}')) return true;
      if (!eat(',')) return false;
      skip_blanks();
    }
  }

  bool observation(const ObservationDecl& decl, ObservationValue& out) {
    const ObservationRange range = observation_range(decl);
    switch (decl.kind) {
      case ObservationDecl::Kind::integer: {
        std::int64_t v = 0;
        if (!integer(v, range.min_integer, range.max_integer)) return false;
        out = static_cast<double>(v);
        return true;
      }
      case ObservationDecl::Kind::number: {
        double v = 0;
        if (!number(v, range.min, range.max)) return false;
        out = v;
        return true;
      }
      case ObservationDecl::Kind::boolean: {
        bool v = false;
        if (!boolean(v)) return false;
        out = v;
        return true;
      }
      case ObservationDecl::Kind::enumeration: {
        std::string_view v;
        if (!text(v) || !contains(decl.values, v)) return false;
        out = std::string(v);
        return true;
      }
      case ObservationDecl::Kind::string: {
        std::string_view v;
        if (!text(v, true)) return false;
        out = std::string(v);
        return true;
      }
    }
    return false;
  }

  // The checks the document reader makes across members.
  bool finish(const ClientState& s) const noexcept {
    for (std::size_t i = 0; i < s.history.size(); ++i) {
      if (i > 0 && s.history[i].date < s.history[i - 1].date) return false;
      if (s.history[i].date > s.as_of) return false;
    }
    for (std::size_t i = 0; i < model_.observations.size(); ++i)
      if (model_.observations[i].required &&
          std::holds_alternative<std::monostate>(s.observations[i].value))
        return false;
    return true;
  }

  const ProtocolModel& model_;
};

}  // namespace

bool read_json_state_fast(std::string_view text, const ProtocolModel& model, ClientState& out) {
  out = ClientState{};
  return FastStateReader(text, model).read(out);
}

}  // namespace fascia::detail
