#pragma once
// The client-state fields expressions can read (docs/protocol-authoring.md
// "Fields"), registered into a Catalog with their getters.

#include "expr/catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fascia::detail {

// An observation the protocol declares (`observations:` block).
struct ObservationDecl {
  std::string name;
  enum class Kind { integer, number, boolean, enumeration, string } kind = Kind::number;
  std::vector<std::string> values;  // enumeration: the allowed names
  std::optional<double> min, max;
  bool required = false;
  std::string description;
};

// Registers every client-state field. The enum fields take their values from
// the protocol: client.condition (`conditions`), program.stage (`stage_ids`),
// program.frequency (`frequency_ids`). `observations.NAME` reads
// ClientState::observations[i] for the i-th declaration: the engine must
// list the state's observations in declaration order (monostate when absent)
// before evaluating, and fill in program.stage and program.frequency when
// the state leaves them empty (the getters return them as stored).
void add_client_state_fields(Catalog& catalog, const std::vector<std::string>& conditions,
                             const std::vector<std::string>& stage_ids,
                             const std::vector<std::string>& frequency_ids,
                             const std::vector<ObservationDecl>& observations);

}  // namespace fascia::detail
