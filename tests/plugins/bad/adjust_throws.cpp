// Techniques and functions that throw or return the wrong thing: the host's
// boundary wrappers must catch and report, never crash.
#include <fascia/plugin.hpp>
#include <limits>
#include <stdexcept>

namespace {

using namespace fascia;

FunctionValue fails(const ClientState&, const Params&, const FunctionValue*, std::size_t) {
  throw std::runtime_error("no history to look at");
}
FunctionValue wrong_type(const ClientState&, const Params&, const FunctionValue*, std::size_t) {
  return std::string("yes");
}
FunctionValue not_finite(const ClientState&, const Params&, const FunctionValue*, std::size_t) {
  return std::numeric_limits<double>::quiet_NaN();
}

class Throws final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "test_adjust_throws";
    i.display_name = "Throws (test)";
    return i;
  }
  std::vector<PluginFunction> functions() const override {
    return {{"fails", {}, FunctionType::boolean, "throws", &fails},
            {"wrong_type", {}, FunctionType::boolean, "returns a string", &wrong_type},
            {"not_finite", {}, FunctionType::number, "returns NaN", &not_finite}};
  }
  void adjust(const TechniqueContext&, TechniqueResult&) const override {
    throw std::runtime_error("lost track of the session");
  }
};

class ThrowsUnknown final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "test_adjust_throws_unknown";
    i.display_name = "Throws an int (test)";
    return i;
  }
  void adjust(const TechniqueContext&, TechniqueResult&) const override { throw 42; }
};

void register_throws(TechniqueRegistry& registry) {
  registry.add(std::make_unique<Throws>());
  registry.add(std::make_unique<ThrowsUnknown>());
}

}  // namespace

FASCIA_PLUGIN("test_adjust_throws", "1.0.0", register_throws)
