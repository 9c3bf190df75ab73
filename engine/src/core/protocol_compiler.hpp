#pragma once
// The compile pass of loading a protocol, after the reading pass
// (protocol_reader.hpp): the expression catalog, `when` expressions, reason
// templates, computed numbers and `suppresses` links; then the checks and
// precomputed texts of a complete model.

#include "core/protocol_model.hpp"
#include "core/protocol_reader.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>

#include <vector>

namespace fascia::detail {

// Builds the model's catalog (client-state fields, plugin functions) and
// compiles every pending rule into it, reporting located errors.
void compile_protocol(const yaml::Document& document, const std::vector<PendingRule>& pending,
                      ProtocolModel& model, Diagnostics& diagnostics);

// Warnings about stages and frequency steps no client can ever reach.
void check_reachability(const yaml::Document& document, const ProtocolModel& model,
                        Diagnostics& diagnostics);

// Adjustment and trace texts that do not depend on the client state, built
// once here instead of in every evaluation. Runs on a complete model: pointers into
// model.techniques stay valid from now on.
void precompute_texts(ProtocolModel& model);

}  // namespace fascia::detail
