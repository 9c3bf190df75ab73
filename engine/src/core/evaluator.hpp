#pragma once
// Evaluates a client state against a compiled protocol: the order of steps
// and how conflicts resolve are documented in docs/protocol-authoring.md
// ("How a recommendation is built").

#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>
#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

namespace fascia::detail {

// `state` must have passed check_client_state(). Never throws for problems
// in rules or plugins: they become conservative choices plus warnings.
Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options);
// The same into `out`, overwriting what it holds and reusing its memory
// (strings and vectors keep their capacity).
void evaluate_protocol_into(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, Recommendation& out);

}  // namespace fascia::detail
