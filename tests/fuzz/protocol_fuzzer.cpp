// Fuzzes the protocol loader through the public API: Engine::parse_protocol
// with the bundled plugins loaded from the fuzz build's plugin folder. Bad
// input must come back as located errors; a protocol that loads is then
// evaluated for a few client states and the safety invariants checked.
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "fuzz_check.hpp"
#include "recommendation_checks.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace fascia;

const Engine& engine() {
  static const Engine instance = [] {
    Engine e(test::bundled_plugins_only());
    auto problems = e.load_plugins();
    FASCIA_FUZZ_CHECK(!has_errors(problems), "bundled plugins load");
    FASCIA_FUZZ_CHECK(!e.plugins().empty(), "bundled plugins found");
    return e;
  }();
  return instance;
}

ClientState sample_state(const Protocol& p, int variant) {
  ClientState s;
  s.client_id = "FUZZ-1";
  s.condition = p.conditions().front();
  s.as_of = Date{2026, 11, 20};
  const auto stages = p.stage_ids();
  s.program.stage = stages[static_cast<std::size_t>(variant) % stages.size()];
  s.program.sessions_completed = variant * 7;
  s.program.weeks_in_program = variant * 9;
  s.pain = {variant % 2 ? 9.0 : 3.0, 4};
  s.sensitivity = variant % 3 == 0 ? Sensitivity::high : Sensitivity::moderate;
  s.pressure_tolerance = 1 + (variant * 4) % 10;
  s.flare.active = variant % 2 == 1;
  s.flare.severity = variant % 2 ? 8 : 0;
  s.flare.count_30d = variant;
  if (variant > 0) {
    HistoryEntry h;
    h.date = Date{2026, 11, 13};
    h.techniques = {"swedish"};
    h.pressure = 4;
    h.soreness_24h = 7;
    h.pain_before = 6;
    s.history.push_back(h);
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = engine().parse_protocol(text, "fuzz.yaml");
  for (const auto& d : loaded.diagnostics())
    FASCIA_FUZZ_CHECK(!d.message.empty(), "every diagnostic has a message");
  if (!loaded) {
    FASCIA_FUZZ_CHECK(has_errors(loaded.diagnostics()), "a refused protocol says why");
    return 0;
  }
  const Protocol& protocol = *loaded.value();
  FASCIA_FUZZ_CHECK(!protocol.conditions().empty(), "a loaded protocol covers a condition");
  FASCIA_FUZZ_CHECK(!protocol.stage_ids().empty(), "a loaded protocol has a stage");
  for (int variant = 0; variant < 3; ++variant) {
    const ClientState state = sample_state(protocol, variant);
    if (has_errors(protocol.check_state(state))) continue;  // e.g. a required observation
    auto result = protocol.evaluate(state);
    FASCIA_FUZZ_CHECK(result.ok(), "a checked state evaluates");
    fuzz::check_recommendation(protocol, state, result.value());
  }
  return 0;
}
