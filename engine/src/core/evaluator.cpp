#include "core/evaluator.hpp"

#include "common/same_text.hpp"
#include "core/state_checks.hpp"

#include <fascia/version.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace fascia::detail {

namespace {

// A vector that keeps its first N elements inline: an evaluation's working
// lists are short, and a heap allocation each would cost more than the work.
// Only what the evaluation needs: append, iterate, index.
template <class T, std::size_t N>
class SmallVec {
 public:
  SmallVec() = default;
  SmallVec(const SmallVec&) = delete;
  SmallVec& operator=(const SmallVec&) = delete;
  ~SmallVec() {
    std::destroy(data_, data_ + size_);
    if (data_ != inline_data()) std::allocator<T>().deallocate(data_, capacity_);
  }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) grow();
    T* slot = ::new (static_cast<void*>(data_ + size_)) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }
  void push_back(T item) { emplace_back(std::move(item)); }

  T* begin() noexcept { return data_; }
  T* end() noexcept { return data_ + size_; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T& back() noexcept { return data_[size_ - 1]; }

 private:
  T* inline_data() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }

  void grow() {
    const std::size_t capacity = 2 * capacity_;
    T* data = std::allocator<T>().allocate(capacity);
    std::uninitialized_move(data_, data_ + size_, data);
    std::destroy(data_, data_ + size_);
    if (data_ != inline_data()) std::allocator<T>().deallocate(data_, capacity_);
    data_ = data;
    capacity_ = capacity;
  }

  alignas(T) unsigned char storage_[N * sizeof(T)];
  T* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t capacity_ = N;
};

// Assigns unless the text is already there: a reused recommendation mostly
// gets the same ids, sources and provenance again, and comparing them costs
// less than copying them.
[[gnu::always_inline]] inline void set_if_changed(std::string& out, std::string_view text) {
  if (!same_text(out, text)) out.assign(text.data(), text.size());
}

void append_int(std::string& out, long long value) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

// Date::to_string() ("%04d-%02d-%02d") without snprintf for ordinary dates.
void set_date(std::string& out, const Date& d) {
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99) {
    out = d.to_string();
    return;
  }
  char buf[10];
  auto digits = [&](int at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      buf[at + i] = static_cast<char>('0' + value % 10);
  };
  digits(0, d.year, 4);
  buf[4] = '-';
  digits(5, d.month, 2);
  buf[7] = '-';
  digits(8, d.day, 2);
  set_if_changed(out, std::string_view(buf, sizeof buf));  // mostly the same day again
}

enum class Fired : std::uint8_t { yes, no };

// What the plugins write into, kept from one evaluation to the next on a
// thread so that their lists and strings keep their memory. Never shared
// between threads (see evaluate_protocol_into).
struct EvaluationScratch {
  SessionDraft draft;
  std::vector<std::unique_ptr<TechniqueResult>> results;  // stable addresses
  bool in_use = false;  // an evaluation on this thread is running (re-entry)
};

// A rule whose condition held (or was applied conservatively), with the
// numbers its actions computed.
struct FiredRule {
  const Rule* rule;
  int cap = 0;
  int duration = 0;
  int postpone = 0;
};

// A held technique. `by_rule` is set for holds of protocol rules (whose id
// and source live in the model); plugin holds own their rule id.
struct HeldBy {
  std::string_view technique;
  const Rule* by_rule = nullptr;
  std::string plugin_rule;
  std::string reason;
  std::string_view source;

  std::string_view rule() const noexcept {
    return by_rule ? std::string_view(by_rule->id) : std::string_view(plugin_rule);
  }
};

class Evaluation {
 public:
  Evaluation(const ProtocolModel& model, const ClientState& state, const EvaluateOptions& options,
             Recommendation& out, EvaluationScratch& scratch)
      : m_(model), s_(state), explain_(options.explain), r_(out), scratch_(scratch) {}

