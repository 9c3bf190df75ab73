// A static constructor that throws while dlopen runs it: the host must
// refuse this file, naming it, and keep loading the others.
#include <fascia/plugin.hpp>
#include <stdexcept>

namespace {

struct ThrowsAtLoad {
  ThrowsAtLoad() { throw std::runtime_error("license server unreachable"); }
};
const ThrowsAtLoad throws_at_load;

class Never final : public fascia::Technique {
 public:
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = "test_static_ctor_throws";
    i.display_name = "Static constructor throws (test)";
    return i;
  }
  void adjust(const fascia::TechniqueContext&, fascia::TechniqueResult&) const override {}
};

void register_never(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<Never>());
}

}  // namespace

FASCIA_PLUGIN("test_static_ctor_throws", "1.0.0", register_never)
