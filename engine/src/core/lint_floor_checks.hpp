#pragma once
// The safety-floor part of the protocol lint: places where a protocol's own
// rules would break a floor of CONTRACT.md ("Safety floors") in some client
// state, found by exploring generated states. The engine applies the floor
// anyway; the warning tells the author the protocol says otherwise. Every
// such warning has DiagnosticCode::safety_floor (`fascia validate --strict`
// makes them errors) and a message starting with floor_warning_prefix.

#include "core/lint_locations.hpp"
#include "core/lint_state_sampler.hpp"
#include "core/protocol_model.hpp"

#include <fascia/diagnostic.hpp>

#include <string_view>

namespace fascia::detail {

inline constexpr std::string_view floor_warning_prefix = "safety floor: ";

void check_safety_floors(const ProtocolModel& model, const StateSampler& sampler,
                         const LintLocations& where, Diagnostics& out);

}  // namespace fascia::detail
