// An example technique plugin built outside the fascia tree, against an
// installed fascia (find_package(fascia)). Manual lymphatic drainage: very
// light, slow, rhythmic skin-stretching strokes toward the lymph nodes.
//
// It shows the whole plugin API (ABI 2): configuration keys, parameters,
// what adjust() reads, a hold decided from a clinic-defined observation, a
// function for expressions and a home-program item. Everything a plugin needs comes from
// <fascia/plugin.hpp> (and the helpers of <fascia/plugin_support.hpp>);
// exceptions never leave it (FASCIA_PLUGIN and the host catch them).

#include <algorithm>
#include <fascia/plugin.hpp>
#include <fascia/plugin_support.hpp>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace fascia;

constexpr int max_pressure = 2;  // the skin is moved, not the muscle pressed

using plugins::config_int;

// True when the clinic's observation `acute_infection` is recorded as true.
bool acute_infection(const ClientState& state) {
  const Observation* o = state.observation("acute_infection");
  if (!o) return false;
  auto b = std::get_if<bool>(&o->value);
  return b && *b;
}

// lymphatic_drainage.swelling_reported(): the observation `swelling` is true.
FunctionValue swelling_reported(const ClientState& state, const Params&, const FunctionValue*,
                                std::size_t) {
  const Observation* o = state.observation("swelling");
  if (!o || std::holds_alternative<std::monostate>(o->value)) return std::monostate{};
  if (auto b = std::get_if<bool>(&o->value)) return *b;
  return std::monostate{};
}

class LymphaticDrainage final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "lymphatic_drainage";
    i.display_name = "Manual lymphatic drainage";
    i.kind = TechniqueKind::in_session;
    i.default_pressure = 1;
    i.max_pressure = max_pressure;
    i.flare_safe = true;
    i.contraindications = {"Not with an acute infection",
                           "Ask the client's physician first "
                           "when swelling has no known cause"};
    i.description =
        "Very light, slow, rhythmic strokes that stretch the skin toward the lymph "
        "nodes.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    ConfigField minutes;
    minutes.name = "minutes";
    minutes.type = ConfigType::integer;
    minutes.min = 10;
    minutes.max = 60;
    minutes.default_value = std::int64_t{20};
    minutes.description = "Minutes of the session spent on lymphatic drainage";
    return {minutes};
  }

  std::vector<ConfigField> parameter_schema() const override {
    ConfigField pressure;
    pressure.name = "pressure_max";
    pressure.type = ConfigType::integer;
    pressure.min = 1;
    pressure.max = max_pressure;
    ConfigField minutes;
    minutes.name = "minutes";
    minutes.type = ConfigType::integer;
    minutes.min = 10;
    minutes.max = 60;
    return {pressure, minutes};
  }

  std::vector<PluginFunction> functions() const override {
    PluginFunction f;
    f.name = "swelling_reported";
    f.result = FunctionType::boolean;
    f.description = "The clinic's `swelling` observation; unknown when not recorded";
    f.call = &swelling_reported;
    return {f};
  }

  std::vector<HomeProgramTemplate> home_program_templates() const override {
    return {{"leg_elevation",
             "Rest with the legs raised above the heart",
             {{"minutes_per_day", std::int64_t{15}}}}};
  }

  // Everything adjust() reads (plugin ABI 2): the engine gives it only these
  // and runs it once per distinct value of them on each thread. A field left
  // out reads as its default, never as another client's value.
  TechniqueInputs inputs() const override {
    return {{"observations.acute_infection", "observations.swelling"}, {"minutes"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    if (acute_infection(context.state)) {
      result.hold = true;
      result.hold_rule = "acute-infection";
      result.hold_reason = "Acute infection recorded: no lymphatic drainage until it has cleared";
      return;
    }
    const int pressure = std::clamp(std::min(context.session.pressure_cap, max_pressure), 1, 10);
    set_param(result.parameters, "pressure_max", static_cast<std::int64_t>(pressure));
    set_param(result.parameters, "minutes", config_int(context.config, "minutes", 20));
    if (auto swelling = swelling_reported(context.state, context.config, nullptr, 0);
        std::get_if<bool>(&swelling) && std::get<bool>(swelling))
      result.home_program.push_back({"leg_elevation", {{"minutes_per_day", std::int64_t{15}}}});
  }
};

void register_techniques(TechniqueRegistry& registry) {
  registry.add(std::make_unique<LymphaticDrainage>());
}

}  // namespace

FASCIA_PLUGIN("lymphatic_drainage", "1.0.0", register_techniques)
