#pragma once
// The fast reader of JSON client states (batch lines, --state -, JSON
// files): reads the common form straight into a ClientState, without a
// document tree.

#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>

#include <string_view>

namespace fascia::detail {

// A JSON state in the common form (plain ASCII strings, every value valid).
// False when the text is anything else: read_client_state() then accepts
// or reports it; `out` is then unspecified. When true, `out` is what
// read_client_state() gives, with no diagnostics.
bool read_json_state_fast(std::string_view text, const ProtocolModel& model, ClientState& out);

}  // namespace fascia::detail
