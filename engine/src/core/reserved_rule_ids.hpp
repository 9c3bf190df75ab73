#pragma once
// Rule ids of the forms the engine emits itself, which a protocol rule may
// not take (it would then appear as a second adjustment with that id):
//   client.<anything>            the client's own limits (client.pressure_tolerance)
//   stages.<stage>.pressure_max  a stage's pressure ceiling
//   <technique>.<anything>       a technique's plugin rules and the engine's
//                                own (<technique>.pressure-clamped,
//                                .max_pressure, .plugin-error, ...), for
//                                every technique loaded

#include <optional>
#include <string>
#include <string_view>

namespace fascia::detail {

class PluginHost;

// The end of "rule id 'ID' ..." when `id` has a reserved form: "has the
// form FORM, which the engine reserves for its own adjustments; choose
// another id". nullopt when the id is free.
std::optional<std::string> reserved_rule_id_form(std::string_view id, const PluginHost& plugins);

}  // namespace fascia::detail
