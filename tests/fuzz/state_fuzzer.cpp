// Fuzzes the client-state reader (YAML and strict JSON) through the public
// API: Protocol::parse_state against the bundled fibromyalgia protocol. A
// state that reads is evaluated and the safety invariants checked,
// including the stage ceilings read independently from the protocol file.
#include <fascia/engine.hpp>

#include "fuzz_check.hpp"
#include "recommendation_checks.hpp"

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace {

using namespace fascia;

constexpr const char* protocol_file = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";

struct Setup {
  Engine engine;
  std::shared_ptr<const Protocol> protocol;
  std::map<std::string, int> ceilings;
};

const Setup& setup() {
  static const Setup instance = [] {
    EngineOptions options;
    options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
    options.use_environment = false;
    options.use_default_dirs = false;
    Setup s{Engine(options), nullptr, {}};
    FASCIA_FUZZ_CHECK(!has_errors(s.engine.load_plugins()), "bundled plugins load");
    auto loaded = s.engine.load_protocol(protocol_file);
    FASCIA_FUZZ_CHECK(loaded.ok(), "the bundled protocol loads");
    s.protocol = loaded.value();
    // An oracle independent of the engine: the stage ceilings as written.
    for (const auto& stage : YAML::LoadFile(protocol_file)["stages"])
      s.ceilings[stage["id"].as<std::string>()] = stage["pressure_max"].as<int>();
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
  const Setup& s = setup();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = s.protocol->parse_state(text, "fuzz-state.yaml");
  for (const auto& d : parsed.diagnostics())
    FASCIA_FUZZ_CHECK(!d.message.empty(), "every diagnostic has a message");
  if (!parsed) {
    FASCIA_FUZZ_CHECK(has_errors(parsed.diagnostics()), "a refused state says why");
    return 0;
  }
  const ClientState& state = parsed.value();
  FASCIA_FUZZ_CHECK(!has_errors(s.protocol->check_state(state)), "a read state passes checks");
  auto result = s.protocol->evaluate(state);
  FASCIA_FUZZ_CHECK(result.ok(), "a read state evaluates");
  fuzz::check_recommendation(*s.protocol, state, result.value(), &s.ceilings);
  return 0;
}
