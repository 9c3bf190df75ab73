// fascia plugins: what the loaded plugins offer a protocol author.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace fascia::cli {

namespace {

using Json = nlohmann::ordered_json;

const char* type_name(ConfigType t) {
  switch (t) {
    case ConfigType::integer:
      return "integer";
    case ConfigType::number:
      return "number";
    case ConfigType::boolean:
      return "boolean";
    case ConfigType::string:
      return "string";
    case ConfigType::enumeration:
      return "enum";
    case ConfigType::string_list:
      return "string list";
  }
  return "?";
}

const char* type_name(FunctionType t) {
  switch (t) {
    case FunctionType::boolean:
      return "boolean";
    case FunctionType::number:
      return "number";
    case FunctionType::string:
      return "string";
  }
  return "?";
}

Json param_json(const ParamValue& v) {
  return std::visit(
      [](const auto& x) -> Json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return Json();
        else
          return Json(x);
      },
      v);
}

Json fields_json(const std::vector<ConfigField>& fields) {
  Json out = Json::array();
  for (const auto& f : fields) {
    Json j = {{"name", f.name}, {"type", type_name(f.type)}};
    if (f.min) j["min"] = *f.min;
    if (f.max) j["max"] = *f.max;
    if (!f.allowed.empty()) j["allowed"] = f.allowed;
    j["required"] = f.required;
    j["default"] = param_json(f.default_value);
    j["description"] = f.description;
    out.push_back(std::move(j));
  }
  return out;
}

Json technique_json(const TechniqueDescription& t) {
  Json functions = Json::array();
  for (const auto& f : t.functions) {
    Json params = Json::array();
    for (auto p : f.parameters) params.push_back(type_name(p));
    functions.push_back({{"name", f.name},
                         {"parameters", params},
                         {"result", type_name(f.result)},
                         {"description", f.description}});
  }
  Json home = Json::array();
  for (const auto& h : t.home_program) {
    Json defaults = Json::object();
    for (const auto& p : h.defaults) defaults[p.name] = param_json(p.value);
    home.push_back({{"id", h.id}, {"description", h.description}, {"defaults", defaults}});
  }
  const auto& i = t.info;
  return {{"id", i.id},
          {"display_name", i.display_name},
          {"plugin", t.plugin},
          {"plugin_version", t.plugin_version},
          {"kind", i.kind == TechniqueKind::home ? "home" : "in_session"},
          {"flare_safe", i.flare_safe},
          {"default_pressure", i.default_pressure},
          {"max_pressure", i.max_pressure},
          {"description", i.description},
          {"contraindications", i.contraindications},
          {"config", fields_json(t.config)},
          {"parameters", fields_json(t.parameters)},
          {"functions", functions},
          {"home_program", home}};
}

std::string field_text(const ConfigField& f) {
  std::string out = type_name(f.type);
  if (f.min || f.max)
    out += " " + (f.min ? format_param(*f.min) : std::string()) + "-" +
           (f.max ? format_param(*f.max) : std::string());
  if (!f.allowed.empty()) {
    std::string allowed;
    for (const auto& a : f.allowed) allowed += (allowed.empty() ? "" : ", ") + a;
    out += " (one of: " + allowed + ")";
  }
  if (f.required) out += ", required";
  if (!std::holds_alternative<std::monostate>(f.default_value)) {
    const std::string d = format_param(f.default_value);
    out += ", default " + (d.empty() ? std::string("[]") : d);
  }
  return out;
}

