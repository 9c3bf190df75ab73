// A test plugin built twice, as version 1.0.0 (max pressure 3) and 2.0.0
// (max pressure 4), into two folders: the hot-reload tests switch a plugin
// folder from one to the other under running evaluations.
#include <fascia/plugin.hpp>

#include <algorithm>
#include <memory>

namespace {

class Versioned final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_versioned";
    i.display_name = "Versioned (test)";
    i.default_pressure = 1;
    i.max_pressure = VERSIONED_PLUGIN_MAX_PRESSURE;
    i.flare_safe = true;
    return i;
  }
  void adjust(const fascia::TechniqueContext& context,
              fascia::TechniqueResult& result) const override {
    const int pressure = std::min(context.session.pressure_cap, VERSIONED_PLUGIN_MAX_PRESSURE);
    fascia::set_param(result.parameters, "pressure_max", static_cast<std::int64_t>(pressure));
  }
};

void register_versioned(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<Versioned>());
}

}  // namespace

FASCIA_PLUGIN("test_versioned", VERSIONED_PLUGIN_VERSION, register_versioned)
