#pragma once
// The simulated plan as a self-contained SVG chart a therapist can show a
// client: pressure cap and pain over time, flares marked, missed and
// postponed sessions, and strips for the stage and the session frequency.

#include "simulation.hpp"

#include <string>

namespace fascia::cli {

// With `compare` (a second run from the same state, e.g. `simulate
// --compare`), its pressure cap and pain are drawn over the first run in
// another colour and named in the header and the legend.
std::string timeline_svg(const documents::Simulation& simulation,
                         const documents::Simulation* compare = nullptr);

}  // namespace fascia::cli
