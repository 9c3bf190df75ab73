// Fuzzes the client-state reader (YAML and strict JSON) through the public
// API: Protocol::parse_state against the bundled fibromyalgia protocol, with
// what-if overrides (`#set PATH=VALUE` lines at the top of the input). A
// state that reads is evaluated and the safety invariants checked,
// including the stage ceilings read independently from the protocol file.
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "fuzz_check.hpp"
#include "recommendation_checks.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
    Setup s{Engine(test::bundled_plugins_only()), nullptr, {}};
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

// Leading `#set PATH=VALUE` lines (YAML comments, so the rest still reads
// as the state) become what-if overrides, as `fascia what-if --set` passes.
static std::vector<StateOverride> overrides_of(std::string_view text) {
  std::vector<StateOverride> out;
  while (text.starts_with("#set ") && out.size() < 8) {
    const auto end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(5, end - 5);
    const auto eq = line.find('=');
    if (eq != std::string_view::npos)
      out.push_back({std::string(line.substr(0, eq)), std::string(line.substr(eq + 1))});
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Setup& s = setup();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = s.protocol->parse_state(text, "fuzz-state.yaml", overrides_of(text));
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
