// The home program: self-care between sessions (never a replacement for
// them). Chooses items from the protocol's configuration and the client's
// state; rules can add any item by id as well. Self-MFR belongs to the
// myofascial_release plugin, which prescribes it with the technique.

#include <fascia/plugin.hpp>

#include <fascia/plugin_support.hpp>

namespace {

using namespace fascia;
using namespace fascia::plugins;

struct Item {
  HomeProgramItem item;  // the id with its default parameters, copied as is
  const char* description;
};

Item make_item(const char* id, const char* description, Params defaults) {
  return {{id, std::move(defaults)}, description};
}

const std::vector<Item>& items() {
  static const std::vector<Item> all = {
      make_item("foam_roller", "Slow rolling over tight areas with a soft foam roller",
                {{"minutes_per_day", std::int64_t{5}}}),
      make_item("massage_ball", "Gentle pressure on tender spots with a soft massage ball",
                {{"minutes_per_day", std::int64_t{5}}}),
      make_item("gentle_stretching", "Gentle, pain-free stretches held without bouncing",
                {{"minutes_per_day", std::int64_t{10}}}),
      make_item("short_walks", "Short, easy walks; consistency matters more than distance",
                {{"minutes_per_day", std::int64_t{10}}}),
      make_item("hydration", "Drink water regularly through the day, especially after a session",
                {}),
      make_item("symptom_journal",
                "A daily note of pain, sleep and mood, to see patterns over weeks",
                {{"entries_per_day", std::int64_t{1}},
                 {"fields", std::vector<std::string>{"pain", "sleep", "mood"}}}),
      make_item("posture_breaks", "Stand up, move and change position regularly when sitting",
                {{"every_minutes", std::int64_t{45}}}),
  };
  return all;
}

std::vector<std::string> item_ids() {
  std::vector<std::string> ids;
  for (const auto& i : items()) ids.push_back(i.item.id);
  return ids;
}

const Item* find_item(std::string_view id) {
  for (const auto& i : items())
    if (id == i.item.id) return &i;
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
    for (const auto& i : items()) out.push_back({i.item.id, i.description, i.item.parameters});
    return out;
  }

  // Everything adjust() reads: it is given only these, and runs once per
  // distinct value of them on each thread.
  TechniqueInputs inputs() const override {
    return {{"flare.active", "flare.severity", "sensitivity"}, {"items"}};
  }

  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    static const std::vector<std::string> default_items = {"gentle_stretching", "short_walks",
                                                           "hydration", "symptom_journal"};
    const ClientState& state = context.state;
    const std::vector<std::string>* configured = config_strings_ref(context.config, "items");
    const std::vector<std::string>& chosen = configured ? *configured : default_items;
    // The journal shows patterns over weeks: always part of the program.
    const bool add_journal = !contains(chosen, "symptom_journal");
    // Pressure tools are left out in a flare or for high sensitivity.
    const bool gentle = state.flare.active || state.sensitivity == Sensitivity::high;

    // Each known id is handled once, so at most items().size() of each.
    // Pointers, not string_views: left uninitialized, not zeroed every call.
    const Item* dropped[16];
    const Item* shortened[16];
    std::size_t dropped_count = 0, shortened_count = 0;
    result.home_program.reserve(chosen.size() + (add_journal ? 1 : 0));
    auto prescribe = [&](std::string_view id) {
      const Item* item = find_item(id);
      if (!item) return;
      if (gentle && is_pressure_tool(id)) {
        dropped[dropped_count++] = item;
        return;
      }
      HomeProgramItem& out = result.home_program.emplace_back(item->item);
      if (state.flare.active && is_activity(id)) {
        for (auto& p : out.parameters)
          if (auto minutes = std::get_if<std::int64_t>(&p.value);
              minutes && p.name == "minutes_per_day")
            *minutes = (*minutes + 1) / 2;
        shortened[shortened_count++] = item;
      }
    };
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      bool seen = false;  // listed twice: the first one counts
      for (std::size_t j = 0; j < i && !seen; ++j) seen = chosen[j] == chosen[i];
      if (!seen) prescribe(chosen[i]);
    }
    if (add_journal) prescribe("symptom_journal");

    if (dropped_count == 0 && shortened_count == 0) return;
    const std::string why =
        state.flare.active ? "Active flare (severity " + number_text(state.flare.severity) + ")"
                           : std::string("High touch sensitivity");
    auto list = [](const Item* const* listed, std::size_t count) {
      std::string s;
      for (std::size_t i = 0; i < count; ++i) {
        if (i) s += ", ";
        s += listed[i]->item.id;
      }
      return s;
    };
    if (dropped_count)
      result.adjustments.push_back(
          note(state.flare.active ? "flare-no-pressure-tools" : "sensitivity-no-pressure-tools",
               why + ": " + list(dropped, dropped_count) + " left out of the home program"));
    if (shortened_count)
      result.adjustments.push_back(
          note("flare-shorter-activity",
               why + ": " + list(shortened, shortened_count) + " halved for now"));
  }
};

void register_home_program(TechniqueRegistry& registry) {
  registry.add(std::make_unique<HomeProgram>());
}

}  // namespace

FASCIA_PLUGIN("home_program", "1.0.0", register_home_program)
