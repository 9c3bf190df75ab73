// Nothing wrong: technique `test_sided` declares a required configuration
// key `side` (left/right) and a defaulted one `rounds`, for the tests that
// a protocol can supply a required key (issue 12).
#include <fascia/plugin.hpp>

namespace {

class Sided final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_sided";
    i.display_name = "Sided (test)";
    i.default_pressure = 2;
    i.max_pressure = 6;
    return i;
  }
  std::vector<fascia::ConfigField> config_schema() const override {
    fascia::ConfigField side;
    side.name = "side";
    side.type = fascia::ConfigType::enumeration;
    side.allowed = {"left", "right"};
    side.required = true;
    fascia::ConfigField rounds;
    rounds.name = "rounds";
    rounds.type = fascia::ConfigType::integer;
    rounds.min = 1;
    rounds.max = 5;
    rounds.default_value = std::int64_t{2};
    return {side, rounds};
  }
  // The configuration it was given, echoed as parameters for the tests.
  std::vector<fascia::ConfigField> parameter_schema() const override { return config_schema(); }
  void adjust(const fascia::TechniqueContext& context,
              fascia::TechniqueResult& result) const override {
    fascia::set_param(result.parameters, "pressure_max",
                      static_cast<std::int64_t>(context.session.pressure_cap));
    for (const char* key : {"side", "rounds"})
      if (const auto* value = fascia::find_param(context.config, key))
        fascia::set_param(result.parameters, key, *value);
  }
};

void register_sided(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<Sided>());
}

}  // namespace

FASCIA_PLUGIN("test_required_config", "1.0.0", register_sided)
