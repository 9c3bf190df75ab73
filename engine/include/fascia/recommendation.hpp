#pragma once
// The recommended session (CONTRACT.md "Recommendation", format 1), with every
// adjustment and the reason for it, and an optional trace of every rule the
// engine considered.

#include <fascia/export.hpp>
#include <fascia/param.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fascia {

enum class AdjustmentKind : std::uint8_t {
  pressure_cap,
  technique_added,
  technique_held,
  stage_advanced,
  stage_held,
  stage_regressed,
  frequency_changed,
  duration_changed,
  postponed,
  referral,
  home_program,
  check_in,
  note,
  frequency_held,  // a frequency step-down not applied (CONTRACT.md "Safety floors")
};
FASCIA_API const char* to_string(AdjustmentKind kind) noexcept;

struct Adjustment {
  AdjustmentKind kind = AdjustmentKind::note;
  ParamValue value;    // the cap, the new stage, the days... or null
  std::string rule;    // stable rule id
  std::string reason;  // human text with the actual values filled in
  std::string source;  // "protocols/fibromyalgia.yaml:57"
};

struct PlannedTechnique {
  std::string id;
  std::string plugin;
  std::string plugin_version;
  Params parameters;  // always contains pressure_max <= pressure_cap
};

struct HeldTechnique {
  std::string id;
  std::string rule;
  std::string reason;
};

struct HomeProgramItem {
  std::string id;
  Params parameters;  // e.g. minutes_per_day
};

struct Referral {
  std::string to;  // e.g. "physician"
  std::string rule;
  std::string reason;
};

struct PlannedSession {
  std::string stage;
  std::vector<PlannedTechnique> techniques;
  int pressure_cap = 1;
  int duration_minutes = 0;
  std::string frequency;
  int next_session_in_days = 0;
  int postpone_days = 0;
  std::vector<HomeProgramItem> home_program;
  std::optional<Referral> referral;
};

// Where a decision came from: enough for an auditor to say which rules and
// which code produced it.
struct Provenance {
  std::string engine_name;
  std::string engine_version;
  std::string protocol_id;
  std::string protocol_version;
  std::string protocol_sha256;
  struct Plugin {
    std::string name;
    std::string version;
  };
  std::vector<Plugin> plugins;  // the plugins the protocol uses, by name
};

// What the trace shows of a rule that does not depend on the client: the
// protocol's own texts, built once when it is loaded and shared (never
// changed) by every trace entry of that rule, so that an evaluation with
// the trace copies none of them.
struct TraceRule {
  std::string id;
  std::string source;               // "protocols/fibromyalgia.yaml:57"
  std::string condition;            // the expression text
  std::vector<std::string> fields;  // the field paths the condition reads
};

// One rule the engine considered, for --explain.
struct TraceEntry {
  std::shared_ptr<const TraceRule> rule;  // set in every entry the engine writes
  enum class Outcome : std::uint8_t {
    fired,
    not_fired,
    unknown,
    error,
    suppressed
  } outcome = Outcome::not_fired;
  std::vector<std::string> values;  // what rule->fields[i] held, as text
  std::string detail;               // why unknown/error/suppressed
};
FASCIA_API const char* to_string(TraceEntry::Outcome outcome) noexcept;

struct Recommendation {
  int format = 1;
  Provenance provenance;
  std::string client_id;
  std::string as_of;  // YYYY-MM-DD
  PlannedSession session;
  std::vector<HeldTechnique> held_techniques;
  std::vector<Adjustment> adjustments;
  std::vector<std::string> warnings;
  // The ids of the protocol's rules that fired, in file order: every rule
  // that applies to the client's stage is evaluated, so this is exact with
  // or without the trace. A rule whose condition failed counts when it was
  // applied to be safe (a restricting rule); a healing response not applied
  // beside a flare does not.
  std::vector<std::string> fired;
  std::vector<TraceEntry> trace;  // filled only when EvaluateOptions::explain
};

// The contract's JSON document (one line, no trailing newline unless
// `pretty`). Deterministic: same recommendation, same bytes.
FASCIA_API std::string to_json(const Recommendation& recommendation, bool pretty = false);
// The same text appended to `out`: a loop that clears and reuses one string
// writes without allocating.
FASCIA_API void append_json(const Recommendation& recommendation, std::string& out,
                            bool pretty = false);

}  // namespace fascia
