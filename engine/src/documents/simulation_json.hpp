#pragma once
// The JSON document of a simulation (`fascia simulate --json`), shared by
// the CLI and `fascia serve` (POST /v1/protocols/{id}/simulate).

#include "simulation.hpp"

#include <nlohmann/json.hpp>

namespace fascia::documents {

nlohmann::ordered_json simulation_json(const Simulation& sim);

}  // namespace fascia::documents
