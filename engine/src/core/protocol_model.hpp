#pragma once
// The compiled form of a protocol: everything evaluation needs, resolved at
// load (technique plugins, expressions, reason templates), immutable after.

#include "common/same_text.hpp"
#include "core/lint_ignore.hpp"
#include "expr/catalog.hpp"
#include "expr/client_fields.hpp"
#include "expr/expression.hpp"
#include "plugin_host/plugin_host.hpp"

#include <fascia/limits.hpp>
#include <fascia/param.hpp>
#include <fascia/plugin.hpp>
#include <fascia/recommendation.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fascia::detail {

// Values a reason placeholder may name besides expressions.
enum class ReasonSlot : std::uint8_t {
  none,
  cap,
  duration_minutes,
  postpone_days,
  stage,
  next_stage,
  frequency,
  next_frequency
};

struct ReasonValues {
  int cap = 0;
  int duration_minutes = 0;
  int postpone_days = 0;
  std::string_view stage, next_stage, frequency, next_frequency;
};

// "Flare severity {flare.severity}: pressure capped at {cap}".
// A placeholder of a value that can be absent carries a fallback text
// ("{last.soreness_24h|not recorded}"), written when the value is absent.
class ReasonTemplate {
 public:
  struct Piece {
    std::string literal;  // text before the placeholder
    ReasonSlot slot = ReasonSlot::none;
    std::unique_ptr<Expression> expression;
    std::optional<std::string> fallback;  // for an absent (or failed) value
  };
  std::vector<Piece> pieces;
  std::size_t literal_size = 0;  // sum of the literals, to reserve before rendering
  // Appends the rendered text to `out`.
  void render_into(const ClientState& state, const ReasonValues& values, std::string& out) const;
};

// A literal number or an expression (rounded, clamped to [min, max]).
struct NumberAction {
  std::optional<int> literal;
  std::unique_ptr<Expression> expression;
  int min = 1;
  int max = 10;
};

enum class RuleFamily : std::uint8_t {
  stage_advance,
  stage_hold,
  stage_regress,
  pressure_caps,
  frequency_step_down,
  frequency_step_up,
  flare_response,
  healing_response,
  general
};
const char* to_string(RuleFamily family) noexcept;

struct HomeProgramRequest {
  std::string id;
  Params parameters;               // the item's defaults with the rule's values
  std::vector<std::string> given;  // the keys the rule itself set
};

struct Rule {
  std::string id;
  RuleFamily family = RuleFamily::general;
  std::string source;  // "file:line"
  int priority = 0;
  Expression when;
  ReasonTemplate reason;

  // Actions (pressure_caps, flare_response, general).
  std::optional<NumberAction> cap;
  std::optional<NumberAction> duration_minutes;
  std::optional<NumberAction> postpone_days;
  std::vector<std::string> hold_techniques;
  std::optional<std::vector<std::string>> only_techniques;
  bool only_flare_safe = false;
  // `red_flag: true`: a red flag on any day it fires (CONTRACT.md "Safety
  // floors"): nothing escalates that day.
  bool red_flag = false;
  std::vector<std::string> add_techniques;
  std::string refer;
  std::string check_in;
  std::string note;
  std::vector<HomeProgramRequest> home_program;
  // healing_response only: indices into ProtocolModel::rules.
  std::vector<std::size_t> suppresses;

  // True if some action restricts (applied conservatively when the
  // condition fails to evaluate); stage/frequency rules decide by family.
  bool restricts() const noexcept;
};

struct ConfiguredTechnique;

struct StageTechnique {
  std::shared_ptr<const TechniqueEntry> entry;
  Params config;  // protocol-level config merged with stage overrides
  const ConfiguredTechnique* configured = nullptr;  // in ProtocolModel::techniques (set at load)
};

// A technique a stage has that the stage before it does not: what advancing
// into the stage reports as technique_added (the reason precomputed).
struct IntroducedTechnique {
  const TechniqueEntry* entry = nullptr;
  std::string reason;  // "<display name> is introduced in stage '<id>'"
};

// A rule's condition as SessionPlan::for_each_firing calls it: a family's
// rules side by side (no index into the rule table, 464 bytes a rule, per
// call: fascia::decide 4,584 -> 4,477 instructions, callgrind).
struct RuleTest {
  expr::ProgramTest test;
  const CompiledProgram* program;
  std::size_t index;  // into ProtocolModel::rules
};

