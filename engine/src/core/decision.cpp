// fascia::decide (fascia/decision.hpp): the planner's decisions without the
// reasons (session_planner.hpp).
#include <fascia/decision.hpp>

#include "core/protocol_access.hpp"
#include "core/session_planner.hpp"
#include "core/state_checks.hpp"

namespace fascia {

bool decide(const Protocol& protocol, const ClientState& state, Decision& out,
            Diagnostics& diagnostics) {
  const detail::ProtocolModel& model = detail::ProtocolAccess::model(protocol);
  return detail::run_on_checked_state(model, state, diagnostics,
                                      [&](const detail::StateLayout& layout) {
                                        detail::decide_protocol(model, state, out, layout);
                                      });
}

}  // namespace fascia
