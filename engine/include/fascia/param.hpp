#pragma once
// A small JSON-like scalar used for technique parameters, technique
// configuration and adjustment values.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fascia {

using ParamValue =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<std::string>>;

// Ordered name -> value pairs: the order is kept in the JSON output so that
// identical input gives byte-identical output.
struct Param {
  std::string name;
  ParamValue value;
  bool operator==(const Param&) const = default;
};
using Params = std::vector<Param>;

inline const ParamValue* find_param(const Params& params, std::string_view name) noexcept {
  for (const auto& p : params)
    if (p.name == name) return &p.value;
  return nullptr;
}

// Sets (or replaces) a parameter, keeping the position of an existing one.
inline void set_param(Params& params, std::string name, ParamValue value) {
  for (auto& p : params)
    if (p.name == name) {
      p.value = std::move(value);
      return;
    }
  params.push_back({std::move(name), std::move(value)});
}

}  // namespace fascia
