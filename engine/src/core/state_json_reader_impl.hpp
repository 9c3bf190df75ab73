#pragma once
// JSON client states read straight into a ClientState, in one pass and
// without a document tree, with every problem with the state located and
// reported as the tree reader of YAML states reports it. The common form of
// each value (plain ASCII strings, values of the expected type and range)
// is read here, on json/json_scanner.hpp; any other value (an error, an
// escape, non-ASCII text, a collection where a scalar belongs) is read at
// its offset by the JSON parser (json/json_document.hpp) into a located
// node and checked by StateValues (core/state_values.hpp), which reports
// it. A mapping with an unknown or missing key is read again as a node for
// the same messages. Problems are reported in the tree reader's order
// (`order` below); the checks across members wait for the end of the text.
// When the JSON itself is broken (syntax, a duplicate key, a limit), the
// JSON parser reads the whole text again to say why.
#include "core/state_fields.hpp"
#include "core/state_json_reader.hpp"
#include "core/state_values.hpp"
#include "json/json_document.hpp"
#include "json/json_scanner.hpp"
#include "json/text_positions.hpp"
#include "yaml/reader.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace fascia::detail::state_json {

using json::contains;

// Where a problem goes in the order the tree reader reports them: the
// member of the state (0: the state's own keys, k + 1: its k-th key), the
// history entry (1-based) and the check (0: the keys of the mapping).
constexpr std::uint64_t order(unsigned member, std::size_t entry, unsigned check) noexcept {
  return std::uint64_t{member} << 48 | std::uint64_t{entry} << 16 | check;
}
constexpr unsigned program_member = 4, history_member = 11, observations_member = 12;

// The keys of each mapping, in the usual order, and its required ones:
// constants, so that the in-order path compares constant names.
namespace keys {
inline constexpr std::array<std::string_view, 12> root = {"format",
                                                          "client",
                                                          "as_of",
                                                          "program",
                                                          "pain",
                                                          "sensitivity",
                                                          "pressure_tolerance",
                                                          "sleep_quality",
                                                          "flare",
                                                          "medications_changed",
                                                          "history",
                                                          "observations"};
inline constexpr std::array<std::string_view, 6> root_required = {
    "client", "as_of", "pain", "sensitivity", "pressure_tolerance", "flare"};
inline constexpr std::array<std::string_view, 2> client = {"id", "condition"};
inline constexpr std::array<std::string_view, 2> pain = {"current", "baseline"};
inline constexpr std::array<std::string_view, 4> flare = {"active", "severity", "days_since_last",
                                                          "count_30d"};
inline constexpr std::array<std::string_view, 1> flare_required = {"active"};
inline constexpr std::array<std::string_view, 7> program = {
    "stage",     "sessions_completed",  "sessions_in_stage", "weeks_in_program",
    "frequency", "missed_sessions_30d", "last_missed"};
inline constexpr std::array<std::string_view, 8> entry = {
    "date",        "techniques", "pressure", "soreness_24h",
    "pain_before", "pain_after", "override", "stage"};
inline constexpr std::array<std::string_view, 1> entry_required = {"date"};
inline constexpr std::array<std::string_view, 0> none = {};

// The longest of them.
inline constexpr std::size_t longest = [] {
  std::size_t n = 0;
  const auto longer = [&](const auto& list) {
    for (const auto key : list) n = std::max(n, key.size());
  };
  longer(root), longer(client), longer(pain), longer(flare), longer(program), longer(entry);
  return n;
}();

// `"KEY":`, or `,"KEY":` with `comma` (`n` bytes), as little-endian
// words: eight bytes at each word_offset(), the last word's bytes past it
// zero.
constexpr std::size_t word_offset(std::size_t k, std::size_t n) noexcept {
  return n <= 8 || 8 * (k + 1) < n ? 8 * k : n - 8;
}
template <std::size_t N>
consteval auto quoted_words(std::string_view key, bool comma) {
  std::array<std::uint64_t, N <= 8 ? 1 : (N + 7) / 8> words{};
  for (std::size_t k = 0; k < words.size(); ++k)
    for (std::size_t b = 0; b < 8 && word_offset(k, N) + b < N; ++b) {
      const std::size_t i = word_offset(k, N) + b - comma;  // in `"KEY":`
      const char c = i == std::size_t(-1)            ? ','
                     : i == 0 || i == key.size() + 1 ? '"'
                     : i == key.size() + 2           ? ':'
                                                     : key[i - 1];
      words[k] |= std::uint64_t{static_cast<unsigned char>(c)} << 8 * b;
    }
  return words;
}
}  // namespace keys

