// A well-behaved test plugin: echoes the session cap as its pressure.
#include <fascia/plugin.hpp>

namespace {

class Echo final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_echo";
    i.display_name = "Echo (test)";
    i.default_pressure = 2;
    i.max_pressure = 9;
    i.flare_safe = true;
    return i;
  }
  void adjust(const fascia::TechniqueContext& context,
              fascia::TechniqueResult& result) const override {
    fascia::set_param(result.parameters, "pressure_max",
                      static_cast<std::int64_t>(context.session.pressure_cap));
  }
};

void register_good(fascia::TechniqueRegistry& registry) { registry.add(std::make_unique<Echo>()); }

}  // namespace

FASCIA_PLUGIN("test_good", "1.2.3", register_good)
