// The home program: self-care between sessions (never a replacement for
// them). Chooses items from the protocol's configuration and the client's
// state; rules can add any item by id as well. Self-MFR belongs to the
// myofascial_release plugin, which prescribes it with the technique.

#include <fascia/plugin.hpp>

#include "common/support.hpp"

namespace {

using namespace fascia;
using namespace fascia::plugins;

struct Item {
  const char* id;
  const char* description;
  Params defaults;
};

const std::vector<Item>& items() {
  static const std::vector<Item> all = {
      {"foam_roller",
       "Slow rolling over tight areas with a soft foam roller",
       {{"minutes_per_day", std::int64_t{5}}}},
      {"massage_ball",
       "Gentle pressure on tender spots with a soft massage ball",
       {{"minutes_per_day", std::int64_t{5}}}},
      {"gentle_stretching",
       "Gentle, pain-free stretches held without bouncing",
       {{"minutes_per_day", std::int64_t{10}}}},
      {"short_walks",
       "Short, easy walks; consistency matters more than distance",
       {{"minutes_per_day", std::int64_t{10}}}},
      {"hydration", "Drink water regularly through the day, especially after a session", {}},
      {"symptom_journal",
       "A daily note of pain, sleep and mood, to see patterns over weeks",
       {{"entries_per_day", std::int64_t{1}},
        {"fields", std::vector<std::string>{"pain", "sleep", "mood"}}}},
      {"posture_breaks",
       "Stand up, move and change position regularly when sitting",
       {{"every_minutes", std::int64_t{45}}}},
  };
  return all;
}

std::vector<std::string> item_ids() {
  std::vector<std::string> ids;
  for (const auto& i : items()) ids.emplace_back(i.id);
  return ids;
}

const Item* find_item(std::string_view id) {
  for (const auto& i : items())
    if (id == i.id) return &i;
  return nullptr;
}

// Pressure tools are left out when touch itself hurts.
bool is_pressure_tool(std::string_view id) { return id == "foam_roller" || id == "massage_ball"; }
// Activity items shortened (halved, rounded up) during a flare.
bool is_activity(std::string_view id) { return id == "gentle_stretching" || id == "short_walks"; }

class HomeProgram final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "home_program";
    i.display_name = "Home program (self-care)";
    i.kind = TechniqueKind::home;
    i.default_pressure = 1;
    i.max_pressure = 10;
    i.flare_safe = true;
    i.contraindications = {"Between sessions only: never a replacement for sessions"};
    i.description =
        "Self-care between sessions: foam roller, massage ball, gentle stretching, short "
        "walks, hydration, posture breaks and a pain/sleep/mood journal.";
    return i;
  }

  std::vector<ConfigField> config_schema() const override {
    return {
        list_field("items", item_ids(),
                   std::vector<std::string>{"gentle_stretching", "short_walks", "hydration",
                                            "symptom_journal"},
                   "Items prescribed outside flares, in this order; the symptom journal is "
                   "always included"),
    };
  }

  std::vector<HomeProgramTemplate> home_program_templates() const override {
    std::vector<HomeProgramTemplate> out;
    for (const auto& i : items()) out.push_back({i.id, i.description, i.defaults});
    return out;
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    const ClientState& state = context.state;
    std::vector<std::string> chosen =
        config_strings(context.config, "items",
                       {"gentle_stretching", "short_walks", "hydration", "symptom_journal"});
    // The journal shows patterns over weeks: always part of the program.
    if (!contains(chosen, "symptom_journal")) chosen.emplace_back("symptom_journal");

    std::string why;
    if (state.flare.active)
      why = "Active flare (severity " + number_text(state.flare.severity) + ")";
    else if (state.sensitivity == Sensitivity::high)
      why = "High touch sensitivity";

    std::vector<std::string> dropped, shortened;
    std::vector<std::string> seen;
    for (const auto& id : chosen) {
      const Item* item = find_item(id);
      if (!item || contains(seen, id)) continue;
      seen.push_back(id);
      if (!why.empty() && is_pressure_tool(id)) {
        dropped.push_back(id);
        continue;
      }
      HomeProgramItem out{id, item->defaults};
      if (state.flare.active && is_activity(id)) {
        for (auto& p : out.parameters)
          if (auto minutes = std::get_if<std::int64_t>(&p.value);
              minutes && p.name == "minutes_per_day")
            *minutes = (*minutes + 1) / 2;
        shortened.push_back(id);
      }
      result.home_program.push_back(std::move(out));
    }
    auto list = [](const std::vector<std::string>& ids) {
      std::string s;
      for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
      return s;
    };
    if (!dropped.empty())
      result.adjustments.push_back(
          note(state.flare.active ? "flare-no-pressure-tools" : "sensitivity-no-pressure-tools",
               why + ": " + list(dropped) + " left out of the home program"));
    if (!shortened.empty())
      result.adjustments.push_back(
          note("flare-shorter-activity", why + ": " + list(shortened) + " halved for now"));
  }
};

void register_home_program(TechniqueRegistry& registry) {
  registry.add(std::make_unique<HomeProgram>());
}

}  // namespace

FASCIA_PLUGIN("home_program", "1.0.0", register_home_program)