  void run() {
    // 7 * sizeof(Adjustment) stays within malloc's per-thread cache.
    if (r_.adjustments.capacity() < 7) r_.adjustments.reserve(7);
    r_.trace.clear();
    fill_header();
    evaluate_healing_response();
    const std::size_t stage = choose_stage();
    collect_action_rules();
    plan_techniques(stage);
    compute_cap(stage);
    compute_duration(stage);
    run_plugins();
    finish_cap(stage);
    choose_frequency();
    finish_session();
    // What a reused recommendation had beyond this one's content goes.
    trim(r_.provenance.plugins, plugins_used_);
    trim(r_.session.techniques, techniques_used_);
    trim(r_.held_techniques, held_used_);
    trim(r_.adjustments, adjustments_used_);
    trim(r_.warnings, warnings_used_);
    trim(r_.session.home_program, home_used_);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  struct Planned {
    Planned(const ConfiguredTechnique& technique, const Params& technique_config)
        : entry(technique.entry.get()), config(&technique_config), configured(&technique) {}
    const TechniqueEntry* entry;
    const Params* config;
    const ConfiguredTechnique* configured;
    TechniqueResult* result = nullptr;  // set when its plugin runs
    bool ok = false;
    std::size_t draft_index = kNone;  // its id in SessionDraft::techniques
  };

  // ---- rule conditions ------------------------------------------------------

  bool suppressed(std::size_t rule_index) const {
    return std::find(suppressed_.begin(), suppressed_.end(), rule_index) != suppressed_.end();
  }

  std::size_t index_of(const Rule& rule) const {
    return static_cast<std::size_t>(&rule - m_.rules.data());
  }

  // Evaluates a rule's condition. An undecidable condition (absent data)
  // does not fire; a failing one fires only if the rule restricts.
  // The usual case (nothing suppressed, no trace, a true or false
  // condition) is inlined into the loops over rules: a call per rule cost
  // more than the test itself.
  [[gnu::always_inline]] Fired check(const Rule& rule) {
    if (suppressed_.empty() && !explain_) {
      const Value v = rule.when.evaluate(s_);
      if (v.kind == Value::Kind::boolean) return v.boolean ? Fired::yes : Fired::no;
      return check_not_boolean(rule, v);
    }
    return check_in_full(rule);
  }

  [[gnu::noinline]] Fired check_in_full(const Rule& rule) {
    if (!suppressed_.empty() && suppressed(index_of(rule))) {
      if (explain_) trace(rule, TraceEntry::Outcome::suppressed, "suppressed by healing response");
      return Fired::no;
    }
    const Value v = rule.when.evaluate(s_);
    if (v.kind == Value::Kind::boolean) {
      if (explain_) trace(rule, v.boolean ? TraceEntry::Outcome::fired : TraceEntry::Outcome::not_fired, {});
      return v.boolean ? Fired::yes : Fired::no;
    }
    return check_not_boolean(rule, v);
  }

  // A condition that failed or lacks a value.
  [[gnu::noinline]] Fired check_not_boolean(const Rule& rule, const Value& v) {
    if (v.kind == Value::Kind::error) {
      const bool apply = rule.restricts();
      warn("rule '" + rule.id + "' (" + rule.source +
                            "): its condition could not be evaluated; " +
                            (apply ? "applied to be safe" : "not applied to be safe"));
      if (explain_)
        trace(rule, TraceEntry::Outcome::error,
              apply ? "condition failed; restricting rule applied conservatively"
                    : "condition failed; permitting rule not applied");
      return apply ? Fired::yes : Fired::no;
    }
    if (explain_) trace(rule, TraceEntry::Outcome::unknown, "a value the condition needs is absent");
    return Fired::no;
  }

  void trace(const Rule& rule, TraceEntry::Outcome outcome, std::string detail) {
    TraceEntry e;
    e.rule = rule.id;
    e.source = rule.source;
    e.condition = rule.when.text();
    e.outcome = outcome;
    e.detail = std::move(detail);
    for (const FieldInfo* f : rule.when.fields_used()) {
      if (f->type == Type::series) {
        e.values.emplace_back(f->path, std::to_string(s_.history.size()) + " history entries");
      } else {
        e.values.emplace_back(f->path, format_value(f->getter(s_, f->arg)));
      }
    }
    r_.trace.push_back(std::move(e));
  }

  // A number action: literal, or expression rounded and clamped.
  int number(const Rule& rule, const NumberAction& action, bool restrictive_low) {
    if (action.literal) return *action.literal;
    const Value v = action.expression->evaluate(s_);
    if (v.kind != Value::Kind::number || !std::isfinite(v.number)) {
      // The safe value: the most restrictive end of the action's range.
      const int safe = restrictive_low ? action.min : action.max;
      warn("rule '" + rule.id + "': '" + action.expression->text() +
                            "' has no value (" + format_value(v) + "); using " +
                            std::to_string(safe) + " to be safe");
      return safe;
    }
    const double rounded = std::round(v.number);
    const int clamped = static_cast<int>(std::clamp(rounded, double(action.min), double(action.max)));
    if (clamped != rounded)
      warn("rule '" + rule.id + "': '" + action.expression->text() + "' gave " +
                            format_value(v) + "; clamped to " + std::to_string(clamped));
    return clamped;
  }

  // ---- output ---------------------------------------------------------------
  // Written in place: an element left by a previous recommendation (see
  // Protocol::evaluate_into) is overwritten, keeping its strings' memory.

  template <class T>
  static T& slot(std::vector<T>& items, std::size_t& used) {
    if (used < items.size()) return items[used++];
    ++used;
    return items.emplace_back();
  }
  template <class T>
  static void trim(std::vector<T>& items, std::size_t used) {
    if (items.size() > used)
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(used), items.end());
  }
  static void set_text(ParamValue& value, std::string_view text) {
    if (auto* s = std::get_if<std::string>(&value))
      set_if_changed(*s, text);
    else
      value.emplace<std::string>(text);
  }