class JsonStateReader : json::JsonScanner {
 public:
  JsonStateReader(std::string_view text, const std::string& file, const ProtocolModel& model)
      : JsonScanner(text, model.limits),
        file_(file),
        model_(model),
        positions_(text),
        listed_keys_end_(model.limits.max_string_length >= keys::longest ? text.size() : 0) {}

  // False when the JSON itself is broken.
  bool read(ClientState& s) {
    if (text_.size() > limits_.max_file_bytes) return false;
    pos_ = json::skip_bom(text_);
    skip_blanks();
    const bool ok = root(s) && (skip_blanks(), pos_ == text_.size()) && nodes_in_limit();
    // The entries read; any more were a reused state's (see entry()).
    if (s.history.size() != history_used_) drop_unread_entries(s.history);
    if (!ok) return false;
    finish(s);
    return true;
  }

  // The problems found, in the tree reader's order.
  void append_problems(Diagnostics& out) {
    if (diagnostics_.empty()) return;
    std::vector<std::size_t> index(diagnostics_.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::stable_sort(index.begin(), index.end(),
                     [&](std::size_t a, std::size_t b) { return order_[a] < order_[b]; });
    for (const std::size_t i : index) out.push_back(std::move(diagnostics_[i]));
  }

 private:
  // The checks, made only when a value needs them.
  struct Checks {
    Checks(const std::string& file, const ProtocolModel& model, Diagnostics& diagnostics)
        : document{file, {}, {}},
          reader(document, diagnostics),
          values(model, reader, diagnostics) {}
    yaml::Document document;  // only its file name is used
    yaml::Reader reader;
    StateValues values;
  };

  // Runs `check` and places what it reports at `at` in the tree reader's order.
  template <class Check>
  void report(std::uint64_t at, Check&& check) {
    if (!checks_) checks_.emplace(file_, model_, diagnostics_);
    check(checks_->values);
    order_.resize(diagnostics_.size(), at);
  }

  // A node located at `offset`, for the checks across members.
  yaml::Node node_at(std::size_t offset) {
    yaml::Node node;
    const auto p = positions_.at(offset);
    node.mark = yaml::Mark{p.line, p.column, offset};
    return node;
  }

  // The value at `start` as the JSON parser reads it inside the document
  // (`depth` collections open around it, `nodes` counted before it). False
  // when the JSON is broken there.
  bool parse_at(std::size_t start, std::size_t nodes, std::size_t depth, yaml::Node& out) {
    pos_ = start;
    nodes_ = nodes;
    const auto p = positions_.at(start);
    return json::parse_json_value(text_, limits_, depth, {p.line, p.column}, pos_, nodes_, out) ==
           json::JsonStatus::ok;
  }
  bool skip_value(std::size_t depth) {
    yaml::Node ignored;
    return parse_at(pos_, nodes_, depth, ignored);
  }

  // A value `fast` reads when it is in the common form (leaving the state
  // as it was when it does not); otherwise read as a node and given to
  // `slow`, which checks and reports it at `at`.
  template <class Fast, class Slow>
  bool value(std::size_t depth, std::uint64_t at, Fast&& fast, Slow&& slow) {
    const std::size_t start = pos_, nodes = nodes_;
    if (fast()) [[likely]]
      return true;
    using Check = std::remove_reference_t<Slow>;
    return slow_value(
        start, nodes, depth, at,
        [](const void* check, StateValues& v, const yaml::Node& n) {
          (*static_cast<Check*>(const_cast<void*>(check)))(v, n);
        },
        &slow);
  }
  // Out of line, so that the common path stays small.
  using SlowCheck = void (*)(const void* check, StateValues& v, const yaml::Node& n);
  [[gnu::noinline, gnu::cold]] bool slow_value(std::size_t start, std::size_t nodes,
                                               std::size_t depth, std::uint64_t at, SlowCheck check,
                                               const void* context) {
    yaml::Node node;
    if (!parse_at(start, nodes, depth, node)) return false;
    report(at, [&](StateValues& v) { check(context, v, node); });
    return true;
  }

  // A key: plain text read in place, any other string decoded by the parser
  // (into key_text_, valid until the next key).
  bool key(std::string_view& name) {
    const std::size_t start = pos_, nodes = nodes_;
    if (string(name)) [[likely]]
      return true;
    return decoded_key(start, nodes, name);
  }
  [[gnu::noinline, gnu::cold]] bool decoded_key(std::size_t start, std::size_t nodes,
                                                std::string_view& name) {
    if (start >= text_.size() || text_[start] != '"') return false;
    yaml::Node node;
    if (!parse_at(start, nodes, 0, node)) return false;
    key_text_ = std::move(node.value);
    name = key_text_;
    return true;
  }

  // The keys of a mapping (or what is there instead) checked as a node.
  template <const auto& Keys, const auto& Required>
  [[gnu::noinline, gnu::cold]] bool report_keys(std::size_t start, std::size_t nodes,
                                                std::size_t depth, std::uint64_t at,
                                                std::string_view what) {
    yaml::Node node;
    if (!parse_at(start, nodes, depth, node)) return false;
    report(at, [&](StateValues& v) {
      [&]<std::size_t... K, std::size_t... R>(std::index_sequence<K...>,
                                              std::index_sequence<R...>) {
        v.mapping(node, what, {Keys[K]...}, {Required[R]...});
      }
      (std::make_index_sequence<Keys.size()>{}, std::make_index_sequence<Required.size()>{});
    });
    return true;
  }

  // A mapping with the keys `Keys` at `depth`: member(k) reads the value
  // of the k-th key. Anything but a mapping, an unknown key or a missing
  // `Required` one (`required_bits` their indexes) makes
  // StateValues::mapping() report on it as a node. The usual form (compact
  // JSON, the keys in the listed order, any of them absent) is read with
  // each key a constant: its name compared as constant words and its member
  // chosen without a switch; members() reads the rest from the first key
  // out of that order (BM_BatchParseStateInto 8,367 -> 6,840 instructions).
  template <const auto& Keys, const auto& Required, class Member>
  bool mapping(std::size_t depth, std::uint64_t at, std::string_view what,
               std::uint32_t required_bits, Member&& member) {
    const std::size_t start = pos_, nodes = nodes_;
    const auto report_keys = [&] {
      return this->report_keys<Keys, Required>(start, nodes, depth, at, what);
    };
    if (peek() != '{') [[unlikely]]
      return report_keys();
    if (!open('{', depth)) return false;
    std::uint32_t seen = 0;
    bool unknown = false;  // a key not in Keys
    skip_blanks();
    if (!eat('}')) {
      const Step step = in_order<Keys>(seen, member, std::make_index_sequence<Keys.size()>{});
      if (step == Step::broken) return false;
      if (step == Step::more && !members(depth, Keys, seen, unknown, member)) return false;
    }
    if (!unknown && (seen & required_bits) == required_bits) return true;
    return report_keys();
  }

  // at_key() for a listed key: its `"NAME":` (with Comma, `,"NAME":`: the
  // comma after the member before it) compared as constant words (the
  // last overlapping the one before it, a short key's masked) after one
  // bounds check (listed_keys_end_), fewer instructions than at_key()'s
  // tests of the quotes, colon, name and length. True with a byte left
  // after the colon; false, having read nothing, when fewer than eight
  // bytes are left (members() then reads the key).
  template <const auto& Keys, std::size_t I, bool Comma>
  [[gnu::always_inline]] bool at_listed_key() noexcept {
    static constexpr std::size_t n = Keys[I].size() + 3 + Comma;
    static constexpr auto words = keys::quoted_words<n>(Keys[I], Comma);
    if constexpr (std::endian::native != std::endian::little) {
      const std::size_t start = pos_;
      if ((!Comma || eat(',')) && at_key(Keys[I]) && !at_end()) return true;
      pos_ = start;
      return false;
    } else {
      if (pos_ + std::max(n + 1, std::size_t{8}) > listed_keys_end_) return false;
      const char* at = text_.data() + pos_;
      const auto word = [at](std::size_t offset) {
        std::uint64_t w;
        std::memcpy(&w, at + offset, 8);
        return w;
      };
      constexpr std::uint64_t mask = n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << 8 * n) - 1;
      bool same = (word(0) & mask) == words[0];
      for (std::size_t k = 1; k < words.size(); ++k)
        same = same && word(keys::word_offset(k, n)) == words[k];
      if (!same) return false;
      pos_ += n;
      return true;
    }
  }

