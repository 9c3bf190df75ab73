#pragma once
// Reads a client state document (CONTRACT.md, format 1) into a ClientState,
// checking it against the protocol it will be evaluated with, with located
// errors. `--set` overrides are applied to the document first
// (state_overrides.hpp).

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/protocol.hpp>

#include <vector>

namespace fascia::detail {

// Applies `overrides` to a copy of the document, then reads it. Returns false
// after appending every problem to `diagnostics`.
bool read_client_state(const yaml::Document& document, const ProtocolModel& model,
                       const std::vector<StateOverride>& overrides, ClientState& out,
                       Diagnostics& diagnostics);

}  // namespace fascia::detail
