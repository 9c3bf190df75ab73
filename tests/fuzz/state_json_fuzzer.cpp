// Differential fuzzing of the JSON client-state reader
// (core/state_json_reader.hpp) against the tree reader of YAML states, over
// the JSON parser's tree: on any text, the same status, the same state and
// the same diagnostics byte for byte. A difference would make a JSON state
// and the same state in YAML read differently. Seeds are JSON
// states (tools/scripts/ci-stages/30-fuzz.sh).
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "fuzz_check.hpp"
#include "state_compare.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace {

using namespace fascia;

struct Setup {
  Engine engine;
  std::shared_ptr<const Protocol> protocol;
};

const Setup& setup() {
  static const Setup instance = [] {
    Setup s{Engine(test::bundled_plugins_only()), nullptr};
    FASCIA_FUZZ_CHECK(!has_errors(s.engine.load_plugins()), "bundled plugins load");
    auto loaded = s.engine.load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
    FASCIA_FUZZ_CHECK(loaded.ok(), "the bundled protocol loads");
    s.protocol = loaded.value();
    return s;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const detail::ProtocolModel& model = detail::ProtocolAccess::model(*setup().protocol);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string difference = test::compare_readers(text, model);
  FASCIA_FUZZ_CHECK(difference.empty(), "the JSON state reader and the tree reader agree");
  return 0;
}