  void warn(std::string text) { slot(r_.warnings, warnings_used_) = std::move(text); }

  // Appends an adjustment with a null value and an empty reason; the caller
  // fills them in.
  Adjustment& adjust(AdjustmentKind kind, std::string_view rule, std::string_view source) {
    Adjustment& a = next_adjustment(kind, rule, source);
    if (a.value.index() != 0) a.value = std::monostate{};
    return a;
  }
  Adjustment& adjust(AdjustmentKind kind, std::string_view value, std::string_view rule,
                     std::string_view source) {
    // Straight into the old value: a text value keeps its buffer.
    Adjustment& a = next_adjustment(kind, rule, source);
    set_text(a.value, value);
    return a;
  }
  Adjustment& adjust(AdjustmentKind kind, int value, std::string_view rule,
                     std::string_view source) {
    Adjustment& a = next_adjustment(kind, rule, source);
    a.value = std::int64_t{value};
    return a;
  }
  // The next adjustment with its value left as it was.
  Adjustment& next_adjustment(AdjustmentKind kind, std::string_view rule, std::string_view source) {
    Adjustment& a = slot(r_.adjustments, adjustments_used_);
    a.kind = kind;
    set_if_changed(a.rule, rule);
    a.reason.clear();
    set_if_changed(a.source, source);
    return a;
  }

  // ---- steps --------------------------------------------------------------

  void fill_header() {
    r_.format = recommendation_format;
    auto& p = r_.provenance;
    set_if_changed(p.engine_name, engine_name);
    set_if_changed(p.engine_version, engine_version);
    set_if_changed(p.protocol_id, m_.id);
    set_if_changed(p.protocol_version, m_.version);
    set_if_changed(p.protocol_sha256, m_.sha256);
    if (p.plugins.empty()) p.plugins.reserve(m_.plugins.size());
    for (const auto& req : m_.plugins) {
      auto& plugin = slot(p.plugins, plugins_used_);
      set_if_changed(plugin.name, req.name);
      set_if_changed(plugin.version, req.plugin->description.version);
    }
    set_if_changed(r_.client_id, s_.client_id);
    set_date(r_.as_of, s_.as_of);
  }

  void evaluate_healing_response() {
    for (std::size_t index : m_.healing) {
      const Rule& rule = m_.rules[index];
      if (check(rule) != Fired::yes) continue;
      Adjustment& a = adjust(AdjustmentKind::note, rule.id, rule.source);
      rule.reason.render_into(s_, {}, a.reason);
      for (std::size_t s : rule.suppresses) suppressed_.push_back(s);
    }
  }

  const Rule* first_firing(const std::vector<std::size_t>& rules) {
    const Rule* found = nullptr;
    for (std::size_t index : rules) {
      const Rule& rule = m_.rules[index];
      if (found && !explain_) break;
      if (check(rule) == Fired::yes && !found) found = &rule;
    }
    return found;
  }

  std::size_t choose_stage() {
    const std::size_t current =
        s_.program.stage.empty() ? 0 : std::min(m_.stage_index(s_.program.stage), m_.stages.size() - 1);
    const Stage& stage = m_.stages[current];
    std::size_t next = current;
    if (current > 0) {
      if (const Rule* rule = first_firing(stage.regress)) {
        next = current - 1;
        ReasonValues values;
        values.stage = stage.id;
        values.next_stage = m_.stages[next].id;
        Adjustment& a = adjust(AdjustmentKind::stage_regressed, m_.stages[next].id, rule->id,
                               rule->source);
        rule->reason.render_into(s_, values, a.reason);
      }
    }
    if (next == current && current + 1 < m_.stages.size()) {
      if (const Rule* advance = first_firing(stage.advance)) {
        ReasonValues values;
        values.stage = stage.id;
        values.next_stage = m_.stages[current + 1].id;
        if (const Rule* hold = first_firing(stage.hold)) {
          Adjustment& a = adjust(AdjustmentKind::stage_held, stage.id, hold->id, hold->source);
          hold->reason.render_into(s_, values, a.reason);
        } else {
          next = current + 1;
          Adjustment& a = adjust(AdjustmentKind::stage_advanced, m_.stages[next].id, advance->id,
                                 advance->source);
          advance->reason.render_into(s_, values, a.reason);
          // The stage's new techniques and their reasons are precomputed.
          for (const auto& t : m_.stages[next].introduced)
            adjust(AdjustmentKind::technique_added, t.entry->info.id, advance->id, advance->source)
                .reason = t.reason;
        }
      }
    }
    set_if_changed(r_.session.stage, m_.stages[next].id);
    return next;
  }

