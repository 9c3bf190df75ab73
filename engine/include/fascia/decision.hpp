#pragma once
// The plan a protocol decides for a client state, without its reasons: the
// same decisions as Protocol::evaluate() (rules, safety floors, technique
// plugins and their limits), but no reason, adjustment or trace is written,
// so it costs a fraction of an evaluation. For screening many states ("whose
// session is postponed?", "who is held at a lower cap?") or a dashboard;
// render a full Recommendation for the states a person will read.

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/export.hpp>
#include <fascia/protocol.hpp>

#include <string_view>
#include <vector>

namespace fascia {

// Views into the protocol (ids of its stages, frequencies, techniques and
// rules): valid while the protocol is loaded. Each member equals the
// Recommendation's field of the same name.
struct Decision {
  std::string_view stage;
  std::string_view frequency;
  int next_session_in_days = 0;
  int pressure_cap = 10;
  int duration_minutes = 60;
  int postpone_days = 0;
  std::vector<std::string_view> techniques;  // session.techniques[].id, in order
  std::vector<std::string_view> held;        // held_techniques[].id
  std::string_view referral;                 // session.referral->to; empty for none
  std::vector<std::string_view> fired;       // Recommendation::fired
};

// Writes the decision for `state` into `out` (its vectors keep their
// memory). Returns false when the state does not pass protocol.check_state(),
// with the problems in `diagnostics` (cleared first); `out` is then
// unspecified. Thread-safe like Protocol::evaluate().
FASCIA_API bool decide(const Protocol& protocol, const ClientState& state, Decision& out,
                       Diagnostics& diagnostics);

}  // namespace fascia
