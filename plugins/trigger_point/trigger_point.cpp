// Trigger point therapy: pressure on specific knots that refer pain
// elsewhere. In fibromyalgia only with precision and restraint: few points
// per session, none during a flare.

#include <fascia/plugin.hpp>

#include <fascia/plugin_support.hpp>

namespace {

using namespace fascia;
using namespace fascia::plugins;

constexpr int max_pressure = 7;

class TriggerPoint final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "trigger_point";
    i.display_name = "Trigger point therapy";
    i.kind = TechniqueKind::in_session;
    i.default_pressure = 4;
    i.max_pressure = max_pressure;
    i.flare_safe = false;
    i.contraindications = {"Not during an active flare",
                           "Limit the number of points per session in fibromyalgia"};
    i.description =
        "Precise pressure on knots that refer pain elsewhere; used later in a program and "
        "sparingly, a few points per session.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    return {
        integer_field("max_points", 1, 12, 4,
                      "Most trigger points treated in one session; halved (at least 1) for high "
                      "sensitivity"),
        integer_field("hold_seconds", 10, 120, 30, "How long each point is held, in seconds"),
        list_field("regions", {}, std::vector<std::string>{},
                   "Body regions to look for points in (free text)"),
    };
  }

  std::vector<ConfigField> parameter_schema() const override {
    return {
        pressure_field(max_pressure),
        integer_field("max_points", 1, 12, std::nullopt, "Most trigger points this session"),
        integer_field("hold_seconds", 10, 120, std::nullopt, "Seconds per point"),
        list_field("regions", {}, std::nullopt, "Body regions to work in"),
    };
  }

  // Everything adjust() reads: it is given only these, and runs once per
  // distinct value of them on each thread.
  TechniqueInputs inputs() const override {
    return {{"flare.active", "flare.severity", "sensitivity"},
            {"max_points", "hold_seconds", "regions"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    const ClientState& state = context.state;
    if (state.flare.active) {
      result.hold = true;
      result.hold_rule = "flare";
      result.hold_reason = "Active flare (severity " + number_text(state.flare.severity) +
                           "): trigger point work waits until the flare settles";
      return;
    }
    const std::int64_t configured = config_int(context.config, "max_points", 4);
    std::int64_t points = configured;
    if (state.sensitivity == Sensitivity::high) {
      points = std::max<std::int64_t>(1, configured / 2);
      if (points < configured)
        result.adjustments.push_back(
            note("fewer-points", "High touch sensitivity: at most " + std::to_string(points) +
                                     " trigger points this session instead of " +
                                     std::to_string(configured)));
    }
    result.parameters.reserve(4);
    put_param(result.parameters, "pressure_max",
              static_cast<std::int64_t>(pressure_today(context.session, max_pressure)));
    put_param(result.parameters, "max_points", points);
    put_param(result.parameters, "hold_seconds", config_int(context.config, "hold_seconds", 30));
    const auto* regions = config_strings_ref(context.config, "regions");
    if (regions && !regions->empty()) put_param(result.parameters, "regions", *regions);
  }
};

void register_trigger_point(TechniqueRegistry& registry) {
  registry.add(std::make_unique<TriggerPoint>());
}

}  // namespace

FASCIA_PLUGIN("trigger_point", "1.0.0", register_trigger_point)
