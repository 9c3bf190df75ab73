#pragma once
// The client-state JSON Schema (schemas/client-state.schema.json, compiled
// in) specialised to one protocol: its conditions, stages and frequencies
// with titles, and its observations with types, ranges and descriptions (an
// undeclared observation is refused).

#include <fascia/protocol.hpp>

#include <nlohmann/json.hpp>

namespace fascia::documents {

nlohmann::ordered_json specialised_state_schema(const Protocol& protocol);

}  // namespace fascia::documents