  // What in_order() read up to: the closing brace, a key it does not expect
  // next, or broken JSON.
  enum class Step : std::uint8_t { closed, more, broken };
  template <const auto& Keys, class Member, std::size_t... I>
  [[gnu::always_inline]] Step in_order(std::uint32_t& seen, Member& member,
                                       std::index_sequence<I...>) {
    Step step = Step::more;
    bool comma = false;  // a member read: its comma (or what else) to pass
    // Each key in turn, while the keys come in order.
    (void)(((step = ordered_member<Keys, I>(seen, member, comma)) == Step::more) && ...);
    return step == Step::more && comma ? after_member() : step;
  }
  template <const auto& Keys, std::size_t I, class Member>
  [[gnu::always_inline]] Step ordered_member(std::uint32_t& seen, Member& member, bool& comma) {
    // After a member, the usual `,"NAME":` (compact JSON) is tested at once;
    // anything else is passed first.
    if (comma && !at_listed_key<Keys, I, true>()) {
      comma = false;
      if (const Step step = after_member(); step != Step::more) return step;
      if (!at_listed_key<Keys, I, false>()) return Step::more;  // absent: the next
    } else if (!comma && !at_listed_key<Keys, I, false>()) {
      return Step::more;  // absent: the next
    }
    count_node();
    seen |= 1u << I;
    // skip_blanks() but for its end test: at_listed_key() left a byte.
    if (static_cast<unsigned char>(text_[pos_]) <= ' ') [[unlikely]]
      skip_blank_run();
    if (!member(static_cast<int>(I))) return Step::broken;
    comma = true;
    return Step::more;
  }
  // What follows a member but `,"NAME":`: the comma and blanks (to the next
  // key), the closing brace, or broken JSON.
  Step after_member() noexcept {
    if (eat(',')) {
      skip_blanks();
      return Step::more;
    }
    skip_blanks();
    if (eat('}')) return Step::closed;
    if (!eat(',')) return Step::broken;
    skip_blanks();
    return Step::more;
  }