struct Stage {
  std::string id;
  std::string title;
  std::string source;  // "file:line"
  SourceLocation location;
  std::vector<StageTechnique> techniques;
  int pressure_max = 10;
  std::string pressure_max_source;
  std::optional<int> duration_minutes;
  std::vector<std::size_t> advance, hold, regress;                 // indices into rules
  std::vector<RuleTest> advance_tests, hold_tests, regress_tests;  // the same (compiled)
  // Precomputed at load: the implicit cap adjustment and advancing into the stage.
  std::string pressure_max_rule;                // "stages.<id>.pressure_max"
  std::string pressure_max_reason;              // "Stage '<id>' allows pressure up to N"
  std::vector<IntroducedTechnique> introduced;  // empty for the first stage
  // The rules a decision in this stage evaluates: its rules and every
  // family's (each step evaluates all of its rules); the trace's.
  std::vector<std::uint64_t> evaluated;
};

struct FrequencyStep {
  std::string id;
  std::string title;
  int interval_days = 7;
};

struct PluginRequirement {
  std::string name;
  std::string constraint;
  std::shared_ptr<const PluginRecord> plugin;
};

// Binds a plugin expression function to its technique's configuration.
struct PluginFunctionBinding {
  const PluginFunction* function = nullptr;
  std::shared_ptr<const TechniqueEntry> entry;  // keeps the function's code loaded
  const Params* config = nullptr;
  std::string qualified_name;
};

struct ConfiguredTechnique {
  std::shared_ptr<const TechniqueEntry> entry;
  Params config;  // protocol-level config with defaults filled in
  // Precomputed at load so evaluation does not build them each time.
  std::string source;               // "plugin NAME VERSION"
  std::string max_pressure_rule;    // "<id>.max_pressure"
  std::string max_pressure_reason;  // "<display name> is never done above pressure N"
};

// A number no other protocol model of this process gets.
std::uint64_t next_model_serial() noexcept;

struct ProtocolModel {
  // Not copyable: home_techniques, the RuleTest lists and the plugin memo's
  // keys point into its own vectors, which a copy would still point into
  // (a move keeps them: the vectors' elements stay where they are).
  ProtocolModel() = default;
  ProtocolModel(const ProtocolModel&) = delete;
  ProtocolModel& operator=(const ProtocolModel&) = delete;
  ProtocolModel(ProtocolModel&&) = default;
  ProtocolModel& operator=(ProtocolModel&&) = default;

  // Its configurations never change while it is loaded: the plugin memo
  // keys them by this serial and their address (an address can be reused).
  std::uint64_t serial = next_model_serial();
  std::string file;
  std::string id;
  std::string version;
  std::string title;
  std::string description;
  std::string sha256;
  std::vector<std::string> conditions;
  std::vector<PluginRequirement> plugins;
  std::vector<ObservationDecl> observations;
  // Every technique the protocol uses (stages, rules, configuration).
  std::vector<ConfiguredTechnique> techniques;
  std::vector<const ConfiguredTechnique*> home_techniques;  // kind home, in order (compiled)
  int session_duration = 60;
  std::vector<Stage> stages;
  std::vector<FrequencyStep> ladder;
  std::size_t start_frequency = 0;
  std::vector<Rule> rules;  // in file order; never resized after load
  std::vector<std::shared_ptr<const TraceRule>> trace_rules;  // one per rule, in the same order
  std::vector<std::size_t> caps, flare, general, healing, step_down, step_up;
  std::vector<std::size_t> action_rules;  // caps, flare, general, in that order (compiled)
  std::vector<RuleTest> action_tests, step_down_tests, step_up_tests, healing_tests;  // (compiled)
  std::vector<LintIgnore> lint_ignore;  // `lint: {ignore: ...}`
  // `handout:` (fascia handout's "When to call us"); empty = the default text.
  std::vector<std::string> handout_when_to_call;
  std::string handout_urgent;
  Limits limits;

  // Expressions point into these: they must outlive every Expression.
  std::unique_ptr<Catalog> catalog;
  std::vector<std::unique_ptr<PluginFunctionBinding>> function_bindings;

  const ConfiguredTechnique* technique(std::string_view technique_id) const noexcept {
    for (const auto& t : techniques)
      if (t.entry->info.id == technique_id) return &t;
    return nullptr;
  }
  std::size_t stage_index(std::string_view stage_id) const noexcept {
    for (std::size_t i = 0; i < stages.size(); ++i)
      if (same_text(stages[i].id, stage_id)) return i;
    return stages.size();
  }
  std::size_t frequency_index(std::string_view frequency_id) const noexcept {
    for (std::size_t i = 0; i < ladder.size(); ++i)
      if (same_text(ladder[i].id, frequency_id)) return i;
    return ladder.size();
  }
};

}  // namespace fascia::detail