  void collect_action_rules() {
    for (const auto* family : {&m_.caps, &m_.flare, &m_.general}) {
      for (std::size_t index : *family) {
        const Rule& rule = m_.rules[index];
        if (check(rule) != Fired::yes) continue;
        FiredRule f{&rule};
        if (rule.cap) f.cap = number(rule, *rule.cap, true);
        if (rule.duration_minutes) f.duration = number(rule, *rule.duration_minutes, true);
        if (rule.postpone_days) f.postpone = number(rule, *rule.postpone_days, false);
        fired_.push_back(f);
      }
    }
  }

  bool is_planned(std::string_view technique) const {
    for (const auto& p : planned_)
      if (same_text(p.entry->info.id, technique)) return true;
    return false;
  }

  void hold(std::string_view technique, const Rule& rule, const ReasonValues& values) {
    // Only what would otherwise be done today is "held".
    if (!is_planned(technique) || is_held(technique)) return;
    HeldBy& h = held_.emplace_back();
    h.technique = technique;
    h.by_rule = &rule;
    rule.reason.render_into(s_, values, h.reason);
    h.source = rule.source;
  }

  void plan_techniques(std::size_t stage_index) {
    const Stage& stage = m_.stages[stage_index];
    for (const auto& t : stage.techniques)
      planned_.emplace_back(*t.configured, t.config);
    // Adds first (permissive), then holds, which always win.
    for (const auto& f : fired_) {
      for (const auto& id : f.rule->add_techniques) {
        if (is_planned(id)) continue;
        const auto* configured = m_.technique(id);
        planned_.emplace_back(*configured, configured->config);
      }
    }
    for (const auto& f : fired_) {
      const Rule& rule = *f.rule;
      if (rule.hold_techniques.empty() && !rule.only_techniques && !rule.only_flare_safe) continue;
      const ReasonValues values = values_of(f);
      for (const auto& id : rule.hold_techniques) hold(id, rule, values);
      for (const auto& p : planned_) {
        const std::string& id = p.entry->info.id;
        if (rule.only_techniques &&
            std::find(rule.only_techniques->begin(), rule.only_techniques->end(), id) ==
                rule.only_techniques->end())
          hold(id, rule, values);
        if (rule.only_flare_safe && !p.entry->info.flare_safe) hold(id, rule, values);
      }
      if (rule.only_techniques || rule.only_flare_safe) flare_restricted_ = true;
    }
  }

  static ReasonValues values_of(const FiredRule& f) {
    ReasonValues v;
    v.cap = f.cap;
    v.duration_minutes = f.duration;
    v.postpone_days = f.postpone;
    return v;
  }

  bool is_held(std::string_view id) const {
    if (held_.empty()) return false;  // the usual case
    for (const auto& h : held_)
      if (same_text(h.technique, id)) return true;
    return false;
  }

  void compute_cap(std::size_t stage_index) {
    const Stage& stage = m_.stages[stage_index];
    base_cap_ = std::min(stage.pressure_max, s_.pressure_tolerance);
    for (const auto& f : fired_)
      if (f.rule->cap) base_cap_ = std::min(base_cap_, f.cap);
    base_cap_ = std::clamp(base_cap_, 1, 10);
    // What plugins are told: the cap including the planned techniques' limits.
    cap_ = base_cap_;
    for (const auto& p : planned_)
      if (!is_held(p.entry->info.id)) cap_ = std::min(cap_, p.entry->info.max_pressure);
  }

  void compute_duration(std::size_t stage_index) {
    duration_ = m_.stages[stage_index].duration_minutes.value_or(m_.session_duration);
    for (const auto& f : fired_)
      if (f.rule->duration_minutes) duration_ = std::min(duration_, f.duration);
  }

