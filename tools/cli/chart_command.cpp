// fascia chart: the client's recorded history (pain, pressure, soreness,
// flares, the current stage) as an SVG chart, for the therapist and the
// client to look back on.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "history_svg.hpp"
#include "human_output.hpp"

#include <fstream>
#include <iostream>
#include <memory>

namespace fascia::cli {

namespace {
struct ChartArgs {
  std::string protocol;
  std::string state;
  std::string out;
};
}  // namespace

Command add_chart_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<ChartArgs>();
  CLI::App* cmd = app.add_subcommand("chart", "Draw a client's recorded history as an SVG chart");
  cmd->footer(
      "Pain before and after each recorded session, the pressure used, soreness the next\n"
      "day, the last flare (or the current one), a band per stage the sessions were given\n"
      "in (history entries' `stage`, written by `fascia record`) and the current stage and\n"
      "frequency, all by their titles. The state is checked against the protocol first.\n\n"
      "Example:\n  fascia chart --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml --out history.svg");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state (YAML or JSON; - for stdin)")->required();
  cmd->add_option("--out", args->out, "Write the SVG to this file (default: standard output)");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, args->protocol);
            if (!protocol) return exit_invalid_input;
            auto state = load_state(*protocol, args->state);
            if (!state) return exit_invalid_input;
            TechniqueNames names;
            add_protocol_titles(names, *protocol);
            std::string stage = state->program.stage;
            if (const auto stages = protocol->stage_ids(); stage.empty() && !stages.empty())
              stage = stages.front();
            std::string frequency = state->program.frequency;
            if (frequency.empty()) frequency = protocol->start_frequency();
            HistoryChartLabels labels{protocol->title() + " " + protocol->version(),
                                      title_of(names, "stage", stage),
                                      title_of(names, "frequency", frequency),
                                      {}};
            for (const auto& id : protocol->stage_ids())
              labels.stage_titles[id] = title_of(names, "stage", id);
            const std::string svg = history_svg(*state, labels);
            if (args->out.empty()) {
              std::cout << svg;
              return exit_ok;
            }
            std::ofstream file(args->out, std::ios::binary | std::ios::trunc);
            file << svg;
            file.close();
            if (!file) {
              print_error("cannot write the chart to '" + args->out + "'");
              return exit_usage;
            }
            std::cout << "History chart written to " << args->out << '\n';
            return exit_ok;
          }};
}

}  // namespace fascia::cli
