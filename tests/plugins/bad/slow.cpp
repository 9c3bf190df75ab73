// A plugin whose technique takes 3 seconds to adjust a session (a blocking
// call to a slow service, say): fascia serve must answer such a request 503
// at its deadline instead of waiting (tests/serve/serve_test.py).
#include <fascia/plugin.hpp>

#include <chrono>
#include <thread>

namespace {

class Slow final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_slow";
    i.display_name = "Slow (test)";
    i.default_pressure = 2;
    i.max_pressure = 9;
    i.flare_safe = true;
    return i;
  }
  void adjust(const fascia::TechniqueContext&, fascia::TechniqueResult&) const override {
    std::this_thread::sleep_for(std::chrono::seconds(3));
  }
};

void register_slow(fascia::TechniqueRegistry& registry) { registry.add(std::make_unique<Slow>()); }

}  // namespace

FASCIA_PLUGIN("test_slow", "1.0.0", register_slow)