std::string render_technique(const TechniqueDescription& t, const Style& st) {
  const auto& i = t.info;
  std::string out = "  " + st.bold(i.id) + " - " + i.display_name + "  " +
                    st.dim("(plugin " + t.plugin + " " + t.plugin_version + ")") + "\n";
  if (i.kind == TechniqueKind::home) {
    out += "    home program (between sessions); " +
           std::string(i.flare_safe ? "flare-safe" : "not flare-safe") + "\n";
  } else {
    out += "    in session; pressure default " + std::to_string(i.default_pressure) + ", max " +
           std::to_string(i.max_pressure) + "; " +
           (i.flare_safe ? st.good("flare-safe") : st.warn("not flare-safe")) + "\n";
  }
  if (!i.description.empty()) out += "    " + wrap(i.description, 4) + "\n";
  for (const auto& c : i.contraindications) out += "    caution: " + wrap(c, 13) + "\n";
  if (!t.config.empty()) {
    out += "    configuration (techniques: " + i.id + ":)\n";
    std::size_t width = 0;
    for (const auto& f : t.config) width = std::max(width, f.name.size() + 2);
    for (const auto& f : t.config) {
      std::string name = f.name;
      name.resize(width, ' ');
      out += "      " + name + wrap(field_text(f), 6 + width) + "\n";
      if (!f.description.empty())
        out += std::string(6 + width, ' ') + wrap(f.description, 6 + width) + "\n";
    }
  }
  if (!t.parameters.empty()) {
    std::string params;
    for (const auto& p : t.parameters) params += (params.empty() ? "" : ", ") + p.name;
    out += "    parameters: " + wrap(params, 16) + "\n";
  }
  for (const auto& f : t.functions) {
    std::string args;
    for (auto p : f.parameters) args += (args.empty() ? "" : ", ") + std::string(type_name(p));
    out += "    function " + f.name + "(" + args + ") -> " + type_name(f.result) + "\n";
    if (!f.description.empty()) out += "      " + wrap(f.description, 6) + "\n";
  }
  for (const auto& h : t.home_program) {
    HomeProgramItem item{h.id, h.defaults};
    out += "    home-program item " + describe_home_item(item) + "\n";
    if (!h.description.empty()) out += "      " + wrap(h.description, 6) + "\n";
  }
  return out;
}

}  // namespace

Command add_plugins_command(CLI::App& app, CommonOptions& common) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "plugins", "List the technique plugins found and what each technique offers");
  cmd->footer(
      "For each technique: display name, flare safety, default and maximum pressure,\n"
      "configuration keys (type, range, default), parameters, expression functions and\n"
      "home-program items.\n\n"
      "Example:\n  fascia plugins\n  fascia plugins --plugin-dir ./my-plugins --json");
  cmd->add_flag("--json", *json, "Print one JSON document");
  add_common_options(*cmd, common);
  return {cmd, [json, &common]() -> int {
            Engine engine = make_engine(common, /*plugin_problems_are_errors=*/true);
            const auto plugins = engine.plugins();
            const auto techniques = engine.techniques();
            if (*json) {
              Json out = Json::array();
              for (const auto& p : plugins)
                out.push_back({{"file", p.file},
                               {"name", p.name},
                               {"version", p.version},
                               {"abi", p.abi_version},
                               {"built_against", p.built_against},
                               {"techniques", p.techniques}});
              Json details = Json::array();
              for (const auto& t : techniques) details.push_back(technique_json(t));
              std::cout << Json{{"search_path", engine.plugin_search_path()},
                                {"plugins", out},
                                {"techniques", details}}
                               .dump()
                        << '\n';
              return exit_ok;
            }
            const Style st{stdout_is_terminal()};
            std::cout << st.bold("Plugin folders searched") << '\n';
            for (const auto& d : engine.plugin_search_path()) std::cout << "  " << d << '\n';
            std::cout << '\n' << st.bold(std::to_string(plugins.size()) + " plugins") << '\n';
            for (const auto& p : plugins)
              std::cout << "  " << p.name << " " << p.version << "  (ABI " << p.abi_version << ")  "
                        << st.dim(p.file) << '\n';
            std::cout << '\n' << st.bold(std::to_string(techniques.size()) + " techniques") << '\n';
            for (std::size_t k = 0; k < techniques.size(); ++k)
              std::cout << (k ? "\n" : "") << render_technique(techniques[k], st);
            return exit_ok;
          }};
}

}  // namespace fascia::cli
