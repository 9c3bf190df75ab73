// Swedish massage: long flowing strokes for circulation and relaxation. The
// foundation of a chronic-pain program and the gentlest technique, so it is
// the one technique that stays available during a flare.

#include <fascia/plugin.hpp>

#include <fascia/plugin_support.hpp>

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

  // Everything adjust() reads: it is given only these, and runs once per
  // distinct value of them on each thread.
  TechniqueInputs inputs() const override {
    return {{"flare.active", "flare.severity", "sensitivity"}, {"pace", "strokes", "focus_areas"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    static const std::vector<std::string> default_strokes = {"effleurage", "petrissage"};
    static const std::vector<std::string> effleurage_only = {"effleurage"};
    const ClientState& state = context.state;
    const std::string* configured_pace = config_string_ref(context.config, "pace");
    const std::string_view pace = configured_pace ? std::string_view(*configured_pace) : "moderate";
    const std::vector<std::string>* configured_strokes =
        config_strings_ref(context.config, "strokes");
    const std::vector<std::string>& strokes = !configured_strokes           ? default_strokes
                                              : configured_strokes->empty() ? effleurage_only
                                                                            : *configured_strokes;

    result.parameters.reserve(4);
    put_param(result.parameters, "pressure_max",
              static_cast<std::int64_t>(pressure_today(context.session, max_pressure)));
    // Central sensitization: in a flare or with high sensitivity even kneading
    // can hurt, so only slow gliding strokes remain.
    if (state.flare.active || state.sensitivity == Sensitivity::high) {
      if (pace != "slow" || strokes != effleurage_only) {
        std::string why = state.flare.active
                              ? "Active flare (severity " + number_text(state.flare.severity) + ")"
                              : std::string("High touch sensitivity");
        result.adjustments.push_back(
            note("gentle-strokes", why + ": Swedish work limited to slow effleurage"));
      }
      put_param(result.parameters, "stroke_pace", std::string("slow"));
      put_param(result.parameters, "strokes", effleurage_only);
    } else {
      put_param(result.parameters, "stroke_pace", std::string(pace));
      put_param(result.parameters, "strokes", strokes);
    }
    const auto* focus = config_strings_ref(context.config, "focus_areas");
    if (focus && !focus->empty()) put_param(result.parameters, "focus_areas", *focus);
  }
};

void register_swedish(TechniqueRegistry& registry) { registry.add(std::make_unique<Swedish>()); }

}  // namespace

FASCIA_PLUGIN("swedish", "1.0.0", register_swedish)
