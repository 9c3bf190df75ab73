// fascia schema: the client-state JSON Schema specialised to one protocol
// (its conditions, stages, frequencies and observations, with titles), for
// editors and for an EHR that generates its intake form from it.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "state_schema.hpp"

#include <iostream>
#include <memory>

namespace fascia::cli {

Command add_schema_command(CLI::App& app, CommonOptions& common) {
  auto protocol_path = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("schema", "Print the client-state JSON Schema specialised to a protocol");
  cmd->footer(
      "The schema of schemas/client-state.schema.json with this protocol's conditions,\n"
      "stages and frequencies (with their titles) and its observations (types, ranges,\n"
      "allowed values, descriptions; an undeclared observation is refused), for editors\n"
      "and for an EHR that builds its intake form from it.\n\n"
      "Example:\n  fascia schema --protocol protocols/fibromyalgia.yaml > "
      "fibromyalgia-state.schema.json");
  cmd->add_option("--protocol", *protocol_path, "Protocol YAML file")->required();
  add_common_options(*cmd, common);
  return {cmd, [protocol_path, &common]() -> int {
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, *protocol_path);
            if (!protocol) return exit_invalid_input;
            std::cout << documents::specialised_state_schema(*protocol).dump(2) << '\n';
            return exit_ok;
          }};
}

}  // namespace fascia::cli
