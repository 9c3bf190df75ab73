// Evaluates a client state with a protocol through the C++ API, twice:
// typed (ClientState in, Recommendation out) and JSON in, JSON out. Then
// shows that bad input comes back as located diagnostics, not a crash.
//   fascia_embed_cpp [PROTOCOL [STATE]]
#include <fascia/engine.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

void print(const fascia::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << d.to_string() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  const std::string protocol_path = argc > 1 ? argv[1] : FASCIA_PROTOCOL_DIR "/fibromyalgia.yaml";
  const std::string state_path =
      argc > 2 ? argv[2] : FASCIA_PROTOCOL_DIR "/examples/fibromyalgia-client.json";

  // An engine holds the technique plugins: by default those installed
  // beside libfascia, plus FASCIA_PLUGIN_PATH.
  fascia::Engine engine;
  print(engine.load_plugins());

  // A loaded protocol is immutable and may be shared by any number of threads.
  auto loaded = engine.load_protocol(protocol_path);
  print(loaded.diagnostics());
  if (!loaded) return 1;
  const std::shared_ptr<const fascia::Protocol> protocol = loaded.value();

  // Typed: read the state, evaluate, look at the plan.
  auto state = protocol->load_state(state_path);
  if (!state) {
    print(state.diagnostics());
    return 1;
  }
  auto result = protocol->evaluate(state.value());
  if (!result) {
    print(result.diagnostics());
    return 1;
  }
  const fascia::Recommendation& r = result.value();
  std::cout << "stage " << r.session.stage << ", pressure cap " << r.session.pressure_cap << ", "
            << r.session.duration_minutes << " minutes, techniques:";
  for (const auto& t : r.session.techniques) std::cout << ' ' << t.id;
  std::cout << "\nprotocol " << r.provenance.protocol_id << ' ' << r.provenance.protocol_version
            << " sha256 " << r.provenance.protocol_sha256 << '\n';

  // JSON in, JSON out: the recommendation document of the CLI's --json.
  std::ifstream file(state_path);
  std::stringstream text;
  text << file.rdbuf();
  auto json = protocol->evaluate_json(text.str());
  if (!json) {
    print(json.diagnostics());
    return 1;
  }
  std::cout << json.value() << '\n';

  // Invalid input is a value with every problem and its location.
  auto bad = protocol->evaluate_json(R"({"client": {"id": "C-1", "condition": "fibromyalgia"},
    "as_of": "2026-11-20", "pain": {"current": 11, "baseline": 8},
    "sensitivity": "moderate", "pressure_tolerance": 5, "flare": {"active": false}})",
                                     {}, "bad-state.json");
  if (bad) return 1;
  print(bad.diagnostics());
  return 0;
}
