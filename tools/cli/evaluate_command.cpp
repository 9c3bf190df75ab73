#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"

#include <iostream>
#include <memory>

namespace fascia::cli {

namespace {
struct EvaluateArgs {
  std::string protocol;
  std::string state;
  bool json = false;
  bool explain = false;
};
}  // namespace

Command add_evaluate_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand("evaluate", "Recommend a session for one client state");
  cmd->footer(
      "Prints the session plan (stage, techniques, pressure cap, duration, frequency, home\n"
      "program, referral), then every adjustment with its reason, rule and source line.\n\n"
      "Example:\n  fascia evaluate --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml --explain\n"
      "  fascia evaluate --protocol protocols/fibromyalgia.yaml --state - --json < state.json");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state (YAML or JSON; - for stdin)")->required();
  cmd->add_flag("--json", args->json, "Print the recommendation as one JSON document");
  cmd->add_flag("--explain", args->explain, "Show every rule considered, fired or not");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, args->protocol);
            if (!protocol) return exit_invalid_input;
            auto state = load_state(*protocol, args->state);
            if (!state) return exit_invalid_input;
            EvaluateOptions options;
            options.explain = args->explain;
            if (args->json) {  // written from the decision record, no Recommendation
              std::string json;
              Diagnostics problems;
              if (!protocol->evaluate_json_into(*state, json, problems, options)) {
                print_diagnostics(problems);
                return exit_invalid_input;
              }
              json += '\n';
              std::cout << json;
              return exit_ok;
            }
            auto result = protocol->evaluate(*state, options);
            if (!result) {
              print_diagnostics(result.diagnostics());
              return exit_invalid_input;
            }
            const Recommendation& r = result.value();
            Style style{stdout_is_terminal()};
            TechniqueNames names = technique_names(engine);
            add_protocol_titles(names, *protocol);
            std::cout << render_plan(r, protocol->title(), names, style)
                      << render_adjustments(r, names, style);
            if (args->explain) std::cout << render_trace(r, style);
            return exit_ok;
          }};
}

}  // namespace fascia::cli
