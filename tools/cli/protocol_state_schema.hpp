#pragma once
// The client-state JSON Schema specialised to one protocol (its conditions,
// stages, frequencies and observations, with titles): printed by `fascia
// schema --protocol P` and served by `fascia serve` at
// GET /v1/protocols/{id}/state-schema (the what-if page builds its form
// from it).

#include <fascia/engine.hpp>

#include <nlohmann/json.hpp>

namespace fascia::cli {

nlohmann::ordered_json specialised_state_schema(const Protocol& protocol);

}  // namespace fascia::cli
