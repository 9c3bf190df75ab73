#pragma once
// Reads a client state document (CONTRACT.md, format 1) into a ClientState,
// checking it against the protocol it will be evaluated with, and validates
// states built in code.

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/protocol.hpp>

#include <string_view>
#include <vector>

namespace fascia::detail {

// Problems with --set paths themselves (unknown path): usage errors.
Diagnostics check_override_paths(const ProtocolModel& model,
                                 const std::vector<StateOverride>& overrides);

// Applies `overrides` to a copy of the document, then reads it. Returns false
// after appending every problem to `diagnostics`.
bool read_client_state(const yaml::Document& document, const ProtocolModel& model,
                       const std::vector<StateOverride>& overrides, ClientState& out,
                       Diagnostics& diagnostics);

// A JSON state in the common form (plain ASCII strings, every value valid),
// read without a document (state_json.cpp). False when the text is anything
// else: read_client_state() then accepts or reports it; `out` is then
// unspecified. When true, `out` is what read_client_state() gives, with no
// diagnostics.
bool read_json_state_fast(std::string_view text, const ProtocolModel& model, ClientState& out);

// Range and id checks of a state built in code (locations name the field).
Diagnostics check_client_state(const ProtocolModel& model, const ClientState& state);

// Observations in the protocol's declaration order (absent ones as
// monostate), as the compiled expressions expect them. Returns false when
// `state` already has that layout (no copy needed).
bool normalize_observations(const ProtocolModel& model, const ClientState& state,
                            std::vector<Observation>& out);

}  // namespace fascia::detail
