#include "core/protocol_loader.hpp"

#include "core/protocol_compiler.hpp"
#include "core/protocol_reader.hpp"

namespace fascia::detail {

std::shared_ptr<ProtocolModel> load_protocol_model(const yaml::Document& document,
                                                   const PluginHost& plugins,
                                                   const std::vector<std::string>& searched_dirs,
                                                   const Limits& limits, Diagnostics& diagnostics) {
  auto model = std::make_shared<ProtocolModel>();
  ProtocolReader reader(document, plugins, searched_dirs, limits, *model, diagnostics);
  if (!reader.read()) return nullptr;
  if (has_errors(diagnostics)) {
    // Structural errors make expression errors noise (unknown stage ids...),
    // but unknown fields in expressions are still worth reporting: compile
    // only when the ids the catalog needs were read.
    if (!model->stages.empty() && !model->ladder.empty())
      compile_protocol(document, reader.pending_rules(), *model, diagnostics);
    return nullptr;
  }
  compile_protocol(document, reader.pending_rules(), *model, diagnostics);
  check_reachability(document, *model, diagnostics);
  if (has_errors(diagnostics)) return nullptr;
  precompute_texts(*model);
  return model;
}

}  // namespace fascia::detail
