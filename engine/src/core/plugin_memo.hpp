#pragma once
// The per-thread memo of technique plugins' adjust() results (plugin ABI 2):
// a declared technique runs once per distinct input on each thread, keyed on
// exactly what it declared (Technique::inputs()), its configuration and the
// session draft, and it only ever sees those inputs (a view of the state and
// configuration), so a result cannot depend on anything the key leaves out.
// A result is checked once, when computed, and read in place, never changed.

#include "plugin_host/declared_inputs.hpp"

#include <fascia/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fascia::detail {

struct TechniqueEntry;

// Results kept per technique and thread, in pairs of slots chosen by the
// key's hash (two-way): at most this many; once there are, a new input
// takes over its pair's older result (bounded memory, whatever the inputs).
// 512, two-way: `fascia batch` over 20,000 generated states calls the Swedish
// and home-program plugins with 421 and 548 distinct inputs, which 256
// direct-mapped slots could not keep (callgrind, --threads 1: memo misses
// 17,361 -> 13,271 with 512 direct-mapped, -> 11,528 two-way; a line 31.5k
// -> 30.8k -> 30.5k instructions; peak RSS about +1.5 MB. 1,024
// direct-mapped: 11,001 misses, 30.4k, +3.3 MB).
inline constexpr std::size_t plugin_memo_results = 512;

// A plugin's result with what check_result() found in it (empty: fine).
struct CheckedResult {
  TechniqueResult result;
  std::vector<std::string> problems;
  // The PluginMemo::evaluation that was last given it, kept by debug builds
  // only (SessionPlan::run_plugin): they assert that no call writes a result
  // its own evaluation was given (the plan reads it until it is rendered;
  // see slot_for()).
  mutable std::uint64_t given_in = 0;
};

struct MemoSlot {
  KeyWords key;            // empty: a call that failed
  std::uint64_t hash = 0;  // of key
  CheckedResult value;
};

// The declared keys of one configuration (of the protocol `model`), and the
// number that stands for the configuration in the keys: given in the order
// the thread meets configurations and never given again (PluginMemo::
// config_ids), so the slots a key lands in do not move with the memory
// layout, as they did when the key held the configuration's address.
struct ConfigView {
  const Params* of = nullptr;
  std::uint64_t model = 0;
  std::uint64_t id = 0;
  Params view;
};

// One technique's results on one thread, and the views its adjust() reads.
struct TechniqueMemo {
  std::uint64_t serial = 0;  // TechniqueEntry::serial
  ClientState view;          // the declared fields only ...
  // ... and configuration keys: one view per configuration it is called
  // with (one per stage planning it), so that alternating stages do not
  // refill it; configs[config] is the last call's.
  std::vector<ConfigView> configs;
  std::size_t config = 0;
  const CheckedResult* last = nullptr;  // the last adjust() call's result, for the views ...
  std::uint64_t last_draft = 0;         // ... and the draft of this generation
  // The evaluation (PluginMemo::evaluation) whose state the view was last
  // made from or found equal to, on the declared fields.
  std::uint64_t verified = 0;
  // plugin_memo_results of them from the first result on; null: never filled.
  std::vector<std::unique_ptr<MemoSlot>> slots;
};

// The memo of one thread (PlannerScratch), with the draft of the evaluation
// running and its words, which start every key: the protocol's serial, the
// stage, cap, duration, flare restriction, planned techniques (run_plugins).
struct PluginMemo {
  SessionDraft draft;
  std::vector<std::unique_ptr<TechniqueMemo>> techniques;
  ViewSpares spares;             // what the views drop (fill_view)
  KeyWords key;                  // the draft's words, then those of the technique looked up
  std::size_t draft_words = 0;   // how many words are the draft's ...
  std::uint64_t generation = 0;  // ... and a number of their own
  std::uint64_t config_ids = 0;  // ConfigView::id's given so far
  // Starts the keys with `words`; false if the last evaluation's (its draft is kept).
  bool new_draft(const std::uint64_t* words, std::size_t count);

  // One comparison of the state for all techniques. When every memoised call
  // of evaluation `vouched` had its last call's inputs (a state that
  // repeats), the union of those techniques' declared state inputs (`all`)
  // and that state's values of them (`all_view`) are kept; a later state
  // equal to it on the union (vouched stays non-zero) gives each of them its
  // last result without comparing its own view. A varied state is never copied.
  // Measured on the bundled protocol, the same state: same_inputs 482
  // instructions an evaluation before, 1 comparison of the union after.
  DeclaredInputs all;
  ClientState all_view;
  std::vector<const DeclaredInputs*> touched;  // this evaluation's, while only_last
  std::uint64_t evaluation = 0, vouched = 0;   // vouched 0: nothing kept
  bool only_last = true;

  // Around an evaluation's calls of memoised_adjust().
  void begin(const ClientState& state);
  void end(const ClientState& state);
};

// `r` as a default TechniqueResult whose lists and strings keep their
// memory, before adjust() writes a slot taken over or the spare again
// (`= {}` freed them and the plugin allocated them again: fascia batch
// 506.8 M -> about 503 M instructions over 20,000 lines).
void reset_result(TechniqueResult& r) noexcept;

// adjust() of `entry` for this state, configuration (of the protocol whose
// serial is memo.key's first word) and memo.draft: from the memo, else through
// the noexcept boundary. Null when the plugin failed (`error` says why;
// nothing memoised). An undeclared technique (inputs() "everything") is
// called every time, into `spare` (one for each call of the evaluation).
// Between memo.begin() and memo.end(); every call of one technique in an
// evaluation has the same configuration, so the same key (run_plugins()).
const CheckedResult* memoised_adjust(const TechniqueEntry& entry, const ClientState& state,
                                     const Params& config, PluginMemo& memo, CheckedResult& spare,
                                     std::string& error);

}  // namespace fascia::detail