  void run_plugins() {
    // The draft and its ids are the scratch's from the last evaluation:
    // assigned over, they keep their memory.
    SessionDraft& draft = scratch_.draft;
    set_if_changed(draft.stage, r_.session.stage);
    draft.pressure_cap = cap_;
    draft.duration_minutes = duration_;
    draft.flare_restricted = flare_restricted_;
    std::size_t count = 0;
    for (auto& p : planned_) {
      if (is_held(p.entry->info.id)) continue;
      p.result = &next_result();
      // A reused recommendation lends its parameter lists' memory.
      if (p.draft_index = count; p.draft_index < r_.session.techniques.size()) {
        p.result->parameters.swap(r_.session.techniques[p.draft_index].parameters);
        p.result->parameters.clear();
      }
      if (count < draft.techniques.size())
        set_if_changed(draft.techniques[count], p.entry->info.id);
      else
        draft.techniques.push_back(p.entry->info.id);
      ++count;
    }
    trim(draft.techniques, count);
    for (auto& p : planned_) {
      if (is_held(p.entry->info.id)) continue;
      run_plugin(p, draft);
    }
    for (const auto& t : m_.techniques) {
      if (t.entry->info.kind != TechniqueKind::home) continue;
      Planned& p = home_.emplace_back(t, t.config);
      p.result = &next_result();
      run_plugin(p, draft);
    }
  }

  // A result of the scratch, emptied as a plugin expects it but keeping
  // its lists' capacity. Every member is reset by hand: a member added to
  // TechniqueResult must be reset here too, or a plugin would see the last
  // evaluation's value (the size check below makes that a compile error).
  TechniqueResult& next_result() {
    struct MembersResetHere {  // TechniqueResult's members, in order
      Params parameters;
      std::optional<int> pressure_max;
      bool hold;
      std::string hold_rule, hold_reason;
      std::vector<TechniqueAdjustment> adjustments;
      std::vector<HomeProgramItem> home_program;
      std::vector<std::string> warnings;
    };
    static_assert(sizeof(MembersResetHere) == sizeof(TechniqueResult),
                  "TechniqueResult changed: reset the new member in next_result()");
    auto& results = scratch_.results;
    if (results_used_ == results.size()) results.push_back(std::make_unique<TechniqueResult>());
    TechniqueResult& r = *results[results_used_++];
    r.parameters.clear();
    r.pressure_max.reset();
    r.hold = false;
    r.hold_rule.clear();
    r.hold_reason.clear();
    r.adjustments.clear();
    r.home_program.clear();
    r.warnings.clear();
    return r;
  }

  void run_plugin(Planned& p, const SessionDraft& draft) {
    const TechniqueEntry& e = *p.entry;
    const std::string& id = e.info.id;
    TechniqueContext context{s_, *p.config, draft};
    std::string error;
    if (!call_adjust(e, context, *p.result, error)) {
      plugin_hold(p, id + ".plugin-error",
                  e.info.display_name + " is held: its plugin failed (" + error + ")");
      warn("plugin '" + e.plugin->description.name + "' failed in adjust() for '" +
                            id + "': " + error + "; technique held to be safe");
      return;
    }
    TechniqueResult& res = *p.result;
    if (res.hold) {
      plugin_hold(p, id + "." + (res.hold_rule.empty() ? std::string("hold") : res.hold_rule),
                  res.hold_reason.empty() ? e.info.display_name + " is held by its plugin"
                                          : res.hold_reason);
      return;
    }
    // The problems' text is built only when there are some.
    std::vector<std::string> problems;
    if (!result_ok(e, res)) problems = check_result(e, res);
    if (!problems.empty()) {
      std::string joined;
      for (const auto& pr : problems) joined += (joined.empty() ? "" : "; ") + pr;
      plugin_hold(p, id + ".invalid-parameters",
                  e.info.display_name + " is held: its plugin returned invalid parameters (" +
                      joined + ")");
      warn("plugin '" + e.plugin->description.name + "' returned invalid parameters for '" +
                            id + "': " + joined + "; technique held to be safe");
      return;
    }
    // check_result() has vetted the home-program ids; the adjustments and
    // items are emitted after the rules' own (see emit_plugin_results()).
    p.ok = true;
    for (auto& w : res.warnings) warn(id + ": " + w);
  }

  void emit_plugin_results() {
    for (auto& p : planned_) emit_plugin_result(p);
    for (auto& p : home_) emit_plugin_result(p);
  }

  void emit_plugin_result(Planned& p) {
    if (!p.ok || is_held(p.entry->info.id)) return;
    const std::string& id = p.entry->info.id;
    for (auto& a : p.result->adjustments) {
      Adjustment& out = slot(r_.adjustments, adjustments_used_);
      out.kind = a.kind;
      out.value = std::move(a.value);
      out.rule.clear();
      out.rule.reserve(id.size() + 1 + a.rule.size());
      out.rule.append(id).append(1, '.').append(a.rule);
      out.reason = std::move(a.reason);
      set_if_changed(out.source, p.configured->source);
    }
    // The home technique's own items are the protocol's standing home plan,
    // like a stage's techniques: listed in the session, not as adjustments
    // (its notes above explain any change it made).
    for (auto& item : p.result->home_program) add_plugin_home_item(item);
  }