  // The members of a mapping from a key on, as they come (out of the listed
  // order, unknown keys, blanks, escapes), to its closing brace; false when
  // the JSON is broken. Out of line: the usual form is read by in_order().
  template <class Member>
  [[gnu::noinline]] bool members(std::size_t depth, std::span<const std::string_view> keys,
                                 std::uint32_t& seen, bool& unknown, Member& member) {
    std::size_t hint = seen == 0 ? 0 : static_cast<std::size_t>(std::bit_width(seen));
    std::vector<std::string> others;  // unknown keys, for duplicates
    while (true) {
      if (!nodes_in_limit()) return false;  // (others grows with the keys)
      // The usual next key is compared in place, without a scan of its
      // bytes; blanks are skipped only where they are.
      const std::size_t expected = hint < keys.size() ? hint : 0;
      int k = -1;
      if (at_key(keys[expected])) {  // and its colon
        count_node();
        k = static_cast<int>(expected);
      } else {
        std::string_view name;
        skip_blanks();
        if (!key(name)) return false;
        k = json::index_of(name, keys, hint);
        if (k < 0) {
          if (contains(others, name)) return false;
          others.emplace_back(name);
        }
        skip_blanks();
        if (!eat(':')) return false;
      }
      if (k >= 0) {
        if (seen >> k & 1u) return false;
        seen |= 1u << k;
        hint = static_cast<std::size_t>(k) + 1;
      }
      skip_blanks();
      if (!(k >= 0 ? member(k) : skip_value(depth + 1))) return false;
      if (eat(',')) continue;
      skip_blanks();
      if (eat('}')) {
        unknown = !others.empty();
        return true;
      }
      if (!eat(',')) return false;
    }
  }

