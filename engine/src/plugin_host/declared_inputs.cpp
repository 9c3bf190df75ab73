// Technique::inputs(): the field table, the load-time check, the memo key
// and the view. Each field is listed once in the two tables below, with the
// code that keys it and the code that copies it, so that a field is in the
// view exactly when it is in the key.
#include "plugin_host/declared_inputs.hpp"

#include "common/did_you_mean.hpp"
#include "common/same_text.hpp"
#include "core/state_fields.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace fascia::detail {
namespace {

// Key writers: a value as whole 64-bit words (zero-padded bytes), text
// and lists with their length first, optionals with a presence word, so
// that no two different values share a key.
void put_text(KeyWords& key, std::string_view text) {
  key.push_back(text.size());
  for (std::size_t i = 0; i < text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, std::min<std::size_t>(8, text.size() - i));
    key.push_back(word);
  }
}
template <class T>
void put(KeyWords& key, const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    put_text(key, value);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    key.push_back(value.size());
    for (const auto& s : value) put_text(key, s);
  } else {
    static_assert(std::is_trivially_copyable_v<T>);
    std::uint64_t words[(sizeof(T) + 7) / 8] = {};
    std::memcpy(words, &value, sizeof(T));
    if constexpr (sizeof(T) <= 8)
      key.push_back(words[0]);  // a range insert cost about 30 instructions more
    else
      key.insert(key.end(), std::begin(words), std::end(words));
  }
}
template <class T>
void put(KeyWords& key, const std::optional<T>& value) {
  key.push_back(value.has_value());
  if (value) put(key, *value);
}
template <class... T>
void put(KeyWords& key, const std::variant<T...>& value) {
  key.push_back(value.index());
  std::visit(
      [&](const auto& v) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) put(key, v);
      },
      value);
}

