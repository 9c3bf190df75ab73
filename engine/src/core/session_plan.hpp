#pragma once
// SessionPlan: one evaluation of a client state against a compiled protocol,
// step by step (docs/protocol-authoring.md "How a recommendation is built").
// Its members are defined in:
//   session_plan_steps.cpp    the decision steps (stage, rules, cap, frequency)
//   session_plan_floors.cpp   the safety floors (red flags hold escalations)
//   session_plan_plugins.cpp  the technique plugins and their results
//   session_plan_output.cpp   the rule adjustments, the referral, the session,
//                             and the record handed to record_render.hpp
//   session_plan_explain.cpp  rule conditions (the trace is record_render's)
// Private to the session planner (session_planner.hpp is the entry point).

#include "common/same_text.hpp"
#include "core/decision_record.hpp"
#include "core/plugin_memo.hpp"
#include "core/plugin_result_checks.hpp"
#include "core/protocol_model.hpp"
#include "core/record_render.hpp"
#include "core/state_checks.hpp"

#include <fascia/client_state.hpp>
#include <fascia/decision.hpp>
#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fascia::detail {

// A rule whose condition held (or was applied conservatively), with the
// numbers its actions computed.
struct FiredRule {
  const Rule* rule;
  int cap = 0;
  int duration = 0;
  int postpone = 0;
  ReasonValues values() const { return {cap, duration, postpone, {}, {}, {}, {}}; }
};

// The red flag of the day (CONTRACT.md "Safety floors"), if any: what every
// blocked escalation names.
struct RedFlag {
  bool raised = false;
  std::string_view rule;  // the red flag's rule id
  std::string_view source;
  std::string_view what;  // "referral to physician today" (a record text, or literal)
  // A step-up, a marked rule or the active flare: a stage hold rule that fired says
  // more than the red flag and is reported instead.
  bool hold_speaks_first = false;
};

// A technique planned for the session (or the home program).
struct Planned {
  Planned(const ConfiguredTechnique& technique, const Params& technique_config)
      : entry(technique.entry.get()), config(&technique_config), configured(&technique) {}
  const TechniqueEntry* entry;
  const Params* config;
  const ConfiguredTechnique* configured;
  const CheckedResult* result = nullptr;  // set when its plugin ran; read, never changed
  const Rule* added_by = nullptr;         // the rule that added it (not in the stage)
  bool ok = false;
  PressureClamp clamp;  // its pressure_max in the session (finish_cap)
};

// SessionPlan's working lists, kept by the thread with the rest of its
// scratch: an evaluation neither builds nor frees them, it clears them.
struct PlanLists {
  std::vector<std::size_t> suppressed;
  std::vector<FiredRule> fired;
  std::vector<Planned> planned, home;
  HomeItems home_items;                    // the home program (add_home_item)
  std::vector<std::uint64_t> draft_words;  // run_plugins
  void clear() {
    suppressed.clear();
    fired.clear();
    planned.clear();
    home.clear();
    home_items.clear();
  }
};

// What an evaluation works in, kept by its thread from one evaluation to
// the next so that lists and strings keep their memory (session_planner.cpp).
struct PlannerScratch {
  PluginMemo memo;  // the plugins' results, the draft they are given
  std::vector<std::unique_ptr<CheckedResult>> spare;  // results the memo does not keep
  DecisionRecord record;                              // what this evaluation decided
  RenderScratch render;                               // what rendering it writes into
  ClientState resolved;                               // a state with its defaults filled in
  std::vector<Observation> observations;
  AdjustmentRecord unread;   // the adjustments of a decision not rendered (SessionPlan::adjust)
  std::string plugin_error;  // why a plugin call failed (memoised_adjust)
  PlanLists lists;           // SessionPlan's
  bool in_use = false;       // an evaluation on this thread is running (re-entry)
};

