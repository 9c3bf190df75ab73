#pragma once
// Semantic checks of a loaded protocol that no single YAML node shows: rules
// of one family whose conditions can hold together while their actions
// contradict, rules that never fire, stages and frequency steps nobody can
// reach. Conditions are decided by evaluating them over a deterministic
// sample of generated client states, so every finding is a warning: the
// author decides whether the sample found a real case.

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>

namespace fascia::detail {

// `document` is the protocol's YAML (for exact line:column locations); when
// null, locations fall back to the rules' recorded source lines.
Diagnostics lint_protocol(const ProtocolModel& model, const yaml::Document* document);

}  // namespace fascia::detail
