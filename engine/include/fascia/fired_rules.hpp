#pragma once
// Which rules fire for a client state, without the rest of the
// recommendation: Recommendation::fired (the same ids, in file order), from
// the same rule decisions as Protocol::evaluate(), but no plugin runs and no
// reason is written, so it costs a fraction of an evaluation. For screening
// many states ("which clients trip the referral rule?") or a dashboard.

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/export.hpp>
#include <fascia/protocol.hpp>

#include <string>
#include <vector>

namespace fascia {

// Writes the ids of the rules that fire into `out` (cleared first; a reused
// vector keeps its strings' memory). Returns false when the state does not
// pass protocol.check_state(), with the problems in `diagnostics` (cleared
// first); `out` is then unspecified. Thread-safe like Protocol::evaluate().
FASCIA_API bool fired_rules(const Protocol& protocol, const ClientState& state,
                            std::vector<std::string>& out, Diagnostics& diagnostics);

}  // namespace fascia
