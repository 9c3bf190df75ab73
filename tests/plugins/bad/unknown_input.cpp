// Technique::inputs() naming a client-state field and a configuration key
// that do not exist: refused at load, each with its own message.
#include <fascia/plugin.hpp>
#include <fascia/plugin_support.hpp>

namespace {

using namespace fascia;

class UnknownInput final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "test_unknown_input";
    i.display_name = "Unknown input (test)";
    return i;
  }
  std::vector<ConfigField> config_schema() const override {
    return {plugins::integer_field("level", 1, 5, 3, "A level")};
  }
  TechniqueInputs inputs() const override {
    return {{"pain.curent", "flare.active", "last.sorenes_24h"}, {"levle"}};
  }
  void adjust(const TechniqueContext&, TechniqueResult&) const override {}
};

void register_unknown_input(TechniqueRegistry& registry) {
  registry.add(std::make_unique<UnknownInput>());
}

}  // namespace

FASCIA_PLUGIN("test_unknown_input", "1.0.0", register_unknown_input)
