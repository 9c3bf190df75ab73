#pragma once
// The session planner: evaluates a client state against a compiled protocol
// into a recommended session. The order of steps and how conflicts resolve
// are documented in docs/protocol-authoring.md ("How a recommendation is
// built", "Safety floors"); the steps themselves are SessionPlan's
// (session_plan.hpp).

#include "core/protocol_model.hpp"
#include "core/state_checks.hpp"

#include <fascia/client_state.hpp>
#include <fascia/decision.hpp>
#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

namespace fascia::detail {

// `state` must have passed check_client_state(). Never throws for problems
// in rules or plugins: they become conservative choices plus warnings.
Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options);
// The same into `out`, overwriting what it holds and reusing its memory
// (strings and vectors keep their capacity). `layout`: what the checks found.
void evaluate_protocol_into(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, Recommendation& out,
                            const StateLayout* layout = nullptr);
// The same recommendation's JSON document (one line, as append_json writes
// it) appended to `out`, rendered from the decision record without a
// Recommendation.
void evaluate_protocol_json(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, std::string& out,
                            const StateLayout* layout = nullptr);

// Recommendation::fired alone into `out` (its strings keep their memory):
// the same rule decisions as evaluate_protocol, without plugins or reasons.
void fired_rules_of(const ProtocolModel& model, const ClientState& state,
                    std::vector<std::string>& out);

// The plan alone into `out` (fascia::decide): the same decisions as
// evaluate_protocol, no reason written. `layout`: what the checks found.
void decide_protocol(const ProtocolModel& model, const ClientState& state, Decision& out,
                     const StateLayout& layout);

// `program.sessions_in_stage` when the state leaves it out: never more than
// the history shows. Counted back from the newest history entry while the
// entries fit the stage (only techniques of the stage, and, after the first
// stage, one the stage brought in), at most `sessions_completed`.
int sessions_in_stage_from_history(const ProtocolModel& model, const ClientState& state);

}  // namespace fascia::detail
