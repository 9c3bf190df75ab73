// Ignores every cap: asks for pressure 15 on a technique limited to 5. It
// declares that it reads nothing, so its one result is memoised and read by
// every evaluation: the engine's clamp must not change it.
#include <fascia/plugin.hpp>

namespace {

class Greedy final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_pressure_above_cap";
    i.display_name = "Pressure above cap (test)";
    i.default_pressure = 3;
    i.max_pressure = 5;
    return i;
  }
  fascia::TechniqueInputs inputs() const override { return {}; }
  void adjust(const fascia::TechniqueContext&, fascia::TechniqueResult& result) const override {
    result.pressure_max = 15;
    fascia::set_param(result.parameters, "pressure_max", std::int64_t{15});
  }
};

void register_greedy(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<Greedy>());
}

}  // namespace

FASCIA_PLUGIN("test_pressure_above_cap", "1.0.0", register_greedy)
