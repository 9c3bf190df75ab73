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
  std::string path;  // "pain.current", "observations.x"
  Type type = Type::number;
  std::vector<std::string> enum_values;  // non-empty: a string field with a closed set
  FieldGetter getter = nullptr;          // for every type except series
  std::uint32_t arg = 0;
  SeriesGetter series = nullptr;  // for Type::series
  std::string description;
};

// A function callable from expressions. Built-ins and plugin functions share
// this shape; plugin functions are wrapped so that an exception becomes
// Value::error and never escapes.
struct FunctionInfo {
  // How the arguments are checked. Plugin functions are always `fixed`.
  enum class Shape : std::uint8_t {
    fixed,           // `parameters` (and `variadic`/`min_args`) give the types
    field_presence,  // has(field): one field reference of any type; result boolean
    same_type,       // value_or(x, d): parameters.size() arguments of one type,
                     // which is also the result type (`parameters`/`result` unused)
  };

  std::string name;              // "min", "myofascial_release.healing_response"
  std::vector<Type> parameters;  // checked at compile time
  bool variadic = false;         // last parameter repeats (min, max)
  std::size_t min_args = 0;      // with variadic
  Type result = Type::number;
  std::string description;
  Shape shape = Shape::fixed;
  // Built-in implementations are in the expression library; plugin ones are
  // set by the engine. `state` is the client state under evaluation. The
  // arguments are passed as evaluated, missing and error values included: a
  // function decides how to propagate them (value_or needs to see missing).
  Value (*call)(const ClientState& state, const void* user, const Value* args,
                std::size_t count) = nullptr;
  const void* user = nullptr;  // passed to call (e.g. the plugin function)
  // History functions (parameters[0] == Type::series) are called through this
  // instead: the series argument arrives as its getter, `args` holds the
  // remaining arguments.
  Value (*series_call)(const ClientState& state, SeriesGetter series, const Value* args,
                       std::size_t count) = nullptr;
};

// True for the built-in value_or (not a replacement registered under its
// name): the compiler fuses `value_or(field, number)` into the field read.
bool is_builtin_value_or(const FunctionInfo& function) noexcept;

// Compiled expressions keep pointers to the catalog's entries: do not add to
// a catalog once expressions have been compiled against it, and keep it alive
// as long as they are (moving it is fine).
class Catalog {
 public:
  Catalog();  // with every built-in function registered

  // A field or function with the name of an existing one replaces it.
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
