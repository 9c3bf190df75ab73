#pragma once
// The decision record: what one evaluation decided, in storage its thread
// keeps (PlannerScratch, session_plan.hpp), without a string built for it.
// Which rules fired (a bit set, one bit per rule of the protocol; the
// stage's Stage::evaluated says which were evaluated), why a rule's outcome differs from its
// condition (a suppressed healing response, an advance or taper held), and the resolved plan. The
// Recommendation, its JSON document and the --explain trace are rendered from it
// (record_render.hpp), the trace only when asked for, reading the values each rule's condition saw
// from the state, which is unchanged.

#include "core/plugin_memo.hpp"
#include "core/plugin_result_checks.hpp"
#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>
#include <fascia/plugin.hpp>
#include <fascia/recommendation.hpp>

#include <boost/container/small_vector.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Why a rule's trace entry says more than its condition's value. The text
// is written only when the trace is rendered.
struct RuleNote {
  enum class Why : std::uint8_t {
    suppressed,           // suppressed by an applied healing response
    condition_failed,     // error: applied (restricting rule) or not
    value_absent,         // unknown
    healing_in_flare,     // a healing response beside a reported flare
    healing_beside_flare  // ... beside a flare-response rule (`other`)
  };
  std::size_t rule = 0;  // index in ProtocolModel::rules
  TraceEntry::Outcome outcome = TraceEntry::Outcome::not_fired;
  Why why = Why::suppressed;
  std::string_view other;  // the rule id the text names
};

// A fired rule held back: an advance by a stage hold rule or the red flag
// of the day, a taper by a safety floor. Its trace entry stays `fired`.
struct RuleHeld {
  std::size_t rule = 0;
  std::string_view by;  // the rule id that held it
  bool by_red_flag = false;
};

// An adjustment as decided. Its texts are written when the recommendation
// is rendered: a rule's reason template is rendered only then.
struct AdjustmentRecord {
  enum class Value : std::uint8_t { none, number, text, plugin };
  enum class Reason : std::uint8_t { none, rule, text, tolerance, same_as, plugin };
  AdjustmentKind kind = AdjustmentKind::note;
  Value value = Value::none;
  Reason reason = Reason::none;
  std::int64_t number = 0;
  std::string_view text;               // Value::text
  std::string_view rule, rule_suffix;  // the rule id is "rule.rule_suffix" when `suffixed`
  bool suffixed = false;
  std::string_view source;
  const Rule* by = nullptr;  // Reason::rule: its reason, rendered with `values`
  ReasonValues values;
  std::string_view reason_text;  // Reason::text
  std::size_t same_as = 0;       // Reason::same_as: the adjustment whose reason it repeats
  const TechniqueAdjustment* plugin = nullptr;  // Value and Reason::plugin: a plugin's result's

  AdjustmentRecord& with(std::int64_t n) {
    value = Value::number;
    number = n;
    return *this;
  }
  AdjustmentRecord& with(std::string_view t) {
    value = Value::text;
    text = t;
    return *this;
  }
  void because(const Rule& rule_, const ReasonValues& values_) {
    reason = Reason::rule;
    by = &rule_;
    values = values_;
  }
  void because(std::string_view t) {
    reason = Reason::text;
    reason_text = t;
  }
};

// A held technique. A protocol rule's hold renders the rule's reason with
// `values`; plugin holds, floors and red-flag holds carry their own text.
struct HoldRecord {
  std::string_view technique;
  std::string_view rule;
  const Rule* by_rule = nullptr;
  ReasonValues values;
  std::string_view reason;  // without by_rule
  std::string_view source;
};

struct DecisionRecord {
  // One bit per rule, in protocol order.
  std::vector<std::uint64_t> fired;
  boost::container::small_vector<RuleNote, 8> notes;
  boost::container::small_vector<RuleHeld, 2> held_rules;
  std::string red_flag_what;  // "referral to physician today": a red flag held an advance
  // The resolved plan (the Recommendation's session is rendered with its
  // reasons and plugin parameters).
  std::size_t current_stage = 0, stage = 0;
  std::size_t frequency = 0;  // the ladder step planned
  int pressure_cap = 10;
  int duration_minutes = 60;
  int postpone_days = 0;
  const Rule* referral = nullptr;   // the referral rule chosen, if any (find_red_flag)
  std::size_t referral_reason = 0;  // the adjustment whose reason the referral gives
  std::vector<AdjustmentRecord> adjustments;
  boost::container::small_vector<HoldRecord, 4> held;
  // The session's techniques in plan order, with their plugin's result (the
  // plugin memo's: read, never changed) and the pressure clamp that applies
  // to a copy of its parameters (apply_clamp).
  struct Technique {
    const TechniqueEntry* entry;
    const CheckedResult* result;
    PressureClamp clamp;
  };
  boost::container::small_vector<Technique, 6> techniques;
  std::vector<std::string> warnings;
  // Texts built while deciding (holds, floors, clamps), stable for the views above: text() gives an
  // empty one to write; those past `texts_used` keep their memory for the next evaluation.
  std::deque<std::string> texts;
  std::size_t texts_used = 0;
  std::string& text() {
    if (texts_used == texts.size()) texts.emplace_back();
    return texts[texts_used++].erase();
  }

  // `words`: of the bit sets.
  [[gnu::always_inline]] void start(std::size_t words) {
    // A word at a time (one or two words): memset and memmove calls (when the
    // record also copied the evaluated bits) cost fascia::decide ~70
    // instructions, an empty deque's clear() ~40 (callgrind).
    fired.resize(words);
    for (std::size_t i = 0; i < words; ++i) fired[i] = 0;
    notes.clear();
    held_rules.clear();
    red_flag_what.clear();
    postpone_days = 0;
    adjustments.clear();
    held.clear();
    techniques.clear();
    warnings.clear();
    texts_used = 0;
  }
  static bool test(const std::vector<std::uint64_t>& bits, std::size_t i) {
    return (bits[i / 64] >> (i % 64)) & 1U;
  }
  // f(rule id) for every rule that fired, in protocol order.
  template <class F>
  void for_each_fired(const ProtocolModel& model, F f) const {
    for (std::size_t word = 0; word < fired.size(); ++word)
      for (std::uint64_t w = fired[word]; w != 0; w &= w - 1)
        f(model.rules[word * 64 + static_cast<std::size_t>(std::countr_zero(w))].id);
  }
};

// The ids of the rules that fired, in protocol order, into `out` (its
// strings keep their memory). The rest of the record is rendered by
// record_render.hpp.
void render_fired(const DecisionRecord& record, const ProtocolModel& model,
                  std::vector<std::string>& out);

}  // namespace fascia::detail
