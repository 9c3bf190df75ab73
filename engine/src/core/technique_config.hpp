#pragma once
// Checks a technique configuration block against the keys its plugin
// declares (ConfigField), with located errors, and fills in defaults.

#include "yaml/reader.hpp"

#include <fascia/param.hpp>
#include <fascia/plugin.hpp>

#include <string_view>
#include <vector>

namespace fascia::detail {

// Reads `node` (a mapping) into `out`, on top of whatever `out` already
// holds (protocol-level values under a stage override).
void read_technique_config(yaml::Reader& reader, const yaml::Node& node,
                           const std::vector<ConfigField>& schema, std::string_view technique,
                           Params& out);

// Adds each declared default that `params` lacks, and reports required keys
// that are still missing (at `where`), except those `given` has (a value
// refused for its type or range: already reported).
void complete_technique_config(yaml::Reader& reader, const yaml::Node& where,
                               const std::vector<ConfigField>& schema, std::string_view technique,
                               Params& params, const yaml::Node* given = nullptr);

}  // namespace fascia::detail
