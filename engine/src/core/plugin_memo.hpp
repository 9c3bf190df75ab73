#pragma once
// The per-thread memo of technique plugins' adjust() results (plugin ABI 2):
// a declared technique runs once per distinct input on each thread, keyed on
// exactly what it declared (Technique::inputs()) and the session draft, and
// it only ever sees those inputs (a view of the state and configuration), so
// a result cannot depend on anything the key leaves out.

#include <fascia/plugin.hpp>

#include <cstddef>
#include <string>

namespace fascia::detail {

struct TechniqueEntry;

// Results kept per technique and thread, in slots chosen by the key's hash:
// a new input takes its slot over (bounded memory, whatever the inputs).
inline constexpr std::size_t plugin_memo_results = 256;

// adjust() of `entry` for this state, configuration and draft, into
// `result` (empty, as the engine hands it out): from the memo when these
// declared inputs were seen on this thread, else by calling the plugin
// through the noexcept boundary (a failure is returned as false with the
// message in `error`, and not memoised). An undeclared technique (inputs()
// left as "everything") is called with the whole state, every time.
bool memoised_adjust(const TechniqueEntry& entry, const ClientState& state, const Params& config,
                     const SessionDraft& draft, TechniqueResult& result, std::string& error);

// How many times this thread called a plugin's adjust() (tests and benchmarks).
std::size_t plugin_adjust_calls() noexcept;

}  // namespace fascia::detail