  void plugin_hold(const Planned& p, std::string rule, std::string reason) {
    const std::string& id = p.entry->info.id;
    if (is_held(id)) return;
    HeldBy& h = held_.emplace_back();
    h.technique = id;
    h.plugin_rule = std::move(rule);
    h.reason = std::move(reason);
    h.source = p.configured->source;
  }

  // Rule items come first. When a plugin also prescribes an item a rule
  // asked for, the plugin's state-aware values (e.g. halved minutes in a
  // flare) replace the item's defaults, but never what the rule set itself.
  // Items are written over the reused recommendation's: a rule's item is
  // copied into an old item's memory; a plugin's id is written only when it
  // differs, and its parameters swap memory with the old item's.
  void add_plugin_home_item(HomeProgramItem& item) {
    if (const std::size_t i = find_home_item(item.id); i != kNone) {
      for (auto& p : item.parameters)
        if (!fixed_by_rule(i, p.name))
          set_param(r_.session.home_program[i].parameters, p.name, std::move(p.value));
      return;
    }
    HomeProgramItem& out = new_home_item(nullptr);
    // The plugin's text, taken over rather than copied when it differs (a
    // new recommendation's items are empty).
    if (!same_text(out.id, item.id)) out.id = std::move(item.id);
    out.parameters.swap(item.parameters);
  }
  void add_rule_home_item(const HomeProgramRequest& item) {
    if (const std::size_t i = find_home_item(item.id); i != kNone) {
      for (const auto& p : item.parameters)
        if (!fixed_by_rule(i, p.name))
          set_param(r_.session.home_program[i].parameters, p.name, p.value);
      return;
    }
    HomeProgramItem& out = new_home_item(&item.given);
    out.id = item.id;
    out.parameters = item.parameters;
  }
  std::size_t find_home_item(std::string_view id) const {
    for (std::size_t i = 0; i < home_used_; ++i)
      if (same_text(r_.session.home_program[i].id, id)) return i;
    return kNone;
  }
  bool fixed_by_rule(std::size_t item, const std::string& parameter) const {
    const std::vector<std::string>* fixed = home_given_[item];
    return fixed && std::find(fixed->begin(), fixed->end(), parameter) != fixed->end();
  }
  HomeProgramItem& new_home_item(const std::vector<std::string>* given) {
    auto& items = r_.session.home_program;
    if (items.empty()) items.reserve(8);
    home_given_.push_back(given);
    return slot(items, home_used_);
  }

  void finish_cap(std::size_t stage_index) {
    // The limits of the techniques that survived the plugins join the cap;
    // a held technique's limit no longer applies.
    cap_ = base_cap_;
    for (const auto& p : planned_)
      if (p.ok && !is_held(p.entry->info.id)) cap_ = std::min(cap_, p.entry->info.max_pressure);
    cap_ = std::clamp(cap_, 1, 10);
    // Rule adjustments first, in rule order, then the implicit limits that bind.
    emit_rule_adjustments();
    const Stage& stage = m_.stages[stage_index];
    if (stage.pressure_max == cap_)
      adjust(AdjustmentKind::pressure_cap, cap_, stage.pressure_max_rule, stage.pressure_max_source)
          .reason = stage.pressure_max_reason;
    if (s_.pressure_tolerance == cap_) {
      Adjustment& a =
          adjust(AdjustmentKind::pressure_cap, cap_, "client.pressure_tolerance", "client state");
      a.reason.reserve(56);
      a.reason += "The client tolerates pressure up to ";
      append_int(a.reason, s_.pressure_tolerance);
      a.reason += " (client-rated)";
    }
    for (auto& p : planned_) {
      if (!p.ok || is_held(p.entry->info.id)) continue;
      const TechniqueEntry& e = *p.entry;
      if (e.info.max_pressure == cap_ && cap_ < base_cap_)
        adjust(AdjustmentKind::pressure_cap, cap_, p.configured->max_pressure_rule,
               p.configured->source)
            .reason = p.configured->max_pressure_reason;
      // No parameter may exceed the cap: clamp and say so.
      const PressureClamp clamp = clamp_pressure(e, *p.result, cap_);
      if (clamp.clamped()) {
        const double asked = clamp.parameter_value.value_or(clamp.result_value.value_or(0));
        Adjustment& a = adjust(AdjustmentKind::pressure_cap, clamp.limit,
                               e.info.id + ".pressure-clamped", p.configured->source);
        a.reason = e.info.display_name + " plugin asked for pressure ";
        append_number(a.reason, asked);
        a.reason += ", above the session cap ";
        append_int(a.reason, cap_);
        a.reason += "; clamped to ";
        append_int(a.reason, clamp.limit);
      }
    }
    r_.session.pressure_cap = cap_;
    emit_plugin_results();
  }

