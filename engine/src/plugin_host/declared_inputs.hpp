#pragma once
// What a technique's adjust() reads (Technique::inputs(), plugin ABI 2),
// checked at load and compiled into bit sets; the memo key and the view of
// the client state and configuration adjust() is given are built from it.
// A field is in the key exactly when it is in the view, so a result can
// never depend on anything the key leaves out.

#include <fascia/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fascia::detail {

struct DeclaredInputs {
  bool everything = true;     // not declared: the whole state, not memoised
  std::uint32_t fields = 0;   // one bit per top-level field (declared_inputs.cpp)
  std::uint32_t history = 0;  // one bit per history-entry field, every entry
  std::uint32_t last = 0;     // one bit per history-entry field, the newest entry
  std::vector<std::string> observations;
  std::vector<std::string> config_keys;
};

// Compiles `inputs`; each unknown state field or configuration key adds one
// message (naming it, the closest known name and where the list is) to
// `problems`.
DeclaredInputs compile_inputs(const TechniqueInputs& inputs,
                              const std::vector<ConfigField>& config_schema,
                              std::vector<std::string>& problems);

// A memo key: the declared inputs as 64-bit words (plugin_memo.cpp).
using KeyWords = std::vector<std::uint64_t>;

// Appends the declared fields of `state` to `key`: equal words mean equal
// views of the state. (The configuration is keyed by which protocol's
// configuration it is: it does not change while the protocol is loaded.)
void append_key(const DeclaredInputs& inputs, const ClientState& state, KeyWords& key);

// What views drop, kept with its memory for the next ones (one per thread,
// PluginMemo): history entries and technique names.
struct ViewSpares {
  std::vector<HistoryEntry> entries;
  std::vector<std::string> names;
};

// Resizes `v` to `n`: the elements it drops are moved to `spare` and those
// it adds taken from there, so that their strings and lists keep their
// memory (a state's history shorter than the last one's, then longer, made
// its entries and names again: fascia batch 0.45 allocations a line).
template <class T>
void resize_keeping(std::vector<T>& v, std::size_t n, std::vector<T>& spare) {
  for (; v.size() > n; v.pop_back()) spare.push_back(std::move(v.back()));
  while (v.size() < n) {
    if (spare.empty()) {
      v.emplace_back();
      continue;
    }
    v.push_back(std::move(spare.back()));
    spare.pop_back();
  }
}

// Writes the declared fields of `state` into `view` and resets every other
// field of it to its default; the same for the configuration keys.
void fill_view(const DeclaredInputs& inputs, const ClientState& state, ClientState& view,
               ViewSpares& spares);
void fill_config_view(const DeclaredInputs& inputs, const Params& config, Params& view);

// Whether the declared fields of `state` are those of `view` (filled by
// fill_view() with the same inputs): exactly when append_key() would write
// the same words for both, without writing them.
bool same_inputs(const DeclaredInputs& inputs, const ClientState& state, const ClientState& view);

// The names a technique may declare, for messages and docs.
std::vector<std::string> declarable_state_fields();

}  // namespace fascia::detail
