// Registers a technique id the bundled swedish plugin already provides.
#include <fascia/plugin.hpp>

namespace {

class FakeSwedish final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "swedish";
    i.display_name = "Another Swedish";
    return i;
  }
  void adjust(const fascia::TechniqueContext&, fascia::TechniqueResult&) const override {}
};

void register_duplicate(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<FakeSwedish>());
}

}  // namespace

FASCIA_PLUGIN("test_duplicate", "1.0.0", register_duplicate)