// Equal exactly when put() writes equal words (numbers bit for bit), without
// writing them: a state is compared with the view of the last call.
template <class T>
bool same(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, std::string>) {
    return same_text(a, b);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const std::string& x, const std::string& y) { return same_text(x, y); });
  } else {
    static_assert(std::is_trivially_copyable_v<T>);
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  }
}
template <class T>
bool same(const std::optional<T>& a, const std::optional<T>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
template <class... T>
bool same(const std::variant<T...>& a, const std::variant<T...>& b) {
  return a.index() == b.index() && std::visit(
                                       [&](const auto& v) {
                                         using V = std::decay_t<decltype(v)>;
                                         if constexpr (std::is_same_v<V, std::monostate>)
                                           return true;
                                         else
                                           return same(v, std::get<V>(b));
                                       },
                                       a);
}

// One top-level field's path; same_fields(), copy_fields() and key_fields()
// below compare, copy and key it.
struct FieldAccess {
  std::string_view path;
};

const ClientState default_state{};

#define FASCIA_FIELD(PATH, MEMBER) FieldAccess{state_field(PATH).path},

// The top-level fields, in bit order (DeclaredInputs::fields).
#define FASCIA_STATE_FIELDS(X)                                  \
  X("client.id", client_id)                                     \
  X("client.condition", condition)                              \
  X("as_of", as_of)                                             \
  X("program.stage", program.stage)                             \
  X("program.sessions_completed", program.sessions_completed)   \
  X("program.sessions_in_stage", program.sessions_in_stage)     \
  X("program.weeks_in_program", program.weeks_in_program)       \
  X("program.frequency", program.frequency)                     \
  X("program.missed_sessions_30d", program.missed_sessions_30d) \
  X("program.last_missed", last_missed)                         \
  X("pain.current", pain.current)                               \
  X("pain.baseline", pain.baseline)                             \
  X("sensitivity", sensitivity)                                 \
  X("pressure_tolerance", pressure_tolerance)                   \
  X("sleep_quality", sleep_quality)                             \
  X("flare.active", flare.active)                               \
  X("flare.severity", flare.severity)                           \
  X("flare.days_since_last", flare.days_since_last)             \
  X("flare.count_30d", flare.count_30d)                         \
  X("medications_changed", medications_changed)

const std::array fields = {FASCIA_STATE_FIELDS(FASCIA_FIELD)};
#undef FASCIA_FIELD
static_assert(fields.size() <= 32);

// same() of each field whose bit is set, inline: the memo compares the union
// of the declared inputs on every evaluation, and a call through
// a function pointer per field cost fascia::decide ~16 instructions (callgrind).
bool same_fields(std::uint32_t bits, const ClientState& a, const ClientState& b) {
  std::uint32_t bit = 1;
#define FASCIA_SAME(PATH, MEMBER)                                   \
  if ((bits & bit) != 0 && !same(a.MEMBER, b.MEMBER)) return false; \
  bit <<= 1;
  FASCIA_STATE_FIELDS(FASCIA_SAME)
#undef FASCIA_SAME
  return true;
}

// A field copied, or reset to its default. A string's is empty, and
// clear() costs less than copying an empty string (fill_view ~510 -> ~445
// instructions a call, fascia batch, callgrind).
template <class T>
void copy_or_reset(T& to, const T& from, const T& none, bool copied) {
  if constexpr (!std::is_same_v<T, std::string>)
    to = copied ? from : none;
  else if (copied)
    to = from;
  else
    to.clear();
}

// The fields of `bits` copied into the view, the others reset, inline (an
// indirect call a field cost fill_view about 150 instructions a call).
void copy_fields(std::uint32_t bits, ClientState& view, const ClientState& from) {
  std::uint32_t bit = 1;
#define FASCIA_COPY(PATH, MEMBER)                                                   \
  copy_or_reset(view.MEMBER, from.MEMBER, default_state.MEMBER, (bits & bit) != 0); \
  bit <<= 1;
  FASCIA_STATE_FIELDS(FASCIA_COPY)
#undef FASCIA_COPY
}

// The fields of `bits` appended to the key, inline (an indirect call a
// declared field cost append_key about 100 instructions a call).
void key_fields(std::uint32_t bits, KeyWords& key, const ClientState& s) {
  std::uint32_t bit = 1;
#define FASCIA_KEY(PATH, MEMBER)             \
  if ((bits & bit) != 0) put(key, s.MEMBER); \
  bit <<= 1;
  FASCIA_STATE_FIELDS(FASCIA_KEY)
#undef FASCIA_KEY
}
#undef FASCIA_STATE_FIELDS

// One field of a history entry; `override` lives in history_overrides.
enum HistoryField : std::uint32_t {
  h_date,
  h_techniques,
  h_pressure,
  h_soreness,
  h_pain_before,
  h_pain_after,
  h_override,
  h_stage,
  h_count
};
constexpr std::array<std::string_view, h_count> history_names = {
    "date",        "techniques", "pressure", "soreness_24h",
    "pain_before", "pain_after", "override", "stage"};

// Each name is a `last.X` field of the one state-field table
// (core/state_fields.hpp), as each top-level path above is (state_field()
// refuses an unknown path at compile time).
consteval bool all_in_state_table(const std::array<std::string_view, h_count>& names) {
  for (std::string_view name : names) {
    bool found = false;
    for (const auto& field : state_fields)
      found = found || (field.path.starts_with("last.") && field.path.substr(5) == name);
    if (!found) return false;
  }
  return true;
}
static_assert(all_in_state_table(history_names));

const std::string& override_of(const ClientState& s, std::size_t i) {
  static const std::string none;
  return i < s.history_overrides.size() ? s.history_overrides[i] : none;
}

void key_entry(KeyWords& key, const ClientState& s, std::size_t i, std::uint32_t mask) {
  const HistoryEntry& e = s.history[i];
  if (mask & (1u << h_date)) put(key, e.date);
  if (mask & (1u << h_techniques)) put(key, e.techniques);
  if (mask & (1u << h_pressure)) put(key, e.pressure);
  if (mask & (1u << h_soreness)) put(key, e.soreness_24h);
  if (mask & (1u << h_pain_before)) put(key, e.pain_before);
  if (mask & (1u << h_pain_after)) put(key, e.pain_after);
  if (mask & (1u << h_override)) put(key, override_of(s, i));
  if (mask & (1u << h_stage)) put(key, e.stage);
}

bool same_entry(const HistoryEntry& a, const HistoryEntry& b, std::uint32_t mask) {
  return (!(mask & (1u << h_date)) || same(a.date, b.date)) &&
         (!(mask & (1u << h_techniques)) || same(a.techniques, b.techniques)) &&
         (!(mask & (1u << h_pressure)) || same(a.pressure, b.pressure)) &&
         (!(mask & (1u << h_soreness)) || same(a.soreness_24h, b.soreness_24h)) &&
         (!(mask & (1u << h_pain_before)) || same(a.pain_before, b.pain_before)) &&
         (!(mask & (1u << h_pain_after)) || same(a.pain_after, b.pain_after)) &&
         (!(mask & (1u << h_stage)) || same(a.stage, b.stage));
}

// The entries a view holds: all of them for history.X, only the newest for
// last.X alone; and the fields of entry i it holds.
std::size_t first_entry(const DeclaredInputs& inputs, std::size_t n) {
  return inputs.history ? 0 : (inputs.last && n ? n - 1 : n);
}
std::uint32_t entry_mask(const DeclaredInputs& inputs, std::size_t i, std::size_t n) {
  return inputs.history | (i + 1 == n ? inputs.last : 0u);
}
bool has_overrides(const DeclaredInputs& inputs) {
  return ((inputs.history | inputs.last) & (1u << h_override)) != 0;
}

// Every field of the view's entry: the declared ones copied, the others
// reset (an entry that was the newest in the last view may not be now).
void copy_entry(HistoryEntry& to, const HistoryEntry& from, std::uint32_t mask,
                std::vector<std::string>& names) {
  const HistoryEntry none;
  to.date = mask & (1u << h_date) ? from.date : none.date;
  const bool techniques = (mask & (1u << h_techniques)) != 0;
  resize_keeping(to.techniques, techniques ? from.techniques.size() : 0, names);
  for (std::size_t i = 0; i < to.techniques.size(); ++i) to.techniques[i] = from.techniques[i];
  to.pressure = mask & (1u << h_pressure) ? from.pressure : none.pressure;
  to.soreness_24h = mask & (1u << h_soreness) ? from.soreness_24h : none.soreness_24h;
  to.pain_before = mask & (1u << h_pain_before) ? from.pain_before : none.pain_before;
  to.pain_after = mask & (1u << h_pain_after) ? from.pain_after : none.pain_after;
  if (mask & (1u << h_stage))
    to.stage = from.stage;
  else
    to.stage.clear();
}

const std::string where_listed =
    "the names are listed in fascia/plugin.hpp (TechniqueInputs) and plugins/README.md";

}  // namespace

