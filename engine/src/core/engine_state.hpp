#pragma once
// What an Engine owns: its options and the loaded technique plugins.

#include "plugin_host/plugin_host.hpp"

#include <fascia/engine.hpp>

namespace fascia::detail {

struct EngineState {
  EngineOptions options;
  PluginHost plugins;
};

}  // namespace fascia::detail
