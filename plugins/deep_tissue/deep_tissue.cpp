// Deep tissue: slow, focused pressure into deep layers. It can trigger
// flares in fibromyalgia, so it holds itself whenever the client is not
// ready, and always works with constant feedback.

#include <fascia/plugin.hpp>

#include <fascia/plugin_support.hpp>

namespace {

using namespace fascia;
using namespace fascia::plugins;

constexpr const char* technique_id = "deep_tissue";
constexpr int max_pressure = 8;

class DeepTissue final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = technique_id;
    i.display_name = "Deep tissue massage";
    i.kind = TechniqueKind::in_session;
    i.default_pressure = 5;
    i.max_pressure = max_pressure;
    i.flare_safe = false;
    i.contraindications = {
        "Not during a flare or for highly sensitive clients",
        "Only when the client tolerates the pressure; never push through pain",
        "After a medication change, confirm with the client's healthcare provider first"};
    i.description =
        "Slow, focused pressure into deep muscle and connective tissue, with constant "
        "feedback; can help chronic low back pain but can trigger flares in fibromyalgia.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    return {
        integer_field("min_tolerance", 1, 10, 6,
                      "Lowest client-rated pressure tolerance for deep work"),
        number_field("max_soreness", 0, 10, 6.0,
                     "Highest soreness the day after the last deep tissue session before deep "
                     "work is held"),
        boolean_field("hold_on_medication_change", true,
                      "Hold deep work when medications changed since the last session"),
        list_field("focus_areas", {}, std::vector<std::string>{},
                   "Body areas for deep work (free text, e.g. lower_back)"),
    };
  }

  std::vector<ConfigField> parameter_schema() const override {
    return {
        pressure_field(max_pressure),
        boolean_field("constant_feedback", std::nullopt,
                      "Ask for a pressure rating throughout and ease off at any pain"),
        enum_field("pace", {"slow"}, std::nullopt, "Deep work is always slow"),
        list_field("focus_areas", {}, std::nullopt, "Body areas for deep work"),
    };
  }

  // Everything adjust() reads: it is given only these, and runs once per
  // distinct value of them on each thread.
  TechniqueInputs inputs() const override {
    return {{"flare.active", "flare.severity", "sensitivity", "pressure_tolerance",
             "medications_changed", "last.techniques", "last.soreness_24h"},
            {"min_tolerance", "max_soreness", "hold_on_medication_change", "focus_areas"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    const ClientState& state = context.state;
    const Params& config = context.config;
    const std::int64_t min_tolerance = config_int(config, "min_tolerance", 6);
    const double max_soreness = config_number(config, "max_soreness", 6);
    const HistoryEntry* last = state.last();

    auto hold = [&](const char* rule, std::string reason) {
      result.hold = true;
      result.hold_rule = rule;
      result.hold_reason = std::move(reason);
    };
    // The first reason that applies is reported; any one is enough to hold.
    if (state.flare.active) {
      hold("flare", "Active flare (severity " + number_text(state.flare.severity) +
                        "): deep tissue work can make it worse");
    } else if (state.sensitivity == Sensitivity::high) {
      hold("high-sensitivity",
           "High touch sensitivity: deep pressure is likely to hurt and "
           "trigger a flare");
    } else if (state.pressure_tolerance < min_tolerance) {
      hold("low-tolerance", "Pressure tolerance " + std::to_string(state.pressure_tolerance) +
                                " is below the " + std::to_string(min_tolerance) +
                                " deep tissue work needs");
    } else if (state.medications_changed &&
               config_bool(config, "hold_on_medication_change", true)) {
      hold("medication-change",
           "Medications changed since the last session: confirm with the client's healthcare "
           "provider that deeper work is safe before continuing");
    } else if (last && contains(last->techniques, technique_id) && last->soreness_24h &&
               *last->soreness_24h > max_soreness) {
      hold("sore-after-last", "Soreness of " + number_text(*last->soreness_24h) +
                                  "/10 the day after the last deep tissue session is above " +
                                  number_text(max_soreness) + ": never push through pain");
    }
    if (result.hold) return;

    result.parameters.reserve(4);
    put_param(result.parameters, "pressure_max",
              static_cast<std::int64_t>(pressure_today(context.session, max_pressure)));
    put_param(result.parameters, "constant_feedback", true);
    put_param(result.parameters, "pace", std::string("slow"));
    const auto* focus = config_strings_ref(config, "focus_areas");
    if (focus && !focus->empty()) put_param(result.parameters, "focus_areas", *focus);
    result.adjustments.push_back(
        note("constant-feedback",
             "Deep tissue work: ask for a pressure rating throughout and ease off at any pain",
             AdjustmentKind::check_in));
  }
};

void register_deep_tissue(TechniqueRegistry& registry) {
  registry.add(std::make_unique<DeepTissue>());
}

}  // namespace

FASCIA_PLUGIN("deep_tissue", "1.0.0", register_deep_tissue)