class SessionPlan {
 public:
  SessionPlan(const ProtocolModel& model, const ClientState& state, const EvaluateOptions& options,
              PlannerScratch& scratch, const StateLayout* layout = nullptr)
      : m_(model),
        s_(state),
        explain_(options.explain),
        scratch_(scratch),
        record_(scratch.record),
        layout_(layout),
        l_(scratch.lists) {
    // Kept by the thread: fascia::decide 4,428 -> 4,361 instructions (small_vectors
    // built and freed on the stack each evaluation before, callgrind).
    l_.clear();
  }

  // decide(), then render(): the Recommendation into `out`, or, given
  // `json`, its JSON document appended to it instead.
  void run(Recommendation* out, std::string* json = nullptr);
  // Every decision, recorded (the Recommendation's home program included),
  // nothing rendered; the second also writes the plan into `out`.
  [[gnu::always_inline]] void decide();
  void decide(Decision& out);
  // Only the rule decisions (the record's bit sets and notes), for
  // Recommendation::fired without the rest (no plugin, no adjustment): the
  // ids of the rules that fired into `out`.
  void decide_fired(std::vector<std::string>& out);

 private:
  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

  // ---- rule conditions (session_plan_explain.cpp) --------------------------

  bool suppressed(std::size_t rule_index) const;
  std::size_t index_of(const Rule& rule) const {
    return static_cast<std::size_t>(&rule - m_.rules.data());
  }
  // Whether the rule whose condition failed or lacks a value fires, noted.
  [[gnu::noinline]] bool check_not_boolean(std::size_t index, Truth t);
  // Evaluates the condition of every rule of `rules`, in order, and records
  // it (fired: a bit; else a note why not; Stage::evaluated lists the rule),
  // then f(rule index) for each that fired. A suppressed rule is not
  // evaluated; an undecidable condition (absent data) does not fire; a
  // failing one fires only if the rule restricts. The usual case (nothing
  // suppressed) is a loop of its own (a test of the suppressions in the loop
  // cost fascia::decide 59 instructions), with the state and the fired bits
  // in locals: the condition's call made the compiler reload them for each
  // rule (fascia::decide with first_firing inline: 6,137 -> 6,028, callgrind).
  template <class F>
  [[gnu::always_inline]] void for_each_firing(const std::vector<RuleTest>& rules, F f) {
    if (l_.suppressed.empty()) return for_each_firing<false>(rules, f);
    for_each_firing<true>(rules, f);  // rare: an applied healing response
  }
  template <bool any_suppressed, class F>
  [[gnu::always_inline]] void for_each_firing(const std::vector<RuleTest>& rules, F f) {
    const ClientState& state = s_;
    std::uint64_t* fired = record_.fired.data();
    for (const RuleTest& r : rules) {
      if (any_suppressed && suppressed(r.index)) {
        record_.notes.push_back(
            {r.index, TraceEntry::Outcome::suppressed, RuleNote::Why::suppressed, {}});
        continue;
      }
      Truth t = Truth::error;
      try {
        t = r.test(*r.program, state);
      } catch (...) {  // a function that threw despite its contract (Expression::test)
      }
      if (t == Truth::no || (t != Truth::yes && !check_not_boolean(r.index, t))) continue;
      fired[r.index / 64] |= std::uint64_t{1} << (r.index % 64);
      f(r.index);
    }
  }
  // The first rule that fires; every rule of the list is evaluated, so that
  // Recommendation::fired and the trace list each one whose condition held.
  // Inline: 5 calls an evaluation, most of them over 0-2 rules.
  [[gnu::always_inline]] const Rule* first_firing(const std::vector<RuleTest>& rules) {
    const Rule* found = nullptr;
    for_each_firing(rules, [&](std::size_t index) { found = found ? found : &m_.rules[index]; });
    return found;
  }
  // A rule that fired but is not applied (a healing response beside a
  // flare): out of Recommendation::fired, `suppressed` in the trace.
  void not_applied(const Rule& rule, RuleNote::Why why, std::string_view other = {});

  // ---- decision steps (session_plan_steps.cpp) ------------------------------

