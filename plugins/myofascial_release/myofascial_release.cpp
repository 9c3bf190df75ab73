// Myofascial release: gentle, sustained pressure into fascial restrictions,
// held for minutes until the tissue lets go, on dry skin. Introduced
// gradually; old restrictions may answer with a day or two of extra
// soreness (a healing response) that is not a flare.

#include <fascia/plugin.hpp>

#include <fascia/plugin_support.hpp>

#include <cstring>
#include <string_view>

namespace {

using namespace fascia;
using namespace fascia::plugins;

constexpr const char* technique_id = "myofascial_release";
constexpr int max_pressure = 6;

// Length first, then the bytes (a comparison of known length, inline):
// contains()'s string comparison called memcmp (fascia::decide 4,477 -> 4,465).
bool includes_mfr(const HistoryEntry& entry) {
  constexpr std::string_view id = technique_id;
  for (const auto& t : entry.techniques)
    if (t.size() == id.size() && std::memcmp(t.data(), id.data(), id.size()) == 0) return true;
  return false;
}

// myofascial_release.healing_response(): see README.md for the rule.
FunctionValue healing_response(const ClientState& state, const Params& config, const FunctionValue*,
                               std::size_t) {
  const HistoryEntry* last = state.last();
  if (!last || !includes_mfr(*last)) return false;
  if (!last->soreness_24h) return std::monostate{};  // unknown: no soreness recorded
  if (*last->soreness_24h < config_number(config, "soreness_threshold", 4)) return false;
  if (state.pain.current > state.pain.baseline + config_number(config, "healing_pain_margin", 2))
    return false;
  const std::int64_t days = state.as_of.days_since_epoch() - last->date.days_since_epoch();
  if (state.flare.active && days > config_int(config, "healing_window_days", 2)) return false;
  return true;
}

class MyofascialRelease final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = technique_id;
    i.display_name = "Myofascial release";
    i.kind = TechniqueKind::in_session;
    i.default_pressure = 3;
    i.max_pressure = max_pressure;
    // Sustained holds into restrictions are too much during a flare; a
    // protocol that wants them in a mild flare says so explicitly.
    i.flare_safe = false;
    i.contraindications = {"Not during an active flare",
                           "Never force through a restriction: wait for release",
                           "Dry skin only: no oil or lotion"};
    i.description =
        "Gentle, sustained pressure into fascial restrictions, held for minutes until the "
        "tissue releases; introduced gradually. A day or two of extra soreness afterwards "
        "can be a healing response rather than a flare.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    return {
        integer_field("hold_minutes_min", 1, 10, 2, "Shortest hold in minutes (the starting hold)"),
        integer_field("hold_minutes_max", 1, 15, 5, "Longest hold in minutes"),
        number_field("soreness_threshold", 0, 10, 4.0,
                     "Soreness the day after (0-10) from which a session counts as having left "
                     "the client sore; used by healing_response() and hold progression"),
        integer_field("healing_window_days", 0, 14, 2,
                      "Days after an MFR session in which a flare may still be a healing "
                      "response"),
        number_field("healing_pain_margin", 0, 10, 2.0,
                     "How far above baseline pain may be for a healing response; above it the "
                     "pain is treated as a real problem"),
        boolean_field("self_mfr", true, "Prescribe self-MFR at home when MFR is in the session"),
        integer_field("self_mfr_minutes", 1, 30, 5, "Minutes per day of self-MFR"),
    };
  }

  std::vector<ConfigField> parameter_schema() const override {
    return {
        pressure_field(max_pressure),
        integer_field("hold_minutes", 1, 15, std::nullopt,
                      "Length of each sustained hold, in minutes"),
        boolean_field("dry_skin", std::nullopt, "Work on dry skin"),
        enum_field("lubricant", {"none"}, std::nullopt, "No oil or lotion: the hands must grip"),
    };
  }

  std::vector<PluginFunction> functions() const override {
    PluginFunction f;
    f.name = "healing_response";
    f.result = FunctionType::boolean;
    f.description =
        "True when the soreness after the last session looks like a healing response to MFR "
        "rather than a flare (see the plugin README for the exact rule); unknown when the last "
        "MFR session has no soreness_24h";
    f.call = &healing_response;
    return {f};
  }

  std::vector<HomeProgramTemplate> home_program_templates() const override {
    HomeProgramTemplate t;
    t.id = "self_mfr";
    t.description =
        "Self-myofascial release: gentle sustained pressure with the hands, a soft ball or a "
        "foam roller, about 5 minutes a day";
    t.defaults = {{"minutes_per_day", std::int64_t{5}}};
    return {t};
  }

  // Everything adjust() reads: it is given only these, and runs once per
  // distinct value of them on each thread.
  TechniqueInputs inputs() const override {
    return {{"history.techniques", "last.soreness_24h", "sensitivity", "pressure_tolerance",
             "flare.active", "flare.severity"},
            {"hold_minutes_min", "hold_minutes_max", "soreness_threshold", "self_mfr",
             "self_mfr_minutes"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    const ClientState& state = context.state;
    const Params& config = context.config;
    std::int64_t low = config_int(config, "hold_minutes_min", 2);
    std::int64_t high = config_int(config, "hold_minutes_max", 5);
    if (low > high) {
      result.warnings.push_back("hold_minutes_min " + std::to_string(low) +
                                " is above hold_minutes_max " + std::to_string(high) + ": using " +
                                std::to_string(high) + " minutes");
      low = high;
    }
    auto bounded = [&](std::int64_t v) { return std::clamp(v, low, high); };

    // One more minute for every two MFR sessions the client has had.
    std::int64_t sessions = 0;
    for (const auto& entry : state.history)
      if (includes_mfr(entry)) ++sessions;
    const HistoryEntry* last = state.last();
    const double threshold = config_number(config, "soreness_threshold", 4);
    std::int64_t hold = bounded(low + sessions / 2);

    // A session that left the client sore does not count toward progression.
    if (last && includes_mfr(*last) && last->soreness_24h && *last->soreness_24h >= threshold) {
      std::int64_t paused = bounded(low + (sessions - 1) / 2);
      if (paused < hold)
        result.adjustments.push_back(
            note("progression-paused", "Holds stay at " + std::to_string(paused) +
                                           " minutes: the client was sore (" +
                                           number_text(*last->soreness_24h) +
                                           "/10) the day after the last myofascial release"));
      hold = paused;
    }
    // The reason texts are built only when an adjustment is reported.
    const bool shorter = state.sensitivity == Sensitivity::high || state.pressure_tolerance <= 3;
    if (shorter && bounded(hold - 1) < hold) {
      hold = bounded(hold - 1);
      std::string why =
          state.sensitivity == Sensitivity::high
              ? std::string("High touch sensitivity")
              : "Low pressure tolerance (" + std::to_string(state.pressure_tolerance) + ")";
      result.adjustments.push_back(note("shorter-holds", why + ": holds one minute shorter, " +
                                                             std::to_string(hold) + " minutes"));
    }
    if (state.flare.active && hold > low) {
      hold = low;
      result.adjustments.push_back(note("flare-holds", "Active flare (severity " +
                                                           number_text(state.flare.severity) +
                                                           "): holds kept at the shortest, " +
                                                           std::to_string(hold) + " minutes"));
    }

    // Copied whole, then the two numbers set: cheaper than building each parameter.
    static const Params parameters = {{"pressure_max", std::int64_t{0}},
                                      {"hold_minutes", std::int64_t{0}},
                                      {"dry_skin", true},
                                      {"lubricant", std::string("none")}};
    result.parameters = parameters;
    std::get<std::int64_t>(result.parameters[0].value) =
        pressure_today(context.session, max_pressure);
    std::get<std::int64_t>(result.parameters[1].value) = hold;

    if (config_bool(config, "self_mfr", true)) {
      static const HomeProgramItem self_mfr = {"self_mfr", {{"minutes_per_day", std::int64_t{0}}}};
      HomeProgramItem& item = result.home_program.emplace_back(self_mfr);
      std::get<std::int64_t>(item.parameters[0].value) = config_int(config, "self_mfr_minutes", 5);
    }
  }
};

void register_mfr(TechniqueRegistry& registry) {
  registry.add(std::make_unique<MyofascialRelease>());
}

}  // namespace

FASCIA_PLUGIN("myofascial_release", "1.0.0", register_mfr)
