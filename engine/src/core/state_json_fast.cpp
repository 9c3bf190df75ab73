// The common case of a JSON client state, read straight into a ClientState
// without building a yaml::Document (most of the cost of a batch line's
// parse): plain ASCII strings, every value of the expected type and in
// range. Anything else (an escape, non-ASCII text, an unknown or duplicate
// key, a wrong type, a value out of range, a limit reached, a syntax error)
// gives up, and the located path reads the text as it always did. So this
// path accepts only states that path accepts, with the same result, and
// every message still comes from that path.
#include "core/state_json_fast.hpp"

#include "core/state_fields.hpp"

#include <fascia/version.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace fascia::detail {

namespace {

// Index of `key` in `names`, or -1. The search starts at `hint` (the key
// after the previous one), since states list keys in the usual order.
int index_of(std::string_view key, std::initializer_list<std::string_view> names,
             std::size_t hint) noexcept {
  const std::size_t n = names.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = hint + k < n ? hint + k : hint + k - n;
    if (names.begin()[i] == key) return static_cast<int>(i);
  }
  return -1;
}

// Bytes a string may hold as they are: printable ASCII but '"' and '\\'.
constexpr auto plain_bytes = [] {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x7F; ++c) table[c] = c != '"' && c != '\\';
  return table;
}();

bool contains(const std::vector<std::string>& ids, std::string_view id) noexcept {
  for (const auto& i : ids)
    if (i == id) return true;
  return false;
}

class FastStateReader {
 public:
  FastStateReader(std::string_view text, const ProtocolModel& model) noexcept
      : text_(text), model_(model), limits_(model.limits) {}

  bool read(ClientState& s) {
    if (text_.size() > limits_.max_file_bytes) return false;
    skip_blanks();
    if (!root(s)) return false;
    skip_blanks();
    return pos_ == text_.size() && finish(s);
  }

 private:
  // A scalar token: text is a string's contents or a number/literal as written.
  struct Scalar {
    enum class Kind : std::uint8_t { string, integer, number, true_, false_, null } kind;
    std::string_view text;
  };

