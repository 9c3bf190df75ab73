#include "plugin_host/config_values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <variant>

namespace fascia::detail {

std::optional<double> as_number(const ParamValue& value) noexcept {
  if (auto i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (auto d = std::get_if<double>(&value)) return *d;
  return std::nullopt;
}

std::string number_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

std::string describe(const ParamValue& value) {
  constexpr std::size_t longest = 60;
  auto cut = [](const std::string& s) {
    return s.size() <= longest ? s : s.substr(0, longest) + "...";
  };
  struct Visitor {
    decltype(cut)& cut_text;
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return number_text(d); }
    std::string operator()(const std::string& s) const { return '"' + cut_text(s) + '"'; }
    std::string operator()(const std::vector<std::string>& list) const {
      std::string out = "[";
      for (std::size_t i = 0; i < list.size() && i < 10; ++i)
        out += (i ? ", " : "") + cut_text(list[i]);
      if (list.size() > 10) out += ", ...";
      return out + "]";
    }
  };
  return std::visit(Visitor{cut}, value);
}

const char* to_string(ConfigType type) noexcept {
  switch (type) {
    case ConfigType::integer:
      return "integer";
    case ConfigType::number:
      return "number";
    case ConfigType::boolean:
      return "boolean";
    case ConfigType::string:
      return "string";
    case ConfigType::enumeration:
      return "enumeration";
    case ConfigType::string_list:
      return "string list";
  }
  return "value";
}

namespace {

// The messages, out of the checks' way: built inline, they made a valid
// value cost check_value ~66 instructions and a call of the range check
// ~26 more; ~53 in all without them (fascia batch, callgrind).
[[gnu::cold, gnu::noinline]] std::string got(std::string_view what, const ParamValue& value) {
  return std::string(what) + ", got " + describe(value);
}
[[gnu::cold, gnu::noinline]] std::string out_of_range(const ConfigField& field, double d,
                                                      const ParamValue& value) {
  if (field.min && d < *field.min) return got("must be at least " + number_text(*field.min), value);
  return got("must be at most " + number_text(*field.max), value);
}

}  // namespace

std::optional<std::string> check_value(const ConfigField& field, const ParamValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return std::string("has no value");
  auto check_range = [&](double d) -> std::optional<std::string> {
    if ((field.min && d < *field.min) || (field.max && d > *field.max))
      return out_of_range(field, d, value);
    return std::nullopt;
  };
  switch (field.type) {
    case ConfigType::integer:
      if (!std::holds_alternative<std::int64_t>(value)) return got("must be an integer", value);
      return check_range(static_cast<double>(std::get<std::int64_t>(value)));
    case ConfigType::number: {
      auto d = as_number(value);
      if (!d) return got("must be a number", value);
      if (!std::isfinite(*d)) return got("must be a finite number", value);
      return check_range(*d);
    }
    case ConfigType::boolean:
      if (!std::holds_alternative<bool>(value)) return got("must be true or false", value);
      return std::nullopt;
    case ConfigType::string:
      if (!std::holds_alternative<std::string>(value)) return got("must be a string", value);
      return std::nullopt;
    case ConfigType::enumeration: {
      auto s = std::get_if<std::string>(&value);
      if (!s || std::find(field.allowed.begin(), field.allowed.end(), *s) == field.allowed.end())
        return got("must be one of " + join(field.allowed), value);
      return std::nullopt;
    }
    case ConfigType::string_list: {
      auto list = std::get_if<std::vector<std::string>>(&value);
      if (!list) return got("must be a list of strings", value);
      if (field.allowed.empty()) return std::nullopt;
      for (const auto& s : *list)
        if (std::find(field.allowed.begin(), field.allowed.end(), s) == field.allowed.end())
          return "may only contain " + join(field.allowed) + ", got \"" + s + '"';
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void fill_defaults(const std::vector<ConfigField>& schema, Params& params) {
  for (const auto& field : schema)
    if (!std::holds_alternative<std::monostate>(field.default_value) &&
        !find_param(params, field.name))
      params.push_back({field.name, field.default_value});
}

}  // namespace fascia::detail
