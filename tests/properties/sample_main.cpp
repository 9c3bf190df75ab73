// Prints recommendations for a sample of the generated states (the first
// seeds of every bundled protocol, with and without --explain), one JSON
// document per line, for validate_sample.py to check against
// schemas/recommendation.schema.json.
#include <fascia/engine.hpp>

#include "protocol_oracle.hpp"
#include "state_generator.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  using namespace fascia;
  namespace fs = std::filesystem;
  const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 40;
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  Engine engine(options);
  for (const auto& d : engine.load_plugins()) std::cerr << d.to_string() << "\n";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(FASCIA_SOURCE_DIR) / "protocols"))
    if (e.path().extension() == ".yaml" && !e.path().stem().string().ends_with(".test"))
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  int printed = 0;
  for (const auto& file : files) {
    auto protocol = engine.load_protocol(file);
    if (!protocol.ok()) {
      for (const auto& d : protocol.diagnostics()) std::cerr << d.to_string() << "\n";
      return 1;
    }
    const auto oracle = test::read_oracle(file);
    for (std::uint64_t seed = 1; seed <= count; ++seed) {
      EvaluateOptions options;
      options.explain = seed % 2 == 0;
      auto r = protocol.value()->evaluate(test::generate_state(oracle, seed), options);
      if (!r.ok()) {
        for (const auto& d : r.diagnostics()) std::cerr << d.to_string() << "\n";
        return 1;
      }
      std::cout << to_json(r.value()) << "\n";
      ++printed;
    }
  }
  std::cerr << "sampled " << printed << " recommendations from " << files.size() << " protocols\n";
  return printed ? 0 : 1;
}