std::vector<std::string> declarable_state_fields() {
  std::vector<std::string> names;
  for (const auto& f : fields) names.emplace_back(f.path);
  for (const char* prefix : {"history.", "last."})
    for (auto h : history_names) names.push_back(prefix + std::string(h));
  names.emplace_back("observations.NAME");
  return names;
}

DeclaredInputs compile_inputs(const TechniqueInputs& inputs,
                              const std::vector<ConfigField>& config_schema,
                              std::vector<std::string>& problems) {
  DeclaredInputs out;
  out.everything = inputs.everything;
  if (inputs.everything) return out;
  const std::vector<std::string> known = declarable_state_fields();
  for (const std::string& path : inputs.state_fields) {
    std::string_view p = path;
    bool found = false;
    for (std::size_t i = 0; i < fields.size() && !found; ++i)
      if (fields[i].path == p) out.fields |= 1u << i, found = true;
    for (auto [prefix, mask] : {std::pair{std::string_view("history."), &out.history},
                                std::pair{std::string_view("last."), &out.last}})
      if (!found && p.starts_with(prefix))
        for (std::uint32_t h = 0; h < h_count && !found; ++h)
          if (p.substr(prefix.size()) == history_names[h]) *mask |= 1u << h, found = true;
    if (!found && p.starts_with("observations.") && p.size() > 13) {
      out.observations.emplace_back(p.substr(13));
      found = true;
    }
    if (found) continue;
    std::string text =
        "declares that adjust() reads client-state field '" + path + "', which does not exist";
    if (auto near = closest_match(path, known); !near.empty())
      text += " (did you mean '" + near + "'?)";
    problems.push_back(text +
                       "; declare fields by their path in the client state: " + where_listed);
  }
  std::vector<std::string> keys;
  for (const auto& f : config_schema) keys.push_back(f.name);
  for (const std::string& key : inputs.config_keys) {
    bool declared = false;
    for (const auto& k : keys) declared = declared || k == key;
    if (declared) {
      out.config_keys.push_back(key);
      continue;
    }
    std::string text = "declares that adjust() reads configuration key '" + key +
                       "', which its config_schema() does not declare";
    if (auto near = closest_match(key, keys); !near.empty())
      text += " (did you mean '" + near + "'?)";
    problems.push_back(text + "; add it to config_schema() or remove it from inputs()");
  }
  return out;
}

