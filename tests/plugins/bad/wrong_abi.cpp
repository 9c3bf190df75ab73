// A plugin from a future fascia: the host must refuse it from the first two
// fields of the info struct, before calling anything.
#include <fascia/plugin.hpp>

namespace {
int never_called(void*, char*, std::size_t) noexcept { return 1; }
const fascia_plugin_info info{99u, "9.0.0", "test_wrong_abi", "1.0.0", &never_called};
}  // namespace

extern "C" __attribute__((visibility("default"))) const fascia_plugin_info* fascia_plugin_entry(
    void) {
  return &info;
}
