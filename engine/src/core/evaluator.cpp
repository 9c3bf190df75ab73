#include "core/evaluator.hpp"

#include "core/state_parser.hpp"

#include <fascia/version.hpp>

#include <algorithm>
#include <cmath>

namespace fascia::detail {

namespace {

enum class Fired : std::uint8_t { yes, no };

// A rule whose condition held (or was applied conservatively), with the
// numbers its actions computed.
struct FiredRule {
  const Rule* rule;
  int cap = 0;
  int duration = 0;
  int postpone = 0;
};

struct HeldBy {
  std::string technique;
  std::string rule;
  std::string reason;
  std::string source;
};

class Evaluation {
 public:
  Evaluation(const ProtocolModel& model, const ClientState& state, const EvaluateOptions& options,
             Recommendation& out)
      : m_(model), s_(state), explain_(options.explain), r_(out) {}

  void run() {
    r_.adjustments.reserve(16);
    planned_.reserve(8);
    fill_header();
    evaluate_healing_response();
    const std::size_t stage = choose_stage();
    collect_action_rules();
    plan_techniques(stage);
    compute_cap(stage);
    compute_duration(stage);
    run_plugins(stage);
    finish_cap(stage);
    choose_frequency();
    finish_session();
  }

 private:
  // ---- rule conditions ------------------------------------------------------

  bool suppressed(std::size_t rule_index) const {
    return std::find(suppressed_.begin(), suppressed_.end(), rule_index) != suppressed_.end();
  }

  std::size_t index_of(const Rule& rule) const {
    return static_cast<std::size_t>(&rule - m_.rules.data());
  }

