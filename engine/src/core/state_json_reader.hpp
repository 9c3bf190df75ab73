#pragma once
// The reader of JSON client states (batch lines, --state -, JSON files,
// fascia serve, the C API): reads the text straight into a ClientState,
// without a document tree, and reports every problem with the state itself,
// located, with the messages and paths of the tree reader of YAML states
// (both check values through core/state_values.hpp).

#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace fascia::detail {

enum class JsonStateStatus : std::uint8_t {
  read,      // a JSON state: `out`, and its problems appended (failed if any is an error)
  invalid,   // JSON breaking a rule (duplicate key, a limit): errors appended
  not_json,  // not strict JSON: nothing appended; YAML may still read it
};

// A JSON state without `--set` overrides (those edit a document tree and
// go through core/state_reader.hpp), into `out`, a default ClientState or
// one reset_keeping_memory() left (whose history entries it reads into).
JsonStateStatus read_json_state(std::string_view text, const std::string& file,
                                const ProtocolModel& model, ClientState& out,
                                Diagnostics& diagnostics);

// `s` as a new ClientState, but its strings and lists keep their memory
// (emptied), and its history entries stay for read_json_state() to read
// into and drop: for a state read again and again (fascia batch's lines).
// Only for read_json_state(): the history is not empty until it has run.
void reset_keeping_memory(ClientState& s);

}  // namespace fascia::detail
