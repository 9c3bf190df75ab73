#pragma once
// Helpers for writing technique plugins (public, installed with
// fascia/plugin.hpp): reading configuration values with a fallback, and
// declaring schema fields in one line. The bundled plugins use them; an
// out-of-tree plugin includes <fascia/plugin_support.hpp> instead of
// copying them. The engine fills in declared defaults before calling a
// plugin; the fallbacks only matter when a plugin is called directly.

#include <fascia/plugin.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fascia::plugins {

inline std::int64_t config_int(const Params& config, std::string_view name, std::int64_t fallback) {
  const ParamValue* v = find_param(config, name);
  if (!v) return fallback;
  if (auto i = std::get_if<std::int64_t>(v)) return *i;
  if (auto d = std::get_if<double>(v); d && std::isfinite(*d)) return std::llround(*d);
  return fallback;
}

inline double config_number(const Params& config, std::string_view name, double fallback) {
  const ParamValue* v = find_param(config, name);
  if (!v) return fallback;
  if (auto i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
  if (auto d = std::get_if<double>(v); d && std::isfinite(*d)) return *d;
  return fallback;
}

inline bool config_bool(const Params& config, std::string_view name, bool fallback) {
  const ParamValue* v = find_param(config, name);
  if (auto b = v ? std::get_if<bool>(v) : nullptr) return *b;
  return fallback;
}

inline std::string config_string(const Params& config, std::string_view name,
                                 std::string fallback) {
  const ParamValue* v = find_param(config, name);
  if (auto s = v ? std::get_if<std::string>(v) : nullptr) return *s;
  return fallback;
}

inline std::vector<std::string> config_strings(const Params& config, std::string_view name,
                                               std::vector<std::string> fallback) {
  const ParamValue* v = find_param(config, name);
  if (auto s = v ? std::get_if<std::vector<std::string>>(v) : nullptr) return *s;
  return fallback;
}

// The configured value itself (no copy), or nullptr when absent or of
// another type: adjust() runs once per evaluation and should not allocate
// for reading its configuration.
inline const std::string* config_string_ref(const Params& config, std::string_view name) {
  const ParamValue* v = find_param(config, name);
  return v ? std::get_if<std::string>(v) : nullptr;
}

inline const std::vector<std::string>* config_strings_ref(const Params& config,
                                                          std::string_view name) {
  const ParamValue* v = find_param(config, name);
  return v ? std::get_if<std::vector<std::string>>(v) : nullptr;
}

// set_param() without the temporaries: the name is copied only when new.
template <class V>
void put_param(Params& params, std::string_view name, V&& value) {
  for (auto& p : params)
    if (p.name == name) {
      p.value = std::forward<V>(value);
      return;
    }
  // Built in place: a temporary Param would be copied in, moved and destroyed.
  Param& added = params.emplace_back();
  added.name.append(name.data(), name.size());  // into the new, empty name
  added.value = std::forward<V>(value);
}

inline bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// "4" for whole numbers, "4.5" otherwise: for reasons a therapist reads.
inline std::string number_text(double value) {
  char buf[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {  // what "%lld" would print
    const auto end = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value)).ptr;
    return std::string(buf, end);
  }
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

inline ConfigField integer_field(std::string name, double min, double max,
                                 std::optional<std::int64_t> default_value,
                                 std::string description) {
  ConfigField f;
  f.name = std::move(name);
  f.type = ConfigType::integer;
  f.min = min;
  f.max = max;
  if (default_value) f.default_value = *default_value;
  f.description = std::move(description);
  return f;
}

inline ConfigField number_field(std::string name, double min, double max,
                                std::optional<double> default_value, std::string description) {
  ConfigField f;
  f.name = std::move(name);
  f.type = ConfigType::number;
  f.min = min;
  f.max = max;
  if (default_value) f.default_value = *default_value;
  f.description = std::move(description);
  return f;
}

inline ConfigField boolean_field(std::string name, std::optional<bool> default_value,
                                 std::string description) {
  ConfigField f;
  f.name = std::move(name);
  f.type = ConfigType::boolean;
  if (default_value) f.default_value = *default_value;
  f.description = std::move(description);
  return f;
}

inline ConfigField enum_field(std::string name, std::vector<std::string> allowed,
                              std::optional<std::string> default_value, std::string description) {
  ConfigField f;
  f.name = std::move(name);
  f.type = ConfigType::enumeration;
  f.allowed = std::move(allowed);
  if (default_value) f.default_value = *default_value;
  f.description = std::move(description);
  return f;
}

// `allowed` empty: any strings.
inline ConfigField list_field(std::string name, std::vector<std::string> allowed,
                              std::optional<std::vector<std::string>> default_value,
                              std::string description) {
  ConfigField f;
  f.name = std::move(name);
  f.type = ConfigType::string_list;
  f.allowed = std::move(allowed);
  if (default_value) f.default_value = *default_value;
  f.description = std::move(description);
  return f;
}

inline ConfigField pressure_field(int max_pressure) {
  return integer_field("pressure_max", 1, max_pressure, std::nullopt,
                       "Pressure ceiling for this technique in this session (1-10, client-rated)");
}

// The cap the engine computed, within 1..max_pressure.
inline int pressure_today(const SessionDraft& session, int max_pressure) {
  return std::clamp(std::min(session.pressure_cap, max_pressure), 1, 10);
}

inline TechniqueAdjustment note(std::string rule, std::string reason,
                                AdjustmentKind kind = AdjustmentKind::note) {
  TechniqueAdjustment a;
  a.kind = kind;
  a.rule = std::move(rule);
  a.reason = std::move(reason);
  return a;
}

}  // namespace fascia::plugins
