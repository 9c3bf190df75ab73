#include "core/technique_config.hpp"

#include "common/did_you_mean.hpp"
#include "common/text.hpp"

#include <cmath>

namespace fascia::detail {

namespace {

std::vector<std::string> field_names(const std::vector<ConfigField>& schema) {
  std::vector<std::string> names;
  for (const auto& f : schema) names.push_back(f.name);
  return names;
}

std::optional<ParamValue> read_value(yaml::Reader& reader, const yaml::Node& node,
                                     const ConfigField& field, const std::string& what) {
  const double lo = field.min.value_or(-1e12);
  const double hi = field.max.value_or(1e12);
  switch (field.type) {
    case ConfigType::integer:
      if (auto v = reader.integer(node, what, static_cast<std::int64_t>(std::ceil(lo)),
                                  static_cast<std::int64_t>(std::floor(hi))))
        return ParamValue{*v};
      return std::nullopt;
    case ConfigType::number:
      if (auto v = reader.number(node, what, lo, hi)) return ParamValue{*v};
      return std::nullopt;
    case ConfigType::boolean:
      if (auto v = reader.boolean(node, what)) return ParamValue{*v};
      return std::nullopt;
    case ConfigType::string:
      if (auto v = reader.string(node, what)) return ParamValue{*v};
      return std::nullopt;
    case ConfigType::enumeration:
      if (auto v = reader.one_of(node, what, field.allowed)) return ParamValue{*v};
      return std::nullopt;
    case ConfigType::string_list: {
      auto list = reader.string_list(node, what);
      if (!list) return std::nullopt;
      if (!field.allowed.empty()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          if (!reader.one_of(node.items[i], what, field.allowed)) return std::nullopt;
        }
      }
      return ParamValue{*list};
    }
  }
  return std::nullopt;
}

}  // namespace

void read_technique_config(yaml::Reader& reader, const yaml::Node& node,
                           const std::vector<ConfigField>& schema, std::string_view technique,
                           Params& out) {
  if (!node.is_mapping()) {
    reader.error(node,
                 "configuration of technique '" + std::string(technique) + "' must be a mapping");
    return;
  }
  const auto names = field_names(schema);
  for (const auto& [key, value] : node.entries) {
    const ConfigField* field = nullptr;
    for (const auto& f : schema)
      if (f.name == key.value) field = &f;
    if (!field) {
      std::string message = "unknown configuration key '" + key.value + "' for technique '" +
                            std::string(technique) + "'";
      message +=
          names.empty() ? "; it takes no configuration" : "; expected one of: " + join(names);
      if (auto close = closest_match(key.value, names); !close.empty())
        message += " (did you mean '" + close + "'?)";
      reader.error(key, message);
      continue;
    }
    if (auto v = read_value(reader, value, *field, std::string(technique) + "." + key.value))
      set_param(out, field->name, std::move(*v));
  }
}

void complete_technique_config(yaml::Reader& reader, const yaml::Node& where,
                               const std::vector<ConfigField>& schema, std::string_view technique,
                               Params& params, const yaml::Node* given) {
  for (const auto& field : schema) {
    if (find_param(params, field.name)) continue;
    if (!std::holds_alternative<std::monostate>(field.default_value)) {
      params.push_back({field.name, field.default_value});
    } else if (field.required && !(given && given->find(field.name))) {
      reader.error(where, "technique '" + std::string(technique) +
                              "' requires configuration key '" + field.name + "'");
    }
  }
}

}  // namespace fascia::detail
