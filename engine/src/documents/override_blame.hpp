#pragma once
// Which `--set PATH=VALUE` change (what-if) a problem of the changed client
// state is about, so that `fascia what-if` and fascia_what_if can name it
// (`--set flare.severity`, JSON path `$.flare.severity`).

#include <fascia/diagnostic.hpp>
#include <fascia/protocol.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace fascia::documents {

// A diagnostic about a --set PATH=VALUE itself (unknown path, bad value):
// a usage error rather than invalid input.
bool is_override_problem(const Diagnostic& diagnostic);

// The override a problem of an overridden state is about: the one whose
// value the problem is located in or whose path is among its fields
// (Diagnostic::fields); with a single override, that one. nullopt when it
// cannot tell. Never reads the message.
std::optional<std::size_t> override_behind(const Diagnostic& diagnostic,
                                           const std::vector<StateOverride>& overrides);

}  // namespace fascia::documents
