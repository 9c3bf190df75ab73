// fascia simulate: the plan projected N weeks forward under a scenario, as a
// table, JSON, or an SVG timeline.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"
#include "simulation.hpp"
#include "simulation_json.hpp"
#include "timeline_svg.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace fascia::cli {

using documents::read_scenario;
using documents::Scenario;
using documents::simulate;
using documents::SimulatedSession;
using documents::Simulation;
using documents::simulation_json;

namespace {

struct SimulateArgs {
  std::string protocol;
  std::string state;
  int weeks = 0;
  std::string scenario;
  std::string compare;  // scenario B
  std::vector<std::string> sets;
  bool json = false;
  std::string svg;
};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string technique_titles(const std::vector<std::string>& ids, const TechniqueNames& names) {
  std::vector<std::string> titles;
  for (const auto& id : ids) titles.push_back(technique_name(names, id));
  return joined(titles, ", ");
}

// One row per session; what happened (stage or frequency changes, flares,
// missed sessions) on an indented line below it.
std::string render_table(const Simulation& sim, const TechniqueNames& names, const Style& st) {
  std::vector<std::vector<std::string>> rows = {
      {"Date", "Week", "Stage", "Cap (1-10)", "Pain (0-10)", "Frequency", "Techniques"}};
  std::vector<std::string> notes = {""};
  for (const auto& s : sim.sessions) {
    const bool done = s.status == SimulatedSession::Status::done;
    rows.push_back({s.date.to_string(), std::to_string(s.week), sim.title("stage", s.stage),
                    done ? std::to_string(s.pressure_cap) : "-", number_text(s.pain),
                    sim.title("frequency", s.frequency),
                    done ? technique_titles(s.techniques, names) : "-"});
    notes.push_back(joined(s.notes, "; "));
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out = st.bold(sim.protocol_title + " " + sim.protocol_version) + " - client " +
                    sim.client_id + ", " + std::to_string(sim.weeks) + " weeks from " +
                    sim.start.to_string() + "\n";
  if (!sim.scenario.empty()) out += "Scenario: " + sim.scenario + "\n";
  out += "\n";
  const std::size_t indent = width[0] + 3;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = " ";
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      std::string cell = rows[r][i];
      if (i + 1 < rows[r].size()) cell.resize(width[i] + 2, ' ');
      line += cell;
    }
    out += (r == 0 ? st.bold(line) : line) + "\n";
    if (!notes[r].empty())
      out += std::string(indent, ' ') + st.warn("> " + wrap(notes[r], indent + 2)) + "\n";
  }
  int done = 0, missed = 0, postponed = 0;
  for (const auto& s : sim.sessions) {
    done += s.status == SimulatedSession::Status::done;
    missed += s.status == SimulatedSession::Status::missed;
    postponed += s.status == SimulatedSession::Status::postponed;
  }
  out += "\n" + std::to_string(done) + " sessions, " + std::to_string(missed) + " missed, " +
         std::to_string(postponed) + " postponed\n";
  return out;
}

// Two runs side by side, week by week (a week may hold no session of one
// run, or several).
std::string render_compare_table(const Simulation& a, const Simulation& b, const Style& st) {
  std::vector<std::vector<std::string>> rows = {
      {"Week", "A: date", "stage", "cap", "pain", "B: date", "stage", "cap", "pain"}};
  auto cells = [](const Simulation& sim, const SimulatedSession* s) -> std::vector<std::string> {
    if (!s) return {"", "", "", ""};
    const bool done = s->status == SimulatedSession::Status::done;
    return {s->date.to_string(), sim.title("stage", s->stage),
            done ? std::to_string(s->pressure_cap) : to_string(s->status), number_text(s->pain)};
  };
  for (int week = 1; week <= a.weeks; ++week) {
    std::vector<const SimulatedSession*> in_a, in_b;
    for (const auto& s : a.sessions)
      if (s.week == week) in_a.push_back(&s);
    for (const auto& s : b.sessions)
      if (s.week == week) in_b.push_back(&s);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, std::max(in_a.size(), in_b.size())); ++i) {
      std::vector<std::string> row = {i == 0 ? std::to_string(week) : ""};
      for (auto& c : cells(a, i < in_a.size() ? in_a[i] : nullptr)) row.push_back(c);
      for (auto& c : cells(b, i < in_b.size() ? in_b[i] : nullptr)) row.push_back(c);
      rows.push_back(std::move(row));
    }
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out = st.bold(a.protocol_title + " " + a.protocol_version) + " - client " +
                    a.client_id + ", " + std::to_string(a.weeks) + " weeks from " +
                    a.start.to_string() + "\n";
  out += "A: " + (a.scenario.empty() ? std::string("no scenario") : a.scenario) + "\n";
  out += "B: " + (b.scenario.empty() ? std::string("no scenario") : b.scenario) + "\n\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = " ";
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      std::string cell = rows[r][i];
      if (i + 1 < rows[r].size()) cell.resize(width[i] + (i == 0 || i == 4 ? 4 : 2), ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += (r == 0 ? st.bold(line) : line) + "\n";
  }
  auto summary = [](const Simulation& sim) {
    int done = 0, missed = 0;
    std::string stage;
    for (const auto& s : sim.sessions) {
      done += s.status == SimulatedSession::Status::done;
      missed += s.status == SimulatedSession::Status::missed;
      if (s.status == SimulatedSession::Status::done) stage = sim.title("stage", s.stage);
    }
    return std::to_string(done) + " sessions, " + std::to_string(missed) + " missed, ending in " +
           (stage.empty() ? std::string("no stage") : stage);
  };
  out += "\nA: " + summary(a) + "\nB: " + summary(b) + "\n";
  return out;
}

}  // namespace

