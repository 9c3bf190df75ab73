// The per-thread memo of adjust() results: see plugin_memo.hpp. Each
// technique has plugin_memo_results slots on each thread, two-way: a key's
// result is in the slot at its hash % size or that slot's neighbour; a new
// input whose pair is full takes over the pair's older result. The key is the draft's words, the
// configuration's number (ConfigView::id), then the declared fields of the state. A call with the
// last call's inputs skips the key; a hit allocates nothing.
#include "core/plugin_memo.hpp"

#include "core/plugin_result_checks.hpp"
#include "plugin_host/plugin_host.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace fascia::detail {

void reset_result(TechniqueResult& r) noexcept {
#if defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI && !defined(_GLIBCXX_DEBUG)
  static_assert(sizeof(TechniqueResult) == 4 * sizeof(std::vector<int>) + 2 * sizeof(std::string) +
                                               2 * sizeof(std::int64_t),
                "a new TechniqueResult member: reset it here");
#endif
  r.parameters.clear();
  r.pressure_max.reset();
  r.hold = false;
  r.hold_rule.clear();
  r.hold_reason.clear();
  r.adjustments.clear();
  r.home_program.clear();
  r.warnings.clear();
}

namespace {

// More techniques than this on one thread (engines made and dropped over a
// long run): the memo starts again, between evaluations (PluginMemo::begin),
// never during one, whose plan holds the results it was given.
constexpr std::size_t max_memoised_techniques = 64;

TechniqueMemo& technique_memo(PluginMemo& memo, std::uint64_t serial) {
  for (auto& t : memo.techniques)
    if (t->serial == serial) return *t;
  auto& added = memo.techniques.emplace_back(std::make_unique<TechniqueMemo>());
  added->serial = serial;
  return *added;
}

// More configurations than this for one technique (protocols loaded and
// dropped over a long run): its configuration views start again.
constexpr std::size_t max_config_views = 16;

// The index of the view of `config` in t.configs, made (with a new number)
// if there is none.
std::size_t config_view(TechniqueMemo& t, const DeclaredInputs& inputs, const Params& config,
                        std::uint64_t model, std::uint64_t& ids) {
  for (std::size_t i = 0; i < t.configs.size(); ++i)
    if (t.configs[i].of == &config && t.configs[i].model == model) return i;
  if (t.configs.size() >= max_config_views) {
    t.configs.clear();
    t.last = nullptr;  // its configuration's view is gone (its result stays in its slot)
  }
  // Its number is never given again: a key of a dropped view matches nothing.
  ConfigView& added = t.configs.emplace_back(ConfigView{&config, model, ++ids, {}});
  fill_config_view(inputs, config, added.view);
  return t.configs.size() - 1;
}

// The hash of `key`: every bit of every word reaches the low bits the slot
// is chosen by (numbers often differ in high bits only).
std::uint64_t hash(const KeyWords& key) noexcept {
  std::uint64_t h = 0;
#pragma GCC unroll 4  // the loop's own instructions were a third of the hash's
  for (const std::uint64_t word : key) h = std::rotl((h ^ word) * 0x9E3779B97F4A7C15ULL, 29);
  h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDULL;  // MurmurHash3's finaliser
  h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 33);
}

// The slot of hash `h` (made if there is none), in its pair of slots (the
// one at h % size or its neighbour, two-way), or the pair's older result
// taken over.
MemoSlot& slot_for(TechniqueMemo& t, std::uint64_t h) {
  if (t.slots.empty()) t.slots.resize(plugin_memo_results);  // 4 KB of null pointers
  const std::size_t home = h & (t.slots.size() - 1);         // h % size: a power of two
  auto& first = t.slots[home];
  auto& second = t.slots[home ^ 1];
  if (!first) return *(first = std::make_unique<MemoSlot>());
  if (first->hash == h) return *first;
  if (!second) return *(second = std::make_unique<MemoSlot>());
  if (second->hash == h) return *second;
  // The takeover. It never hits a result the running evaluation was given,
  // which its plan reads until rendered, because every call of a technique
  // in one evaluation has one key (one configuration: see run_plugins()).
  // Two keys could: a pair filled in turn keeps the newer in `second`, the
  // one taken over here (a stage listing a technique twice, with two
  // configurations, showed the first the second's parameters). call()
  // asserts it in debug builds.
  std::swap(first, second);  // the newer result stays, in the other slot
  return *first;
}

