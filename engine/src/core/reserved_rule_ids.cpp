#include "core/reserved_rule_ids.hpp"

#include "plugin_host/plugin_host.hpp"

namespace fascia::detail {

namespace {

std::string reserved(const std::string& form) {
  return "has the form '" + form +
         "', which the engine reserves for its own adjustments; choose another id";
}

}  // namespace

std::optional<std::string> reserved_rule_id_form(std::string_view id, const PluginHost& plugins) {
  if (id.starts_with("client.")) return reserved("client.<field>");
  if (id.starts_with("stages.") && id.ends_with(".pressure_max") &&
      id.size() > std::string_view("stages..pressure_max").size())
    return reserved("stages.<stage>.pressure_max");
  const auto dot = id.find('.');
  if (dot != std::string_view::npos && dot > 0 && plugins.find_technique(id.substr(0, dot)))
    return reserved(std::string(id.substr(0, dot)) + ".<rule>") + " (the rules of technique '" +
           std::string(id.substr(0, dot)) + "' and its plugin)";
  return std::nullopt;
}

}  // namespace fascia::detail
