#pragma once
// Turns a protocol YAML document into a compiled ProtocolModel, reporting
// every problem found in one pass with its file:line:col.

#include "core/protocol_model.hpp"
#include "plugin_host/plugin_host.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>
#include <fascia/limits.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fascia::detail {

// Returns nullptr when `diagnostics` gained an error; warnings (e.g. a stage
// that can never be reached) may accompany a model.
std::shared_ptr<ProtocolModel> load_protocol_model(const yaml::Document& document,
                                                   const PluginHost& plugins,
                                                   const std::vector<std::string>& searched_dirs,
                                                   const Limits& limits, Diagnostics& diagnostics);

}  // namespace fascia::detail