  bool at_end() const noexcept { return pos_ >= text_.size(); }
  char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  bool eat(char c) noexcept {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void skip_blanks() noexcept {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }
  // The document reader counts every key, value and collection.
  bool count_node() noexcept { return ++nodes_ <= limits_.max_yaml_nodes; }

  // At a '"': a string of printable ASCII without escapes, within the limit.
  bool string(std::string_view& out) noexcept {
    if (!eat('"') || !count_node()) return false;
    const std::size_t start = pos_;
    while (!at_end() && plain_bytes[static_cast<unsigned char>(text_[pos_])]) ++pos_;
    if (!eat('"')) return false;  // an escape, a control or non-ASCII byte, or the end
    out = text_.substr(start, pos_ - 1 - start);
    return out.size() <= limits_.max_string_length;
  }

  // At `"name"` (a known key: plain, and short unless the limit is tiny):
  // moves past it.
  bool at_key(std::string_view name) noexcept {
    const std::size_t end = pos_ + name.size() + 1;
    if (end >= text_.size() || text_[pos_] != '"' || text_[end] != '"' ||
        text_.compare(pos_ + 1, name.size(), name) != 0 || name.size() > limits_.max_string_length)
      return false;
    pos_ = end + 1;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?
  bool number(Scalar& out) noexcept {
    const std::size_t start = pos_;
    const auto digit = [&] { return !at_end() && text_[pos_] >= '0' && text_[pos_] <= '9'; };
    const auto digits = [&] {
      if (!digit()) return false;
      while (digit()) ++pos_;
      return true;
    };
    bool integer = true;
    eat('-');
    if (eat('0')) {
      if (digit()) return false;
    } else if (!digits()) {
      return false;
    }
    if (eat('.')) {
      integer = false;
      if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      ++pos_;
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    out = {integer ? Scalar::Kind::integer : Scalar::Kind::number,
           text_.substr(start, pos_ - start)};
    return count_node();
  }

  bool literal(std::string_view word) noexcept {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return count_node();
  }

  // Any scalar; false for a collection (never expected where this is used).
  bool scalar(Scalar& out) noexcept {
    switch (peek()) {
      case '"':
        out.kind = Scalar::Kind::string;
        return string(out.text);
      case 't':
        out.kind = Scalar::Kind::true_;
        return literal("true");
      case 'f':
        out.kind = Scalar::Kind::false_;
        return literal("false");
      case 'n':
        out.kind = Scalar::Kind::null;
        return literal("null");
      default:
        return number(out);
    }
  }

  // A null value (the member is then as if absent), or not.
  bool null_here() noexcept {
    if (peek() != 'n') return false;
    Scalar ignored;
    return scalar(ignored);
  }

  // The typed values, as yaml::Reader accepts them from JSON (strings only
  // where text is expected: other scalars are rare and left to it).
  bool text(std::string_view& out, bool allow_empty = false) noexcept {
    return peek() == '"' && string(out) && (allow_empty || !out.empty());
  }
  bool integer(std::int64_t& out, std::int64_t min, std::int64_t max) noexcept {
    Scalar s;
    if (!scalar(s) || s.kind != Scalar::Kind::integer) return false;
    const auto result = std::from_chars(s.text.data(), s.text.data() + s.text.size(), out);
    return result.ec == std::errc{} && out >= min && out <= max;
  }
  template <class T>
  bool integer(T& out, std::int64_t min, std::int64_t max) noexcept {
    std::int64_t v = 0;
    if (!integer(v, min, max)) return false;
    out = static_cast<T>(v);
    return true;
  }
  bool count(int& out) noexcept { return integer(out, 0, max_state_count); }
  // Into an optional member, which is set only when the value is valid.
  bool integer(std::optional<int>& out, std::int64_t min, std::int64_t max) noexcept {
    int v = 0;
    if (!integer(v, min, max)) return false;
    out = v;
    return true;
  }
  bool number(std::optional<double>& out, double min, double max) noexcept {
    double v = 0;
    if (!number(v, min, max)) return false;
    out = v;
    return true;
  }
  // A YYYY-MM-DD string.
  bool date(Date& out) noexcept {
    std::string_view v;
    if (!text(v)) return false;
    const auto parsed = Date::parse(v);
    if (parsed) out = *parsed;
    return parsed.has_value();
  }
  bool number(double& out, double min, double max) noexcept {
    Scalar s;
    if (!scalar(s) || (s.kind != Scalar::Kind::integer && s.kind != Scalar::Kind::number))
      return false;
    if (s.kind == Scalar::Kind::integer && s.text[0] != '-' && s.text.size() <= 15) {
      // Most numbers are small whole ones: exact as a double (below 2^53),
      // so the same value from_chars gives. (-0 is left to it: it is -0.0.)
      std::int64_t whole = 0;
      for (const char c : s.text) whole = whole * 10 + (c - '0');
      out = static_cast<double>(whole);
      return out >= min && out <= max;
    }
    const char* end = s.text.data() + s.text.size();
    const auto result = std::from_chars(s.text.data(), end, out, std::chars_format::general);
    return result.ec == std::errc{} && result.ptr == end && std::isfinite(out) && out >= min &&
           out <= max;
  }
  bool boolean(bool& out) noexcept {
    Scalar s;
    if (!scalar(s) || (s.kind != Scalar::Kind::true_ && s.kind != Scalar::Kind::false_))
      return false;
    out = s.kind == Scalar::Kind::true_;
    return true;
  }
  bool one_of(std::string& out, const std::vector<std::string>& allowed) {
    std::string_view v;
    if (!text(v) || !contains(allowed, v)) return false;
    out.assign(v);
    return true;
  }

  // A '{' at `depth` (collections open around it): member(key) reads each
  // value; a key met twice gives up. `seen` gets one bit per key index.
  template <class Member>
  bool object(std::size_t depth, std::initializer_list<std::string_view> keys, std::uint32_t& seen,
              Member&& member) {
    if (!eat('{') || !count_node() || depth >= limits_.max_yaml_depth) return false;
    skip_blanks();
    if (eat('}')) return true;
    std::size_t hint = 0;
    while (true) {
      // The usual next key is compared in place, without a scan of its bytes.
      const std::size_t expected = hint < keys.size() ? hint : 0;
      int k = -1;
      if (at_key(keys.begin()[expected])) {
        if (!count_node()) return false;
        k = static_cast<int>(expected);
      } else {
        std::string_view key;
        if (!string(key)) return false;
        k = index_of(key, keys, hint);
      }
      if (k < 0 || (seen >> k & 1u)) return false;
      seen |= 1u << k;
      hint = static_cast<std::size_t>(k) + 1;
      skip_blanks();
      if (!eat(':')) return false;
      skip_blanks();
      if (!member(k)) return false;
      skip_blanks();
      if (eat('}')) return true;
      if (!eat(',')) return false;
      skip_blanks();
    }
  }

  template <class Item>
  bool array(std::size_t depth, Item&& item) {
    if (!eat('[') || !count_node() || depth >= limits_.max_yaml_depth) return false;
    skip_blanks();
    if (eat(']')) return true;
    while (true) {
      if (!item()) return false;
      skip_blanks();
      if (eat(']')) return true;
      if (!eat(',')) return false;
      skip_blanks();
    }
  }

  static constexpr bool has(std::uint32_t seen, std::uint32_t required) noexcept {
    return (seen & required) == required;
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
                              return number(m == 0 ? s.pain.current : s.pain.baseline, 0, 10);
                            }) &&
                     has(seen_pain, 0b11);
            }
            case 5: {
              std::string_view v;
              if (!text(v)) return false;
              if (v == "low")
                s.sensitivity = Sensitivity::low;
              else if (v == "moderate")
                s.sensitivity = Sensitivity::moderate;
              else if (v == "high")
                s.sensitivity = Sensitivity::high;
              else
                return false;
              return true;
            }
            case 6:
              return integer(s.pressure_tolerance, 1, 10);
            case 7:
              return null_here() || number(s.sleep_quality, 0, 10);
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
    const bool ok = object(1,
                           {"stage", "sessions_completed", "sessions_in_stage", "weeks_in_program",
                            "frequency", "missed_sessions_30d"},
                           seen, [&](int k) {
                             switch (k) {
                               case 0: {
                                 std::string_view v;
                                 if (!text(v) || model_.stage_index(v) >= model_.stages.size())
                                   return false;
                                 p.stage.assign(v);
                                 return true;
                               }
                               case 1:
                                 return count(p.sessions_completed);
                               case 2:
                                 return integer(p.sessions_in_stage, 0, max_state_count);
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
                        return number(f.severity, 0, 10);
                      case 2:
                        return null_here() || integer(f.days_since_last, 0, max_state_count);
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
      const auto score = [&](std::optional<double>& out) {
        return null_here() || number(out, 0, 10);
      };
      return object(2,
                    {"date", "techniques", "pressure", "soreness_24h", "pain_before", "pain_after"},
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
                          return null_here() || integer(h.pressure, 1, 10);
                        case 3:
                          return score(h.soreness_24h);
                        case 4:
                          return score(h.pain_before);
                        default:
                          return score(h.pain_after);
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
    const double lo = decl.min.value_or(-1e9), hi = decl.max.value_or(1e9);
    switch (decl.kind) {
      case ObservationDecl::Kind::integer: {
        std::int64_t v = 0;
        if (!integer(v, static_cast<std::int64_t>(std::ceil(lo)),
                     static_cast<std::int64_t>(std::floor(hi))))
          return false;
        out = static_cast<double>(v);
        return true;
      }
      case ObservationDecl::Kind::number: {
        double v = 0;
        if (!number(v, lo, hi)) return false;
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

  std::string_view text_;
  const ProtocolModel& model_;
  const Limits& limits_;
  std::size_t pos_ = 0;
  std::size_t nodes_ = 0;
};

}  // namespace

bool read_json_state_fast(std::string_view text, const ProtocolModel& model, ClientState& out) {
  out = ClientState{};
  return FastStateReader(text, model).read(out);
}

}  // namespace fascia::detail