  // Adjustments of the fired action rules, grouped per rule in rule order.
  void emit_rule_adjustments() {
    const FiredRule* chosen = nullptr;
    std::size_t chosen_reason = 0;  // index of the adjustment with its reason
    for (const auto& f : fired_) {
      const Rule& rule = *f.rule;
      // Rendered once, into the rule's first adjustment; the others copy it.
      std::size_t rendered = kNone;
      auto add = [&](AdjustmentKind kind) -> Adjustment& {
        Adjustment& a = adjust(kind, rule.id, rule.source);
        if (rendered == kNone) {
          rule.reason.render_into(s_, values_of(f), a.reason);
          rendered = adjustments_used_ - 1;
        } else {
          a.reason = r_.adjustments[rendered].reason;
        }
        return a;
      };
      if (rule.cap) add(AdjustmentKind::pressure_cap).value = std::int64_t{f.cap};
      for (const auto& h : held_)
        if (same_text(h.rule(), rule.id))  // its reason was rendered when the hold was decided
          adjust(AdjustmentKind::technique_held, h.technique, rule.id, rule.source).reason =
              h.reason;
      for (const auto& id : rule.add_techniques)
        if (!is_held(id)) add(AdjustmentKind::technique_added).value.emplace<std::string>(id);
      if (rule.duration_minutes)
        add(AdjustmentKind::duration_changed).value = std::int64_t{f.duration};
      if (rule.postpone_days) {
        add(AdjustmentKind::postponed).value = std::int64_t{f.postpone};
        postpone_ = std::max(postpone_, f.postpone);
      }
      if (!rule.refer.empty()) {
        add(AdjustmentKind::referral).value.emplace<std::string>(rule.refer);
        if (!chosen || rule.priority > chosen->rule->priority) {
          chosen = &f;
          chosen_reason = adjustments_used_ - 1;
        }
      }
      if (!rule.check_in.empty())
        add(AdjustmentKind::check_in).value.emplace<std::string>(rule.check_in);
      if (!rule.note.empty()) add(AdjustmentKind::note).value.emplace<std::string>(rule.note);
      for (const auto& item : rule.home_program) {
        if (find_home_item(item.id) == kNone)
          add(AdjustmentKind::home_program).value.emplace<std::string>(item.id);
        add_rule_home_item(item);
      }
    }
    // Plugin holds (and holds of techniques not in any rule) are reported too.
    for (const auto& h : held_) {
      bool from_rule = false;
      for (const auto& f : fired_) from_rule = from_rule || same_text(f.rule->id, h.rule());
      if (!from_rule)
        adjust(AdjustmentKind::technique_held, h.technique, h.rule(), h.source).reason = h.reason;
    }
    if (!chosen) {
      r_.session.referral.reset();
    } else {
      Referral& referral =
          r_.session.referral ? *r_.session.referral : r_.session.referral.emplace();
      set_if_changed(referral.to, chosen->rule->refer);
      set_if_changed(referral.rule, chosen->rule->id);
      referral.reason = r_.adjustments[chosen_reason].reason;
    }
  }

  void choose_frequency() {
    const std::size_t current = s_.program.frequency.empty()
                                    ? m_.start_frequency
                                    : std::min(m_.frequency_index(s_.program.frequency),
                                               m_.ladder.size() - 1);
    std::size_t next = current;
    ReasonValues values;
    values.frequency = m_.ladder[current].id;
    const Rule* up = current > 0 || explain_ ? first_firing(m_.step_up) : nullptr;
    if (up && current > 0) {
      next = current - 1;
      values.next_frequency = m_.ladder[next].id;
      Adjustment& a =
          adjust(AdjustmentKind::frequency_changed, m_.ladder[next].id, up->id, up->source);
      up->reason.render_into(s_, values, a.reason);
    } else if (!up && current + 1 < m_.ladder.size()) {
      if (const Rule* down = first_firing(m_.step_down)) {
        next = current + 1;
        values.next_frequency = m_.ladder[next].id;
        Adjustment& a =
            adjust(AdjustmentKind::frequency_changed, m_.ladder[next].id, down->id, down->source);
        down->reason.render_into(s_, values, a.reason);
      }
    }
    set_if_changed(r_.session.frequency, m_.ladder[next].id);
    r_.session.next_session_in_days = m_.ladder[next].interval_days;
  }

