// The entry point exists but returns no information.
#include <fascia/plugin.hpp>

extern "C" __attribute__((visibility("default"))) const fascia_plugin_info* fascia_plugin_entry(
    void) {
  return nullptr;
}
