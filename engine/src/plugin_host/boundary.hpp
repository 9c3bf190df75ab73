#pragma once
// The noexcept boundary: every call into plugin code during an evaluation
// goes through these wrappers. They catch everything the plugin throws and
// never throw themselves; the error text names the technique and plugin
// (never the library's path: it may reach a reason a therapist reads).

#include <fascia/plugin.hpp>

#include <cstddef>
#include <string>

namespace fascia::detail {

struct TechniqueEntry;

// The longest exception text taken from a plugin into a message.
inline constexpr std::size_t max_plugin_message = 300;

bool call_adjust(const TechniqueEntry& entry, const TechniqueContext& context,
                 TechniqueResult& result, std::string& error) noexcept;
// Checks the argument count and the type of the returned value (monostate
// means unknown and is always allowed; a non-finite number is a failure).
FunctionValue call_function(const PluginFunction& function, const ClientState& state,
                            const Params& config, const FunctionValue* args, std::size_t count,
                            bool& failed, std::string& error) noexcept;

// `text` cut to max_plugin_message characters (at a UTF-8 boundary), with
// "..." when cut.
std::string plugin_text(const char* text);

}  // namespace fascia::detail