Command add_simulate_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand("simulate", "Project the plan forward week by week");
  cmd->footer(
      "Each session is evaluated; its stage, frequency and pressure (at the cap) become the\n"
      "client's program and history, and the next session falls on the recommended day.\n"
      "The scenario file says what happens each week (pain, flares, missed sessions,\n"
      "soreness, medication changes); its format is in docs/cli.md.\n\n"
      "Example:\n  fascia simulate --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml --weeks 24 \\\n"
      "      --scenario protocols/scenarios/fibromyalgia-setback.yaml --svg plan.svg\n"
      "  fascia simulate --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml --weeks 12 \\\n"
      "      --set pressure_tolerance=3 --compare protocols/scenarios/fibromyalgia-setback.yaml");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state at the start (YAML or JSON; - for stdin)")
      ->required();
  cmd->add_option("--weeks", args->weeks, "Weeks to project (1-260)")
      ->required()
      ->check(CLI::Range(1, 260));
  cmd->add_option("--scenario", args->scenario, "Scenario file: what happens week by week");
  cmd->add_option("--set", args->sets,
                  "PATH=VALUE change to the starting state (today), as in what-if (repeatable). "
                  "Pain, tolerance, sensitivity, sleep, observations and program.* hold until the "
                  "scenario or the plan changes them; flare.active/severity are a flare today that "
                  "lasts week 1 and then counts as a recent flare; medications_changed is seen "
                  "at the first session given; last.* is the session before week 1");
  cmd->add_option("--compare", args->compare,
                  "A second scenario file (B): both runs side by side in the table, as "
                  "{\"a\": ..., \"b\": ...} in JSON, and in one chart");
  auto* json = cmd->add_flag("--json", args->json, "Print the timeline as one JSON document");
  auto* svg =
      cmd->add_option("--svg", args->svg, "Also draw the timeline as an SVG chart into OUT");
  json->excludes(svg);
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            std::vector<StateOverride> sets;
            for (const auto& text : args->sets) {
              auto parsed = parse_override(text);
              if (!parsed) return exit_usage;
              sets.push_back(*parsed);
            }
            Scenario scenario, scenario_b;
            for (const auto& [path, target] :
                 {std::pair{&args->scenario, &scenario}, std::pair{&args->compare, &scenario_b}}) {
              if (path->empty()) continue;
              Diagnostics problems;
              const bool ok = read_scenario(*path, *target, problems);
              print_diagnostics(problems);
              if (!ok) return exit_invalid_input;
            }
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, args->protocol);
            if (!protocol) return exit_invalid_input;
            if (!sets.empty()) {  // the state alone must be valid: then --set is to blame
              auto plain = load_state(*protocol, args->state);
              if (!plain) return exit_invalid_input;
            }
            auto state = load_state(*protocol, args->state, sets);
            if (!state) return sets.empty() ? exit_invalid_input : exit_usage;
            auto sim = simulate(*protocol, *state, scenario, args->weeks);
            if (!sim) {
              print_diagnostics(sim.diagnostics());
              return exit_invalid_input;
            }
            std::optional<Simulation> sim_b;
            if (!args->compare.empty()) {
              auto b = simulate(*protocol, *state, scenario_b, args->weeks);
              if (!b) {
                print_diagnostics(b.diagnostics());
                return exit_invalid_input;
              }
              sim_b = std::move(b.value());
            }
            if (args->json) {
              if (sim_b)
                std::cout << nlohmann::ordered_json{{"a", simulation_json(sim.value())},
                                                    {"b", simulation_json(*sim_b)}}
                                 .dump()
                          << '\n';
              else
                std::cout << simulation_json(sim.value()).dump() << '\n';
              return exit_ok;
            }
            if (!args->svg.empty()) {
              std::ofstream out(args->svg, std::ios::binary);
              out << timeline_svg(sim.value(), sim_b ? &*sim_b : nullptr);
              if (!out.flush()) {
                print_error("cannot write the chart to '" + args->svg + "'");
                return exit_usage;
              }
            }
            const Style style{stdout_is_terminal()};
            if (sim_b)
              std::cout << render_compare_table(sim.value(), *sim_b, style);
            else
              std::cout << render_table(sim.value(), technique_names(engine), style);
            if (!args->svg.empty()) std::cout << "Timeline chart written to " << args->svg << '\n';
            return exit_ok;
          }};
}

}  // namespace fascia::cli
