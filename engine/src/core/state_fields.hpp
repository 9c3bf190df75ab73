#pragma once
// Facts about client-state fields every state reader and check shares.

#include <cstdint>

namespace fascia::detail {

// The largest count (sessions, weeks, days, flares) a client state may hold.
inline constexpr std::int64_t max_state_count = 100'000;

}  // namespace fascia::detail
