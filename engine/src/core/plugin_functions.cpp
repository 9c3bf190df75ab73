#include "core/plugin_functions.hpp"

#include <cmath>
#include <new>

namespace fascia::detail {

namespace {

Type to_expr_type(FunctionType t) {
  switch (t) {
    case FunctionType::boolean:
      return Type::boolean;
    case FunctionType::number:
      return Type::number;
    case FunctionType::string:
      return Type::string;
  }
  return Type::boolean;
}

// The expression-language face of a plugin function: converts values,
// calls through the never-throwing boundary wrapper.
Value call_plugin_function(const ClientState& state, const void* user, const Value* args,
                           std::size_t count) {
  const auto& binding = *static_cast<const PluginFunctionBinding*>(user);
  if (count > 8) return Value::make_error();
  for (std::size_t i = 0; i < count; ++i) {
    switch (args[i].kind) {
      case Value::Kind::boolean:
      case Value::Kind::number:
      case Value::Kind::string:
        break;
      case Value::Kind::error:
        return Value::make_error();
      default:
        return Value::make_missing();
    }
  }
  // Constructs only the `count` arguments passed (most functions take none).
  union Arguments {
    Arguments() noexcept {}
    ~Arguments() {}
    FunctionValue values[8];
  } converted;
  std::size_t constructed = 0;
  struct Destroy {
    FunctionValue* values;
    const std::size_t& count;
    ~Destroy() {
      for (std::size_t i = 0; i < count; ++i) values[i].~FunctionValue();
    }
  } destroy{converted.values, constructed};
  for (; constructed < count; ++constructed) {
    const Value& arg = args[constructed];
    FunctionValue* slot = &converted.values[constructed];
    switch (arg.kind) {
      case Value::Kind::boolean:
        new (slot) FunctionValue(arg.boolean);
        break;
      case Value::Kind::number:
        new (slot) FunctionValue(arg.number);
        break;
      default:
        new (slot) FunctionValue(std::in_place_type<std::string>, arg.string);
        break;
    }
  }
  bool failed = false;
  std::string error;
  FunctionValue result = call_function(*binding.function, state, *binding.config, converted.values,
                                       count, failed, error);
  if (failed) return Value::make_error();
  if (const bool* b = std::get_if<bool>(&result)) return Value::make_bool(*b);
  if (const double* d = std::get_if<double>(&result))
    return std::isfinite(*d) ? Value::make_number(*d) : Value::make_error();
  // Strings returned by plugins would need storage that outlives the call;
  // plugin functions returning strings are compared immediately, so keep
  // them in a thread-local slot.
  if (const std::string* s = std::get_if<std::string>(&result)) {
    thread_local std::string slot;
    slot = *s;
    return Value::make_string(slot);
  }
  return Value::make_missing();
}

}  // namespace

void add_plugin_functions(ProtocolModel& model) {
  for (const auto& technique : model.techniques) {
    for (const auto& function : technique.entry->functions) {
      auto binding = std::make_unique<PluginFunctionBinding>();
      binding->function = &function;
      binding->entry = technique.entry;
      binding->config = &technique.config;
      binding->qualified_name = technique.entry->info.id + "." + function.name;
      FunctionInfo info;
      info.name = binding->qualified_name;
      for (auto p : function.parameters) info.parameters.push_back(to_expr_type(p));
      info.result = to_expr_type(function.result);
      info.description = function.description;
      info.call = &call_plugin_function;
      info.user = binding.get();
      model.catalog->add_function(std::move(info));
      model.function_bindings.push_back(std::move(binding));
    }
  }
}

}  // namespace fascia::detail