  // Evaluates a rule's condition. An undecidable condition (absent data)
  // does not fire; a failing one fires only if the rule restricts.
  Fired check(const Rule& rule) {
    if (suppressed(index_of(rule))) {
      if (explain_) trace(rule, TraceEntry::Outcome::suppressed, "suppressed by healing response");
      return Fired::no;
    }
    const Value v = rule.when.evaluate(s_);
    if (v.kind == Value::Kind::boolean) {
      if (explain_) trace(rule, v.boolean ? TraceEntry::Outcome::fired : TraceEntry::Outcome::not_fired, {});
      return v.boolean ? Fired::yes : Fired::no;
    }
    if (v.kind == Value::Kind::error) {
      const bool apply = rule.restricts();
      r_.warnings.push_back("rule '" + rule.id + "' (" + rule.source +
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
      r_.warnings.push_back("rule '" + rule.id + "': '" + action.expression->text() +
                            "' has no value (" + format_value(v) + "); using " +
                            std::to_string(safe) + " to be safe");
      return safe;
    }
    const double rounded = std::round(v.number);
    const int clamped = static_cast<int>(std::clamp(rounded, double(action.min), double(action.max)));
    if (clamped != rounded)
      r_.warnings.push_back("rule '" + rule.id + "': '" + action.expression->text() + "' gave " +
                            format_value(v) + "; clamped to " + std::to_string(clamped));
    return clamped;
  }

  void adjust(AdjustmentKind kind, ParamValue value, std::string rule, std::string reason,
              const std::string& source) {
    r_.adjustments.push_back({kind, std::move(value), std::move(rule), std::move(reason), source});
  }

  // ---- steps --------------------------------------------------------------

  void fill_header() {
    r_.format = recommendation_format;
    auto& p = r_.provenance;
    p.engine_name = engine_name;
    p.engine_version = engine_version;
    p.protocol_id = m_.id;
    p.protocol_version = m_.version;
    p.protocol_sha256 = m_.sha256;
    for (const auto& req : m_.plugins) p.plugins.push_back({req.name, req.plugin->description.version});
    r_.client_id = s_.client_id;
    r_.as_of = s_.as_of.to_string();
  }

  void evaluate_healing_response() {
    for (std::size_t index : m_.healing) {
      const Rule& rule = m_.rules[index];
      if (check(rule) != Fired::yes) continue;
      adjust(AdjustmentKind::note, std::monostate{}, rule.id, rule.reason.render(s_, {}),
             rule.source);
      suppressed_.insert(suppressed_.end(), rule.suppresses.begin(), rule.suppresses.end());
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
        adjust(AdjustmentKind::stage_regressed, m_.stages[next].id, rule->id,
               rule->reason.render(s_, values), rule->source);
      }
    }
    if (next == current && current + 1 < m_.stages.size()) {
      if (const Rule* advance = first_firing(stage.advance)) {
        ReasonValues values;
        values.stage = stage.id;
        values.next_stage = m_.stages[current + 1].id;
        if (const Rule* hold = first_firing(stage.hold)) {
          adjust(AdjustmentKind::stage_held, stage.id, hold->id, hold->reason.render(s_, values),
                 hold->source);
        } else {
          next = current + 1;
          adjust(AdjustmentKind::stage_advanced, m_.stages[next].id, advance->id,
                 advance->reason.render(s_, values), advance->source);
          for (const auto& t : m_.stages[next].techniques) {
            bool before = false;
            for (const auto& old : stage.techniques) before = before || old.entry == t.entry;
            if (!before)
              adjust(AdjustmentKind::technique_added, t.entry->info.id, advance->id,
                     t.entry->info.display_name + " is introduced in stage '" +
                         m_.stages[next].id + "'",
                     advance->source);
          }
        }
      }
    }
    r_.session.stage = m_.stages[next].id;
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

  void hold(const std::string& technique, const Rule& rule, const ReasonValues& values) {
    // Only what would otherwise be done today is "held".
    bool planned = false;
    for (const auto& p : planned_) planned = planned || p.entry->info.id == technique;
    if (!planned) return;
    for (const auto& h : held_)
      if (h.technique == technique) return;
    held_.push_back({technique, rule.id, rule.reason.render(s_, values), rule.source});
  }

  void plan_techniques(std::size_t stage_index) {
    const Stage& stage = m_.stages[stage_index];
    for (const auto& t : stage.techniques)
      planned_.push_back({t.entry.get(), &t.config, m_.technique(t.entry->info.id)});
    // Adds first (permissive), then holds, which always win.
    for (const auto& f : fired_) {
      for (const auto& id : f.rule->add_techniques) {
        const auto* configured = m_.technique(id);
        bool present = false;
        for (const auto& p : planned_) present = present || p.entry->info.id == id;
        if (!present) planned_.push_back({configured->entry.get(), &configured->config, configured});
      }
    }
    for (const auto& f : fired_) {
      const Rule& rule = *f.rule;
      ReasonValues values = values_of(f);
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

  ReasonValues values_of(const FiredRule& f) const {
    ReasonValues v;
    v.cap = f.cap;
    v.duration_minutes = f.duration;
    v.postpone_days = f.postpone;
    return v;
  }

  bool is_held(const std::string& id) const {
    for (const auto& h : held_)
      if (h.technique == id) return true;
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

  void run_plugins(std::size_t stage_index) {
    SessionDraft draft;
    draft.stage = m_.stages[stage_index].id;
    draft.pressure_cap = cap_;
    draft.duration_minutes = duration_;
    draft.flare_restricted = flare_restricted_;
    for (const auto& p : planned_)
      if (!is_held(p.entry->info.id)) draft.techniques.push_back(p.entry->info.id);
    for (auto& p : planned_) {
      if (is_held(p.entry->info.id)) continue;
      run_plugin(p, draft);
    }
    for (const auto& t : m_.techniques) {
      if (t.entry->info.kind != TechniqueKind::home) continue;
      home_.push_back({t.entry.get(), &t.config, &t});
      run_plugin(home_.back(), draft);
    }
  }

  struct Planned {
    const TechniqueEntry* entry;
    const Params* config;
    const ConfiguredTechnique* configured;
    TechniqueResult result{};
    bool ok = false;
  };

  const std::string& plugin_source(const TechniqueEntry& e) const {
    return m_.technique(e.info.id)->source;
  }

  void run_plugin(Planned& p, const SessionDraft& draft) {
    const TechniqueEntry& e = *p.entry;
    const std::string& id = e.info.id;
    TechniqueContext context{s_, *p.config, draft};
    std::string error;
    if (!call_adjust(e, context, p.result, error)) {
      plugin_hold(id, id + ".plugin-error",
                  e.info.display_name + " is held: its plugin failed (" + error + ")", e);
      r_.warnings.push_back("plugin '" + e.plugin->description.name + "' failed in adjust() for '" +
                            id + "': " + error + "; technique held to be safe");
      return;
    }
    TechniqueResult& res = p.result;
    if (res.hold) {
      plugin_hold(id, id + "." + (res.hold_rule.empty() ? std::string("hold") : res.hold_rule),
                  res.hold_reason.empty() ? e.info.display_name + " is held by its plugin"
                                          : res.hold_reason,
                  e);
      return;
    }
    auto problems = check_result(e, res);
    if (!problems.empty()) {
      std::string joined;
      for (const auto& pr : problems) joined += (joined.empty() ? "" : "; ") + pr;
      plugin_hold(id, id + ".invalid-parameters",
                  e.info.display_name + " is held: its plugin returned invalid parameters (" +
                      joined + ")",
                  e);
      r_.warnings.push_back("plugin '" + e.plugin->description.name + "' returned invalid parameters for '" +
                            id + "': " + joined + "; technique held to be safe");
      return;
    }
    // check_result() has vetted the home-program ids; the adjustments and
    // items are emitted after the rules' own (see emit_plugin_results()).
    p.ok = true;
    for (auto& w : res.warnings) r_.warnings.push_back(id + ": " + w);
  }

  void emit_plugin_results() {
    for (auto& p : planned_) emit_plugin_result(p);
    for (auto& p : home_) emit_plugin_result(p);
  }

  void emit_plugin_result(Planned& p) {
    if (!p.ok || is_held(p.entry->info.id)) return;
    const TechniqueEntry& e = *p.entry;
    const std::string& id = e.info.id;
    for (auto& a : p.result.adjustments)
      adjust(a.kind, std::move(a.value), id + "." + a.rule, std::move(a.reason), plugin_source(e));
    // The home technique's own items are the protocol's standing home plan,
    // like a stage's techniques: listed in the session, not as adjustments
    // (its notes above explain any change it made).
    for (auto& item : p.result.home_program) add_home_item(std::move(item));
  }

  void plugin_hold(const std::string& id, std::string rule, std::string reason,
                   const TechniqueEntry& e) {
    for (const auto& h : held_)
      if (h.technique == id) return;
    held_.push_back({id, std::move(rule), std::move(reason), plugin_source(e)});
  }

  // Rule items come first. When a plugin also prescribes an item a rule
  // asked for, the plugin's state-aware values (e.g. halved minutes in a
  // flare) replace the item's defaults, but never what the rule set itself.
  void add_home_item(HomeProgramItem item, const std::vector<std::string>* given = nullptr) {
    for (std::size_t i = 0; i < r_.session.home_program.size(); ++i) {
      auto& existing = r_.session.home_program[i];
      if (existing.id != item.id) continue;
      const auto& fixed = home_given_[i];
      for (auto& p : item.parameters)
        if (std::find(fixed.begin(), fixed.end(), p.name) == fixed.end())
          set_param(existing.parameters, p.name, std::move(p.value));
      return;
    }
    r_.session.home_program.push_back(std::move(item));
    home_given_.push_back(given ? *given : std::vector<std::string>{});
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
      adjust(AdjustmentKind::pressure_cap, std::int64_t{cap_}, "stages." + stage.id + ".pressure_max",
             "Stage '" + stage.id + "' allows pressure up to " + std::to_string(stage.pressure_max),
             stage.pressure_max_source);
    if (s_.pressure_tolerance == cap_)
      adjust(AdjustmentKind::pressure_cap, std::int64_t{cap_}, "client.pressure_tolerance",
             "The client tolerates pressure up to " + std::to_string(s_.pressure_tolerance) +
                 " (client-rated)",
             "client state");
    for (auto& p : planned_) {
      if (!p.ok || is_held(p.entry->info.id)) continue;
      const TechniqueEntry& e = *p.entry;
      if (e.info.max_pressure == cap_ && cap_ < base_cap_)
        adjust(AdjustmentKind::pressure_cap, std::int64_t{cap_}, e.info.id + ".max_pressure",
               e.info.display_name + " is never done above pressure " +
                   std::to_string(e.info.max_pressure),
               plugin_source(e));
      // No parameter may exceed the cap: clamp and say so.
      const PressureClamp clamp = clamp_pressure(e, p.result, cap_);
      if (clamp.clamped()) {
        const double asked = clamp.parameter_value.value_or(clamp.result_value.value_or(0));
        adjust(AdjustmentKind::pressure_cap, std::int64_t{clamp.limit},
               e.info.id + ".pressure-clamped",
               e.info.display_name + " plugin asked for pressure " + format_number(asked) +
                   ", above the session cap " + std::to_string(cap_) + "; clamped to " +
                   std::to_string(clamp.limit),
               plugin_source(e));
      }
    }
    r_.session.pressure_cap = cap_;
    emit_plugin_results();
  }

  static std::string format_number(double v) { return format_value(Value::make_number(v)); }

  // Adjustments of the fired action rules, grouped per rule in rule order.
  void emit_rule_adjustments() {
    const Referral* chosen = nullptr;
    int chosen_priority = 0;
    for (const auto& f : fired_) {
      const Rule& rule = *f.rule;
      const ReasonValues values = values_of(f);
      std::string reason = rule.reason.render(s_, values);
      if (rule.cap) adjust(AdjustmentKind::pressure_cap, std::int64_t{f.cap}, rule.id, reason, rule.source);
      for (const auto& h : held_)
        if (h.rule == rule.id)
          adjust(AdjustmentKind::technique_held, h.technique, rule.id, h.reason, rule.source);
      for (const auto& id : rule.add_techniques)
        if (!is_held(id)) adjust(AdjustmentKind::technique_added, id, rule.id, reason, rule.source);
      if (rule.duration_minutes)
        adjust(AdjustmentKind::duration_changed, std::int64_t{f.duration}, rule.id, reason, rule.source);
      if (rule.postpone_days) {
        adjust(AdjustmentKind::postponed, std::int64_t{f.postpone}, rule.id, reason, rule.source);
        postpone_ = std::max(postpone_, f.postpone);
      }
      if (!rule.refer.empty()) {
        adjust(AdjustmentKind::referral, rule.refer, rule.id, reason, rule.source);
        referrals_.push_back({rule.refer, rule.id, reason});
        if (!chosen || rule.priority > chosen_priority) {
          chosen = &referrals_.back();
          chosen_priority = rule.priority;
          chosen_index_ = referrals_.size() - 1;
        }
      }
      if (!rule.check_in.empty()) adjust(AdjustmentKind::check_in, rule.check_in, rule.id, reason, rule.source);
      if (!rule.note.empty()) adjust(AdjustmentKind::note, rule.note, rule.id, reason, rule.source);
      for (const auto& item : rule.home_program) {
        bool present = false;
        for (const auto& h : r_.session.home_program) present = present || h.id == item.id;
        if (!present) adjust(AdjustmentKind::home_program, item.id, rule.id, reason, rule.source);
        add_home_item({item.id, item.parameters}, &item.given);
      }
    }
    // Plugin holds (and holds of techniques not in any rule) are reported too.
    for (const auto& h : held_) {
      bool from_rule = false;
      for (const auto& f : fired_) from_rule = from_rule || f.rule->id == h.rule;
      if (!from_rule) adjust(AdjustmentKind::technique_held, h.technique, h.rule, h.reason, h.source);
    }
    if (chosen) r_.session.referral = referrals_[chosen_index_];
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
      adjust(AdjustmentKind::frequency_changed, m_.ladder[next].id, up->id,
             up->reason.render(s_, values), up->source);
    } else if (!up && current + 1 < m_.ladder.size()) {
      if (const Rule* down = first_firing(m_.step_down)) {
        next = current + 1;
        values.next_frequency = m_.ladder[next].id;
        adjust(AdjustmentKind::frequency_changed, m_.ladder[next].id, down->id,
               down->reason.render(s_, values), down->source);
      }
    }
    r_.session.frequency = m_.ladder[next].id;
    r_.session.next_session_in_days = m_.ladder[next].interval_days;
  }

  void finish_session() {
    auto& session = r_.session;
    session.duration_minutes = duration_;
    session.postpone_days = postpone_;
    for (auto& p : planned_) {
      if (!p.ok || is_held(p.entry->info.id) || p.entry->info.kind != TechniqueKind::in_session)
        continue;
      session.techniques.push_back({p.entry->info.id, p.entry->plugin->description.name,
                                    p.entry->plugin->description.version,
                                    std::move(p.result.parameters)});
    }
    for (const auto& h : held_) r_.held_techniques.push_back({h.technique, h.rule, h.reason});
    if (session.techniques.empty()) {
      r_.warnings.push_back("no technique remains for this session after the holds");
      adjust(AdjustmentKind::note, std::monostate{}, "engine.no-technique",
             "Every technique is held today: consider postponing the session or a check-in only",
             m_.file);
    }
  }

  const ProtocolModel& m_;
  const ClientState& s_;
  const bool explain_;
  Recommendation& r_;

  std::vector<std::size_t> suppressed_;
  std::vector<FiredRule> fired_;
  std::vector<Planned> planned_;
  std::vector<Planned> home_;
  std::vector<std::vector<std::string>> home_given_;  // per home item: keys a rule set
  std::vector<HeldBy> held_;
  std::vector<Referral> referrals_;
  std::size_t chosen_index_ = 0;
  bool flare_restricted_ = false;
  int base_cap_ = 10;  // stage, tolerance and rule caps
  int cap_ = 10;       // with technique limits
  int duration_ = 60;
  int postpone_ = 0;
};

}  // namespace

Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options) {
  // Expressions read the stage, frequency and observations straight from
  // the state: fill in defaults and the protocol's observation order on a
  // copy only when the state lacks them (new clients, states built in code).
  const ClientState* subject = &state;
  ClientState normalized;
  std::vector<Observation> observations;
  const bool reorder = normalize_observations(model, state, observations);
  if (reorder || state.program.stage.empty() || state.program.frequency.empty()) {
    normalized = state;
    if (reorder) normalized.observations = std::move(observations);
    if (normalized.program.stage.empty()) normalized.program.stage = model.stages.front().id;
    if (normalized.program.frequency.empty())
      normalized.program.frequency = model.ladder[model.start_frequency].id;
    subject = &normalized;
  }
  Recommendation out;
  Evaluation(model, *subject, options, out).run();
  return out;
}

}  // namespace fascia::detail
