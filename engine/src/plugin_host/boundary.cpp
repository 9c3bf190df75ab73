#include "plugin_host/boundary.hpp"

#include <cmath>
#include <cstring>
#include <exception>
#include <variant>

#include "plugin_host/plugin_host.hpp"

namespace fascia::detail {

namespace {

const char* function_type_name(FunctionType type) {
  switch (type) {
    case FunctionType::boolean:
      return "a boolean";
    case FunctionType::number:
      return "a number";
    case FunctionType::string:
      return "a string";
  }
  return "a value";
}

const char* function_value_name(const FunctionValue& value) {
  switch (value.index()) {
    case 1:
      return "a boolean";
    case 2:
      return "a number";
    case 3:
      return "a string";
  }
  return "nothing";
}

bool matches(const FunctionValue& value, FunctionType type) {
  switch (type) {
    case FunctionType::boolean:
      return std::holds_alternative<bool>(value);
    case FunctionType::number:
      return std::holds_alternative<double>(value);
    case FunctionType::string:
      return std::holds_alternative<std::string>(value);
  }
  return false;
}

std::string plugin_label(const TechniqueEntry& entry) {
  std::string out = "technique '" + entry.info.id + "'";
  if (entry.plugin) {
    const auto& d = entry.plugin->description;
    out += " (plugin " + d.name + ' ' + d.version + ")";
  }
  return out;
}

}  // namespace

std::string plugin_text(const char* text) {
  if (!text) return "(no message)";
  std::string out(text, strnlen(text, max_plugin_message + 1));
  if (out.size() > max_plugin_message) {
    std::size_t cut = max_plugin_message;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

bool call_adjust(const TechniqueEntry& entry, const TechniqueContext& context,
                 TechniqueResult& result, std::string& error) noexcept {
  std::string what;
  try {
    try {
      entry.technique->adjust(context, result);
      return true;
    } catch (const std::exception& e) {
      what = plugin_text(e.what());
    } catch (...) {
      what = "unknown exception";
    }
    error = plugin_label(entry) + " failed: " + what;
  } catch (...) {
    // Out of memory while building the message: report what we can.
    try {
      error = "technique failed";
    } catch (...) {
    }
  }
  return false;
}

FunctionValue call_function(const PluginFunction& function, const ClientState& state,
                            const Params& config, const FunctionValue* args, std::size_t count,
                            bool& failed, std::string& error) noexcept {
  failed = true;
  try {
    // Built only for a message: a successful call allocates nothing.
    auto prefix = [&function] { return "function '" + function.name + "' "; };
    if (!function.call) {
      error = prefix() + "has no implementation";
      return {};
    }
    if (count != function.parameters.size()) {
      error = prefix() + "takes " + std::to_string(function.parameters.size()) +
              " argument(s), got " + std::to_string(count);
      return {};
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (!std::holds_alternative<std::monostate>(args[i]) &&
          !matches(args[i], function.parameters[i])) {
        error = prefix() + "argument " + std::to_string(i + 1) + " must be " +
                function_type_name(function.parameters[i]) + ", got " +
                function_value_name(args[i]);
        return {};
      }
    }
    // Constructs the result in place (no variant move-assignment per call).
    bool threw = false;
    FunctionValue value = [&]() -> FunctionValue {
      try {
        return function.call(state, config, args, count);
      } catch (const std::exception& e) {
        error = prefix() + "failed: " + plugin_text(e.what());
      } catch (...) {
        error = prefix() + "failed with an unknown exception";
      }
      threw = true;
      return {};
    }();
    if (threw) return {};
    if (std::holds_alternative<std::monostate>(value)) {
      failed = false;
      return value;
    }
    if (!matches(value, function.result)) {
      error = prefix() + "returned " + function_value_name(value) + ", declared to return " +
              function_type_name(function.result);
      return {};
    }
    if (auto d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
      error = prefix() + "returned a number that is not finite";
      return {};
    }
    failed = false;
    return value;
  } catch (...) {
    try {
      error = "plugin function failed";
    } catch (...) {
    }
    return {};
  }
}

}  // namespace fascia::detail
