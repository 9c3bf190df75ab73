#pragma once
// Engine options for tests and fuzz targets: only the plugins of this build
// (build/lib/fascia/plugins), no FASCIA_PLUGIN_PATH and no installed
// folders, so every test sees the same techniques whatever the machine has.
// Needs FASCIA_PLUGIN_BUILD_DIR, which the test and fuzz targets define.

#include <fascia/engine.hpp>

namespace fascia::test {

inline EngineOptions bundled_plugins_only() {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  return options;
}

}  // namespace fascia::test
