#pragma once
// Checks of a ClientState built in code (ranges, stage/frequency ids,
// observations), and the observation layout compiled expressions expect.

#include "common/guard.hpp"
#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace fascia::detail {

// What the checks of a valid state found that the evaluation would look up
// again: the index of its stage and frequency (the first stage and the
// start frequency when it leaves them empty), its observations in the
// protocol's order. `known` only when the usual checks took the state
// (fascia::decide 4,988 -> 4,879 instructions, evaluate_into 9,179 -> 9,070,
// callgrind).
struct StateLayout {
  bool known = false;
  std::size_t stage = 0;
  std::size_t frequency = 0;
};

// Range and id checks of a state built in code (locations name the field).
Diagnostics check_client_state(const ProtocolModel& model, const ClientState& state);
// True, with `layout` filled in, when check_client_state would find nothing:
// the usual state (observations in the protocol's order), told apart without
// building anything. False says only that the full checks must run.
bool plainly_valid(const ProtocolModel& model, const ClientState& state,
                   StateLayout& layout) noexcept;

// Observations in the protocol's declaration order (absent ones as
// monostate), as the compiled expressions expect them. Returns false when
// `state` already has that layout (no copy needed).
bool normalize_observations(const ProtocolModel& model, const ClientState& state,
                            std::vector<Observation>& out);

// Runs `run()` (or `run(layout)`) on a state that passes check_client_state,
// inside the engine's guard (the public entry points that take a ClientState:
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
        StateLayout layout;
        if (!plainly_valid(model, state, layout)) {
          auto problems = check_client_state(model, state);
          if (has_errors(problems)) {
            diagnostics = std::move(problems);
            return false;
          }
        }
        if constexpr (std::is_invocable_v<Run&, const StateLayout&>)
          run(std::as_const(layout));
        else
          run();
        return true;
      },
      [&](Diagnostics problems) {
        diagnostics = std::move(problems);
        return false;
      });
}

}  // namespace fascia::detail
