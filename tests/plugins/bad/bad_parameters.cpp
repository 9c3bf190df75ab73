// Returns parameters outside its own declared schema.
#include <fascia/plugin.hpp>

namespace {

using namespace fascia;

class BadParameters final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "test_bad_parameters";
    i.display_name = "Bad parameters (test)";
    return i;
  }
  std::vector<ConfigField> parameter_schema() const override {
    ConfigField intensity;
    intensity.name = "intensity";
    intensity.type = ConfigType::enumeration;
    intensity.allowed = {"low", "medium"};
    ConfigField minutes;
    minutes.name = "minutes";
    minutes.type = ConfigType::integer;
    minutes.min = 1;
    minutes.max = 10;
    return {intensity, minutes};
  }
  std::vector<HomeProgramTemplate> home_program_templates() const override {
    return {{"test_stretch", "A test item", {}}};
  }
  void adjust(const TechniqueContext&, TechniqueResult& result) const override {
    set_param(result.parameters, "intensity", std::string("extreme"));
    set_param(result.parameters, "minutes", std::int64_t{30});
    set_param(result.parameters, "oil", std::string("lavender"));
    result.home_program.push_back({"mystery", {}});
  }
};

void register_bad(TechniqueRegistry& registry) { registry.add(std::make_unique<BadParameters>()); }

}  // namespace

FASCIA_PLUGIN("test_bad_parameters", "1.0.0", register_bad)
