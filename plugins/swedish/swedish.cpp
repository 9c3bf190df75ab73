// Swedish massage: long flowing strokes for circulation and relaxation. The
// foundation of a chronic-pain program and the gentlest technique, so it is
// the one technique that stays available during a flare.

#include <fascia/plugin.hpp>

#include "common/support.hpp"

namespace {

using namespace fascia;
using namespace fascia::plugins;

constexpr int max_pressure = 10;
const std::vector<std::string> stroke_kinds = {"effleurage", "petrissage", "friction", "vibration",
                                               "tapotement"};

class Swedish final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "swedish";
    i.display_name = "Swedish massage";
    i.kind = TechniqueKind::in_session;
    i.default_pressure = 3;
    i.max_pressure = max_pressure;
    i.flare_safe = true;
    i.contraindications = {
        "Work around areas with acute inflammation, open wounds, recent injury or "
        "unexplained swelling"};
    i.description =
        "Long, flowing strokes (effleurage) that ease general tension and help circulation; "
        "the gentlest technique and the starting point for new clients and flares.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    return {
        enum_field("pace", {"slow", "moderate"}, "moderate",
                   "Stroke pace when the client is neither in a flare nor highly sensitive"),
        list_field("strokes", stroke_kinds, std::vector<std::string>{"effleurage", "petrissage"},
                   "Stroke kinds used outside flares; effleurage alone during a flare or for "
                   "high sensitivity"),
        list_field("focus_areas", {}, std::vector<std::string>{},
                   "Body areas to spend most of the session on (free text, e.g. neck, "
                   "lower_back)"),
    };
  }

  std::vector<ConfigField> parameter_schema() const override {
    return {
        pressure_field(max_pressure),
        enum_field("stroke_pace", {"slow", "moderate"}, std::nullopt, "Pace of the strokes"),
        list_field("strokes", stroke_kinds, std::nullopt, "Stroke kinds to use"),
        list_field("focus_areas", {}, std::nullopt, "Body areas to focus on"),
    };
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    const ClientState& state = context.state;
    std::string pace = config_string(context.config, "pace", "moderate");
    std::vector<std::string> strokes =
        config_strings(context.config, "strokes", {"effleurage", "petrissage"});
    if (strokes.empty()) strokes = {"effleurage"};

    // Central sensitization: in a flare or with high sensitivity even kneading
    // can hurt, so only slow gliding strokes remain.
    std::string why;
    if (state.flare.active)
      why = "Active flare (severity " + number_text(state.flare.severity) + ")";
    else if (state.sensitivity == Sensitivity::high)
      why = "High touch sensitivity";
    if (!why.empty()) {
      bool changed = pace != "slow" || strokes != std::vector<std::string>{"effleurage"};
      pace = "slow";
      strokes = {"effleurage"};
      if (changed)
        result.adjustments.push_back(
            note("gentle-strokes", why + ": Swedish work limited to slow effleurage"));
    }

    set_param(result.parameters, "pressure_max",
              static_cast<std::int64_t>(pressure_today(context.session, max_pressure)));
    set_param(result.parameters, "stroke_pace", pace);
    set_param(result.parameters, "strokes", strokes);
    auto focus = config_strings(context.config, "focus_areas", {});
    if (!focus.empty()) set_param(result.parameters, "focus_areas", focus);
  }
};

void register_swedish(TechniqueRegistry& registry) { registry.add(std::make_unique<Swedish>()); }

}  // namespace

FASCIA_PLUGIN("swedish", "1.0.0", register_swedish)