  // The common forms, into the state only when valid.
  bool number_of(double& out, const StateField& f) noexcept {
    double v = 0;
    if (!number(v, f.min, f.max)) return false;
    out = v;
    return true;
  }
  bool number_of(std::optional<double>& out, const StateField& f) noexcept {
    double v = 0;
    if (!number(v, f.min, f.max)) return false;
    out = v;
    return true;
  }
  template <class T>
  bool integer_of(T& out, const StateField& f) noexcept {
    return integer(out, static_cast<std::int64_t>(f.min), static_cast<std::int64_t>(f.max));
  }
  bool count(int& out) noexcept { return integer(out, 0, max_state_count); }
  bool count(std::optional<int>& out) noexcept { return integer(out, 0, max_state_count); }
  bool stage(std::string& out) {
    std::string_view v;
    if (!text(v) || model_.stage_index(v) >= model_.stages.size()) return false;
    out.assign(v);
    return true;
  }
  bool frequency(std::string& out) {
    std::string_view v;
    if (!text(v) || model_.frequency_index(v) >= model_.ladder.size()) return false;
    out.assign(v);
    return true;
  }

  bool root(ClientState& s);
  bool program(ClientState& s);
  bool history(ClientState& s);
  bool entry(ClientState& s, std::size_t index);
  void drop_unread_entries(std::vector<HistoryEntry>& history) const;
  bool observations(ClientState& s);
  bool observation(const ObservationDecl& decl, ObservationValue& out);
  void finish(ClientState& s);

  const std::string& file_;
  const ProtocolModel& model_;
  json::TextPositions positions_;
  Diagnostics diagnostics_;
  std::vector<std::uint64_t> order_;  // of each diagnostic
  std::optional<Checks> checks_;
  std::string key_text_;  // a key the parser decoded
  // The end of the text for at_listed_key(), 0 when the listed keys do not
  // all fit in Limits::max_string_length (at_key() checks each).
  std::size_t listed_keys_end_;

  // For the checks across members.
  struct EntryRead {
    std::size_t index = 0;    // in the history list
    std::size_t date_at = 0;  // offset of its date
    bool date_read = false;
  };
  std::size_t root_at_ = 0, observations_at_ = 0, in_stage_at_ = 0;
  bool observations_present_ = false, as_of_read_ = false;
  std::optional<yaml::Node> last_missed_;
  boost::container::small_vector<EntryRead, 16> entries_;  // one per entry in s.history
  std::size_t history_count_ = 0;                          // entries in the list
  std::size_t history_used_ = 0;  // entries of s.history read (it may hold more, reused)
};

}  // namespace fascia::detail::state_json
