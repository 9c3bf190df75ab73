// The per-thread memo of adjust() results: see plugin_memo.hpp. Each
// technique has up to plugin_memo_results slots on each thread, chosen by the
// key's hash (direct-mapped). They grow as distinct inputs arrive: a new
// input whose slot is taken doubles them (every result moves to hash % size,
// where no two collide: they did not at half the size) until there are
// plugin_memo_results; from then on it takes the slot over. The key is the
// draft's words, the configuration's address, then the declared fields of
// the state. A call with the last call's inputs skips the key; a hit
// allocates nothing.
#include "core/plugin_memo.hpp"

#include "core/plugin_result_checks.hpp"
#include "core/protocol_model.hpp"
#include "plugin_host/plugin_host.hpp"

#include <algorithm>

namespace fascia::detail {
namespace {

// More techniques than this on one thread (plugins loaded and dropped over
// a long run): the memo starts again.
constexpr std::size_t max_memoised_techniques = 64;

TechniqueMemo& technique_memo(PluginMemo& memo, std::uint64_t serial) {
  for (auto& t : memo.techniques)
    if (t->serial == serial) return *t;
  if (memo.techniques.size() >= max_memoised_techniques) memo.techniques.clear();
  auto& added = memo.techniques.emplace_back(std::make_unique<TechniqueMemo>());
  added->serial = serial;
  return *added;
}

// The slot of hash `h` (made if there is none), the slots doubled while it
// is another input's (only on a miss: kept out of the hit path).
[[gnu::noinline]] MemoSlot& slot_for(TechniqueMemo& t, std::uint64_t h) {
  if (t.slots.empty()) t.slots.resize(plugin_memo_first_slots);
  while (true) {
    auto& slot = t.slots[h & (t.slots.size() - 1)];  // h % size: a power of two
    if (!slot || slot->hash == h || t.slots.size() >= plugin_memo_results)
      return slot ? *slot : *(slot = std::make_unique<MemoSlot>());
    std::vector<std::unique_ptr<MemoSlot>> doubled(t.slots.size() * 2);
    for (auto& s : t.slots)
      if (s) doubled[s->hash & (doubled.size() - 1)] = std::move(s);
    t.slots = std::move(doubled);
  }
}

const CheckedResult* call(const TechniqueEntry& entry, const TechniqueContext& context,
                          CheckedResult& out, std::string& error) {
  out.result = {};
  if (!call_adjust(entry, context, out.result, error)) return nullptr;
  out.problems = check_result(entry, out.result);
  return &out;
}

}  // namespace

bool PluginMemo::new_draft(const std::uint64_t* words, std::size_t count) {
  if (count == draft_words && std::equal(words, words + count, key.begin())) return false;
  key.assign(words, words + count);
  draft_words = count;
  ++generation;
  return true;
}

void PluginMemo::new_state(const ProtocolModel& model, const ClientState& s) {
  if (state_of != model.serial) {
    state.inputs = {};
    for (const auto& t : model.techniques)
      if (!t.entry->inputs.everything) state.add(t.entry->inputs);
    state_of = model.serial;
  }
  state.seen(s);
}

const CheckedResult* memoised_adjust(const TechniqueEntry& entry, const ClientState& state,
                                     const Params& config, PluginMemo& memo, CheckedResult& spare,
                                     std::string& error) {
  if (entry.inputs.everything)
    return call(entry, TechniqueContext{state, config, memo.draft}, spare, error);
  TechniqueMemo& t = technique_memo(memo, entry.serial);
  const std::uint64_t model = memo.key.front(), last_state = t.last_state;
  // The last call's inputs (or none the protocol declares changed since): no key.
  t.last_state = memo.state.generation;
  if (t.last && t.last_draft == memo.generation && t.config_of == &config &&
      t.config_model == model &&
      (last_state == t.last_state || same_inputs(entry.inputs, state, t.view)))
    return t.last;
  // The views become this call's, whatever its result.
  fill_view(entry.inputs, state, t.view);
  if (t.config_of != &config || t.config_model != model) {
    fill_config_view(entry.inputs, config, t.config);
    t.config_of = &config;
    t.config_model = model;
  }
  t.last_draft = memo.generation;
  memo.key.resize(memo.draft_words);
  memo.key.push_back(reinterpret_cast<std::uintptr_t>(&config));
  append_key(entry.inputs, state, memo.key);
  const std::uint64_t h = key_hash(memo.key);
  if (!t.slots.empty()) {
    const MemoSlot* slot = t.slots[h & (t.slots.size() - 1)].get();
    if (slot && slot->hash == h &&
        std::equal(slot->key.begin(), slot->key.end(), memo.key.begin(), memo.key.end()))
      return t.last = &slot->value;
  }
  MemoSlot& slot = slot_for(t, h);
  slot.key.clear();  // not a valid key until the result is complete
  slot.hash = h;
  t.last = call(entry, TechniqueContext{t.view, t.config, memo.draft}, slot.value, error);
  if (t.last) slot.key.assign(memo.key.begin(), memo.key.end());
  return t.last;
}

}  // namespace fascia::detail