const CheckedResult* call(const TechniqueEntry& entry, const TechniqueContext& context,
                          CheckedResult& out, [[maybe_unused]] std::uint64_t evaluation,
                          std::string& error) {
  assert(out.given_in != evaluation && "a result this evaluation holds is written (slot_for)");
  reset_result(out.result);
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

void PluginMemo::begin(const ClientState& state) {
  ++evaluation;
  if (techniques.size() >= max_memoised_techniques) {
    techniques.clear();
    vouched = 0;  // nothing kept: no union comparison
  }
  only_last = true;
  touched.clear();
  if (vouched != 0 && !same_inputs(all, state, all_view))
    vouched = 0;  // a varied state is compared once, not again
}

void PluginMemo::end(const ClientState& state) {
  if (vouched != 0 || !only_last || touched.empty()) return;
  all = DeclaredInputs{};
  all.everything = false;
  for (const DeclaredInputs* in : touched) {
    all.fields |= in->fields;
    all.history |= in->history;
    all.last |= in->last;
    // A name two techniques declare is compared twice, still correctly.
    all.observations.insert(all.observations.end(), in->observations.begin(),
                            in->observations.end());
  }
  fill_view(all, state, all_view, spares);
  vouched = evaluation;
}

const CheckedResult* memoised_adjust(const TechniqueEntry& entry, const ClientState& state,
                                     const Params& config, PluginMemo& memo, CheckedResult& spare,
                                     std::string& error) {
  if (entry.inputs.everything)
    return call(entry, TechniqueContext{state, config, memo.draft}, spare, memo.evaluation, error);
  TechniqueMemo& t = technique_memo(memo, entry.serial);
  const std::uint64_t model = memo.key.front();
  // The inputs of the last call made (its views): its result, with no key.
  // The views are filled only when adjust() is called, so a varied state
  // costs one failed comparison more than the key alone (measured:
  // filling them on every miss cost batch evaluation 10 %).
  if (t.last && t.last_draft == memo.generation && t.configs[t.config].of == &config &&
      t.configs[t.config].model == model) {
    if (memo.vouched != 0 && t.verified == memo.vouched) return t.last;  // in the union
    if (same_inputs(entry.inputs, state, t.view)) {
      t.verified = memo.evaluation;
      if (memo.only_last) memo.touched.push_back(&entry.inputs);
      return t.last;
    }
  }
  memo.only_last = false;
  const std::size_t c = config_view(t, entry.inputs, config, model, memo.config_ids);
  memo.key.resize(memo.draft_words);
  memo.key.push_back(t.configs[c].id);
  append_key(entry.inputs, state, memo.key);
  const std::uint64_t h = hash(memo.key);
  MemoSlot& slot = slot_for(t, h);
  if (slot.hash == h && slot.key == memo.key) return &slot.value;  // t.last stays the views' result
  fill_view(entry.inputs, state, t.view, memo.spares);
  t.verified = memo.evaluation;
  t.config = c;
  t.last_draft = memo.generation;
  slot.key.clear();  // not a valid key until the result is complete
  slot.hash = h;
  t.last = call(entry, TechniqueContext{t.view, t.configs[t.config].view, memo.draft}, slot.value,
                memo.evaluation, error);
  if (t.last) slot.key.assign(memo.key.begin(), memo.key.end());
  return t.last;
}

}  // namespace fascia::detail
