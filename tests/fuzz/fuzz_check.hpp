#pragma once
// Invariant checks for the fuzz targets: a violated one aborts, which
// libFuzzer reports as a crash and saves the input. Used by the replay
// executables of the normal test suite too, where an abort fails the test.

#include <fascia/engine.hpp>

#include <cstdio>
#include <cstdlib>

#define FASCIA_FUZZ_CHECK(cond, what)                                                         \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                   what, #cond);                                                              \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace fascia::fuzz {

// Only the bundled plugins of this build: no FASCIA_PLUGIN_PATH, no
// installed folders, so every target sees the same techniques.
inline EngineOptions bundled_plugins_only() {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  return options;
}

}  // namespace fascia::fuzz
