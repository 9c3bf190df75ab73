#pragma once
// What an expression may refer to: the fields of the client state (fixed
// ones plus the protocol's declared observations) and the functions
// (built-ins plus those contributed by technique plugins). The engine builds
// one catalog per protocol; the compiler resolves every name against it at
// load so that evaluation never looks a name up.

#include "expr/value.hpp"

#include <fascia/client_state.hpp>
#include <fascia/param.hpp>
#include <fascia/plugin.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Reads one field from a client state. `arg` distinguishes fields that share
// a getter (e.g. the observation index). Strings returned must point into the
// state. Returns Value::missing when the optional field is absent.
using FieldGetter = Value (*)(const ClientState& state, std::uint32_t arg) noexcept;

// Reads one history field of one entry, for series functions (avg, trend...).
using SeriesGetter = Value (*)(const HistoryEntry& entry) noexcept;

struct FieldInfo {
  std::string path;                       // "pain.current", "observations.x"
  Type type = Type::number;
  std::vector<std::string> enum_values;   // non-empty: a string field with a closed set
  FieldGetter getter = nullptr;           // for every type except series
  std::uint32_t arg = 0;
  SeriesGetter series = nullptr;          // for Type::series
  std::string description;
};

// A function callable from expressions. Built-ins and plugin functions share
// this shape; plugin functions are wrapped so that an exception becomes
// Value::error and never escapes.
struct FunctionInfo {
  std::string name;                       // "min", "myofascial_release.healing_response"
  std::vector<Type> parameters;           // checked at compile time
  bool variadic = false;                  // last parameter repeats (min, max)
  std::size_t min_args = 0;               // with variadic
  Type result = Type::number;
  std::string description;
  // Built-in implementations are in the expression library; plugin ones are
  // set by the engine. `state` is the client state under evaluation.
  Value (*call)(const ClientState& state, const void* user, const Value* args,
                std::size_t count) = nullptr;
  const void* user = nullptr;             // passed to call (e.g. the plugin function)
};

class Catalog {
 public:
  Catalog();  // with every built-in function registered

  void add_field(FieldInfo field);
  void add_function(FunctionInfo function);

  const FieldInfo* find_field(std::string_view path) const noexcept;
  const FunctionInfo* find_function(std::string_view name) const noexcept;
  const std::vector<FieldInfo>& fields() const noexcept { return fields_; }
  const std::vector<FunctionInfo>& functions() const noexcept { return functions_; }

 private:
  std::vector<FieldInfo> fields_;
  std::vector<FunctionInfo> functions_;
};

}  // namespace fascia::detail