  int number(const Rule& rule, const NumberAction& action, bool restrictive_low);
  [[gnu::always_inline]] void evaluate_healing_response();
  // The stage the client is in (DecisionRecord::current_stage), then DecisionRecord::start.
  [[gnu::always_inline]] void start();
  [[gnu::always_inline]] void decide_stage_changes();
  [[gnu::always_inline]] void decide_advance();
  [[gnu::always_inline]] void collect_action_rules();
  bool is_planned(std::string_view technique) const;
  bool is_held(std::string_view id) const {
    for (const auto& h : record_.held)
      if (same_text(h.technique, id)) return true;
    return false;
  }
  void hold(std::string_view technique, const Rule& rule, const ReasonValues& values);
  [[gnu::always_inline]] void plan_techniques();
  [[gnu::always_inline]] void compute_limits();
  [[gnu::always_inline]] void choose_frequency();

  // ---- safety floors (session_plan_floors.cpp) ------------------------------

  void find_red_flag();
  // Appends " held: <red flag> (<rule>)" to `what` (a record text): its view.
  std::string_view held_because(std::string& what) const;
  void hold_added_on_red_flag_day(const Rule& adder, const Planned& p);
  void hold_outside_flare_safe();
  // A taper the floors do not allow today: true after reporting it.
  bool taper_held(std::size_t current, const Rule& down);
  void own_hold(std::string_view technique, std::string_view rule, std::string_view reason,
                std::string_view source);

  // ---- plugins (session_plan_plugins.cpp) ----------------------------------

  void run_plugins();
  [[gnu::always_inline]] void run_plugin(Planned& p, std::size_t& spare);
  // A failed call, invalid parameters, a hold or warnings.
  [[gnu::noinline]] void plugin_outcome(Planned& p, const std::string& error);
  void emit_plugin_results();
  void add_home_item(const std::string& id, const Params& parameters,
                     const std::vector<std::string>* given);
  std::size_t find_home_item(std::string_view id) const;

  // ---- output (session_plan_output.cpp) ------------------------------------
  // Recorded while deciding; render() writes the Recommendation or its JSON.

  void warn(std::string text) { record_.warnings.push_back(std::move(text)); }
  // Records an adjustment with a null value and no reason; the caller sets
  // them (AdjustmentRecord::with, because). Nothing is rendered from
  // decide(Decision&) or decide_fired(): their adjustments are all written
  // over one record no one reads (a new record, zeroed, and its place in the
  // list cost fascia::decide ~60 instructions each, callgrind).
  AdjustmentRecord& adjust(AdjustmentKind kind, std::string_view rule, std::string_view source) {
    AdjustmentRecord& a = rendered_ ? record_.adjustments.emplace_back() : scratch_.unread;
    a.kind = kind;
    a.rule = rule;
    a.source = source;
    return a;
  }
  void finish_cap();
  void emit_rule_adjustments();
  bool in_session(const Planned& p) const {
    return p.ok && !is_held(p.entry->info.id) && p.entry->info.kind == TechniqueKind::in_session;
  }
  // The session's techniques, recorded, and a warning and a note if none is
  // left after the holds; then the Recommendation or its JSON rendered.
  void render(Recommendation* out, std::string* json);

  const ProtocolModel& m_;
  const ClientState& s_;
  const bool explain_;
  PlannerScratch& scratch_;
  DecisionRecord& record_;
  const StateLayout* layout_;  // the stage and frequency indices, if the checks found them

  PlanLists& l_;  // the working lists (in the scratch)
  // Rendered (a Recommendation or its JSON); decide(Decision&) records the plan
  // alone: no home items, implicit cap limits, clamps or plugin adjustments.
  bool rendered_ = true;
  // The stage decision.
  const Rule* regressed_by_ = nullptr;
  const Rule* stage_hold_ = nullptr;  // the first stage hold rule that fired
  const Rule* step_up_ = nullptr;     // the first frequency step-up rule that fired
  RedFlag red_flag_;
  bool flare_restricted_ = false;
  int base_cap_ = 10;  // stage, tolerance and rule caps
};

}  // namespace fascia::detail