void append_key(const DeclaredInputs& inputs, const ClientState& state, KeyWords& key) {
  key_fields(inputs.fields, key, state);
  if (inputs.history) {
    key.push_back(state.history.size());
    for (std::size_t i = 0; i < state.history.size(); ++i) key_entry(key, state, i, inputs.history);
  }
  if (inputs.last) {
    key.push_back(!state.history.empty());
    if (!state.history.empty()) key_entry(key, state, state.history.size() - 1, inputs.last);
  }
  for (const auto& name : inputs.observations) {
    const Observation* o = state.observation(name);
    key.push_back(o != nullptr);
    if (o) put(key, o->value);
  }
}

bool same_inputs(const DeclaredInputs& inputs, const ClientState& state, const ClientState& view) {
  if (!same_fields(inputs.fields, state, view)) return false;
  const std::size_t n = state.history.size();
  const std::size_t first = first_entry(inputs, n);
  if (view.history.size() != n - first) return false;
  const bool overrides = has_overrides(inputs);
  for (std::size_t i = first; i < n; ++i) {
    const std::uint32_t mask = entry_mask(inputs, i, n);
    if (!same_entry(state.history[i], view.history[i - first], mask)) return false;
    if (overrides && (mask & (1u << h_override)) &&
        !same(override_of(state, i), view.history_overrides[i - first]))
      return false;
  }
  std::size_t j = 0;  // the view lists the declared observations present, in order
  for (const auto& name : inputs.observations) {
    const Observation* o = state.observation(name);
    const bool kept = j < view.observations.size() && same(view.observations[j].name, name);
    if (o != nullptr ? !kept || !same(o->value, view.observations[j++].value) : kept) return false;
  }
  return j == view.observations.size();
}

void fill_view(const DeclaredInputs& inputs, const ClientState& state, ClientState& view,
               ViewSpares& spares) {
  copy_fields(inputs.fields, view, state);
  const std::size_t n = state.history.size();
  const std::size_t first = first_entry(inputs, n);
  resize_keeping(view.history, n - first, spares.entries);
  const bool overrides = has_overrides(inputs);
  view.history_overrides.clear();
  for (std::size_t i = first; i < n; ++i) {
    const std::uint32_t mask = entry_mask(inputs, i, n);
    copy_entry(view.history[i - first], state.history[i], mask, spares.names);
    if (overrides)
      view.history_overrides.push_back(mask & (1u << h_override) ? override_of(state, i)
                                                                 : std::string());
  }
  view.observations.clear();
  for (const auto& name : inputs.observations)
    if (const Observation* o = state.observation(name)) view.observations.push_back(*o);
}

void fill_config_view(const DeclaredInputs& inputs, const Params& config, Params& view) {
  view.clear();
  for (const auto& p : config)
    for (const auto& name : inputs.config_keys)
      if (p.name == name) {
        view.push_back(p);
        break;
      }
}

}  // namespace fascia::detail
