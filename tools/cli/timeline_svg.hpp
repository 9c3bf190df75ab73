#pragma once
// The simulated plan as a self-contained SVG chart a therapist can show a
// client: pressure cap and pain over time, flares marked, missed and
// postponed sessions, and strips for the stage and the session frequency.

#include "simulation.hpp"

#include <string>

namespace fascia::cli {

std::string timeline_svg(const Simulation& simulation);

}  // namespace fascia::cli
