// Differential fuzzing of the fast JSON client-state reader
// (core/state_json_fast.cpp) against the located document path it short-cuts:
// whatever the fast reader accepts, the document path must accept with no
// diagnostics and read into the same state. A difference would make
// `fascia batch` and `fascia evaluate` disagree on one input. Seeds are JSON
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
  ClientState fast;
  if (!detail::read_json_state_fast(text, model, fast)) return 0;
  ClientState slow;
  FASCIA_FUZZ_CHECK(test::read_state_through_document(text, model, slow),
                    "the document path accepts what the fast reader accepts");
  FASCIA_FUZZ_CHECK(test::dump(fast) == test::dump(slow), "both readers read the same state");
  return 0;
}
