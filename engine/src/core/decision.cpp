// fascia::decide (fascia/decision.hpp): the planner's decisions without the
// reasons (session_planner.hpp).
#include <fascia/decision.hpp>

#include "common/guard.hpp"
#include "core/protocol_access.hpp"
#include "core/session_planner.hpp"
#include "core/state_checks.hpp"

namespace fascia {

bool decide(const Protocol& protocol, const ClientState& state, Decision& out,
            Diagnostics& diagnostics) {
  diagnostics.clear();
  const detail::ProtocolModel& model = detail::ProtocolAccess::model(protocol);
  return detail::guarded(
      "<engine>",
      [&] {
        auto problems = detail::check_client_state(model, state);
        if (has_errors(problems)) {
          diagnostics = std::move(problems);
          return false;
        }
        detail::decide_protocol(model, state, out);
        return true;
      },
      [&](Diagnostics problems) {
        diagnostics = std::move(problems);
        return false;
      });
}

}  // namespace fascia
