#pragma once
// Checks of a ClientState built in code (ranges, stage/frequency ids,
// observations), and the observation layout compiled expressions expect.

#include "common/guard.hpp"
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

// Runs `run()` on a state that passes check_client_state, inside the
// engine's guard (the public entry points that take a ClientState:
// Protocol::evaluate_into and evaluate_json_into, fascia::decide,
// fascia::fired_rules): false with the diagnostics when the state is
// refused or the engine failed.
template <typename Run>
bool run_on_checked_state(const ProtocolModel& model, const ClientState& state,
                          Diagnostics& diagnostics, Run&& run) {
  diagnostics.clear();
  return guarded(
      "<engine>",
      [&] {
        auto problems = check_client_state(model, state);
        if (has_errors(problems)) {
          diagnostics = std::move(problems);
          return false;
        }
        run();
        return true;
      },
      [&](Diagnostics problems) {
        diagnostics = std::move(problems);
        return false;
      });
}

}  // namespace fascia::detail
