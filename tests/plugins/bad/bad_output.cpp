// Techniques whose adjust() returns output a protocol rule could never
// carry: adjustment kinds reserved to the protocol with values out of range,
// a hold with an invalid rule id, a reserved rule id, a negative pressure.
#include <fascia/plugin.hpp>

#include <string>
#include <utility>

namespace {

enum class Misbehaviour { cap_999, postpone_365, bad_hold_id, reserved_rule, negative_pressure };

class BadOutput final : public fascia::Technique {
 public:
  BadOutput(std::string id, Misbehaviour what) : id_(std::move(id)), what_(what) {}
  fascia::TechniqueInfo info() const override {
    fascia::TechniqueInfo i;
    i.id = id_;
    i.display_name = "Bad output (" + id_ + ")";
    i.default_pressure = 3;
    i.max_pressure = 10;
    return i;
  }
  void adjust(const fascia::TechniqueContext&, fascia::TechniqueResult& result) const override {
    fascia::TechniqueAdjustment a;
    a.reason = "the plugin says so";
    switch (what_) {
      case Misbehaviour::cap_999:
        a.kind = fascia::AdjustmentKind::pressure_cap;
        a.value = std::int64_t{999};
        a.rule = "cap";
        result.adjustments.push_back(a);
        break;
      case Misbehaviour::postpone_365:
        a.kind = fascia::AdjustmentKind::postponed;
        a.value = std::int64_t{365};
        a.rule = "postpone";
        result.adjustments.push_back(a);
        break;
      case Misbehaviour::bad_hold_id:
        result.hold = true;
        result.hold_rule = "bad rule id!";
        result.hold_reason = "held for no good reason";
        break;
      case Misbehaviour::reserved_rule:
        a.rule = "pressure-clamped";
        result.adjustments.push_back(a);
        break;
      case Misbehaviour::negative_pressure:
        result.pressure_max = -3;
        break;
    }
  }

 private:
  std::string id_;
  Misbehaviour what_;
};

void register_bad_output(fascia::TechniqueRegistry& registry) {
  registry.add(std::make_unique<BadOutput>("test_emits_cap", Misbehaviour::cap_999));
  registry.add(std::make_unique<BadOutput>("test_emits_postpone", Misbehaviour::postpone_365));
  registry.add(std::make_unique<BadOutput>("test_bad_hold_id", Misbehaviour::bad_hold_id));
  registry.add(std::make_unique<BadOutput>("test_reserved_rule", Misbehaviour::reserved_rule));
  registry.add(
      std::make_unique<BadOutput>("test_negative_pressure", Misbehaviour::negative_pressure));
}

}  // namespace

FASCIA_PLUGIN("test_bad_output", "1.0.0", register_bad_output)
