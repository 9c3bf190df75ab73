#pragma once
// `--set PATH=VALUE` on a client state: the paths it accepts, and the
// document changed by them (each value is read as YAML, then the whole
// state is read as usual, so an override is checked like the file).

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>
#include <fascia/protocol.hpp>

#include <vector>

namespace fascia::detail {

// Problems with --set paths themselves (unknown path): usage errors.
Diagnostics check_override_paths(const ProtocolModel& model,
                                 const std::vector<StateOverride>& overrides);

// `changed` is `document` with `overrides` applied. False (after appending
// the usage errors) when a path is unknown; values that do not parse are
// reported and left out.
bool apply_overrides(const yaml::Document& document, const ProtocolModel& model,
                     const std::vector<StateOverride>& overrides, yaml::Document& changed,
                     Diagnostics& diagnostics);

}  // namespace fascia::detail
