#pragma once
// Checks of a ClientState built in code (ranges, stage/frequency ids,
// observations), and the observation layout compiled expressions expect.

#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <vector>

namespace fascia::detail {

// Range and id checks of a state built in code (locations name the field).
Diagnostics check_client_state(const ProtocolModel& model, const ClientState& state);

// Observations in the protocol's declaration order (absent ones as
// monostate), as the compiled expressions expect them. Returns false when
// `state` already has that layout (no copy needed).
bool normalize_observations(const ProtocolModel& model, const ClientState& state,
                            std::vector<Observation>& out);

}  // namespace fascia::detail