  void finish_session() {
    auto& session = r_.session;
    session.duration_minutes = duration_;
    session.postpone_days = postpone_;
    if (session.techniques.empty()) session.techniques.reserve(planned_.size());
    for (auto& p : planned_) {
      if (!p.ok || is_held(p.entry->info.id) || p.entry->info.kind != TechniqueKind::in_session)
        continue;
      auto& t = slot(session.techniques, techniques_used_);
      // A new element takes the draft's copy of the id (the draft makes
      // another next time); a reused one keeps its own when it matches.
      if (t.id.empty() && p.draft_index != kNone)
        t.id.swap(scratch_.draft.techniques[p.draft_index]);
      else
        set_if_changed(t.id, p.entry->info.id);
      set_if_changed(t.plugin, p.entry->plugin->description.name);
      set_if_changed(t.plugin_version, p.entry->plugin->description.version);
      t.parameters.swap(p.result->parameters);
    }
    if (r_.held_techniques.empty() && !held_.empty()) r_.held_techniques.reserve(held_.size());
    for (auto& h : held_) {
      auto& out = slot(r_.held_techniques, held_used_);
      set_if_changed(out.id, h.technique);
      set_if_changed(out.rule, h.rule());
      out.reason = std::move(h.reason);  // every adjustment that needs it has copied it
    }
    if (techniques_used_ == 0) {
      warn("no technique remains for this session after the holds");
      adjust(AdjustmentKind::note, "engine.no-technique", m_.file).reason =
          "Every technique is held today: consider postponing the session or a check-in only";
    }
  }

  const ProtocolModel& m_;
  const ClientState& s_;
  const bool explain_;
  Recommendation& r_;
  EvaluationScratch& scratch_;

  SmallVec<std::size_t, 8> suppressed_;
  SmallVec<FiredRule, 16> fired_;
  SmallVec<Planned, 6> planned_;
  SmallVec<Planned, 2> home_;
  SmallVec<const std::vector<std::string>*, 12> home_given_;  // per home item: keys a rule set
  SmallVec<HeldBy, 4> held_;
  // Elements of the output vectors written so far.
  std::size_t adjustments_used_ = 0;
  std::size_t warnings_used_ = 0;
  std::size_t held_used_ = 0;
  std::size_t techniques_used_ = 0;
  std::size_t plugins_used_ = 0;
  std::size_t home_used_ = 0;
  std::size_t results_used_ = 0;  // of scratch_.results
  bool flare_restricted_ = false;
  int base_cap_ = 10;  // stage, tolerance and rule caps
  int cap_ = 10;       // with technique limits
  int duration_ = 60;
  int postpone_ = 0;
};

}  // namespace

namespace {

// The evaluation of a state that has its defaults and observation order.
void evaluate_state(const ProtocolModel& model, const ClientState& state,
                    const EvaluateOptions& options, Recommendation& out) {
  // One scratch per thread; a nested evaluation (a plugin evaluating a
  // protocol) gets its own.
  thread_local EvaluationScratch scratch;
  std::unique_ptr<EvaluationScratch> nested;
  EvaluationScratch& used =
      scratch.in_use ? *(nested = std::make_unique<EvaluationScratch>()) : scratch;
  used.in_use = true;
  struct Release {
    EvaluationScratch& s;
    ~Release() { s.in_use = false; }
  } release{used};
  Evaluation(model, state, options, out, used).run();
}

// Out of line: the copy of the state lives only in this rarer case's frame
// (an optional<ClientState> in the caller's was zeroed on every call).
[[gnu::noinline]] void evaluate_normalized(const ProtocolModel& model, const ClientState& state,
                                           std::vector<Observation>* observations,
                                           const EvaluateOptions& options, Recommendation& out) {
  ClientState normalized(state);
  if (observations) normalized.observations = std::move(*observations);
  if (normalized.program.stage.empty()) normalized.program.stage = model.stages.front().id;
  if (normalized.program.frequency.empty())
    normalized.program.frequency = model.ladder[model.start_frequency].id;
  evaluate_state(model, normalized, options, out);
}

}  // namespace

void evaluate_protocol_into(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, Recommendation& out) {
  // Expressions read the stage, frequency and observations straight from
  // the state: fill in defaults and the protocol's observation order on a
  // copy only when the state lacks them (new clients, states built in code).
  std::vector<Observation> observations;
  const bool reorder = normalize_observations(model, state, observations);
  if (reorder || state.program.stage.empty() || state.program.frequency.empty()) {
    evaluate_normalized(model, state, reorder ? &observations : nullptr, options, out);
    return;
  }
  evaluate_state(model, state, options, out);
}

Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options) {
  Recommendation out;
  evaluate_protocol_into(model, state, options, out);
  return out;
}

}  // namespace fascia::detail
