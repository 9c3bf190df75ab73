// A plugin built against fascia 0.1.0, plugin ABI 1 (before
// Technique::inputs()): the entry struct exactly as FASCIA_PLUGIN wrote it
// then. The host must refuse it from the first two fields, before calling
// anything, and say what changed.
#include <fascia/plugin.hpp>

namespace {
int never_called(void*, char*, std::size_t) noexcept { return 1; }
const fascia_plugin_info info{1u, "0.1.0", "test_abi1", "1.0.0", &never_called};
}  // namespace

extern "C" __attribute__((visibility("default"))) const fascia_plugin_info* fascia_plugin_entry(
    void) {
  return &info;
}
