// The per-thread memo of adjust() results: see plugin_memo.hpp.
//
// Each technique has plugin_memo_results slots on each thread, chosen by the
// hash of the key (direct-mapped: a new input takes its slot over). A slot
// keeps its key's and its result's memory, so a lookup, a hit and a miss
// allocate little. The draft part of the key is the same for every technique
// of one evaluation: it is built once per distinct draft.
#include "core/plugin_memo.hpp"

#include "plugin_host/plugin_host.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace fascia::detail {
namespace {

// More techniques than this on one thread (plugins loaded and dropped over
// a long run): the memo starts again.
constexpr std::size_t max_memoised_techniques = 64;

struct Slot {
  std::string key;  // empty: never filled (a real key is never empty)
  TechniqueResult result;
};

struct TechniqueMemo {
  std::uint64_t serial = 0;
  ClientState view;  // what adjust() sees: the declared fields only
  Params config;     // the declared configuration keys only
  std::vector<Slot> slots = std::vector<Slot>(plugin_memo_results);
};

struct ThreadMemo {
  std::vector<std::unique_ptr<TechniqueMemo>> techniques;
  SessionDraft draft;  // the draft `draft_key` was built from
  std::string draft_key;
  std::string key;
  bool busy = false;  // inside adjust(): a nested evaluation does not use the memo
  std::size_t calls = 0;

  TechniqueMemo& of(std::uint64_t serial) {
    for (auto& t : techniques)
      if (t->serial == serial) return *t;
    if (techniques.size() >= max_memoised_techniques) techniques.clear();
    auto& added = techniques.emplace_back(std::make_unique<TechniqueMemo>());
    added->serial = serial;
    return *added;
  }

  void key_draft(const SessionDraft& d) {
    if (!draft_key.empty() && d.stage == draft.stage && d.pressure_cap == draft.pressure_cap &&
        d.duration_minutes == draft.duration_minutes &&
        d.flare_restricted == draft.flare_restricted && d.techniques == draft.techniques)
      return;
    draft = d;
    draft_key.clear();
    append_draft_key(d, draft_key);
  }
};

thread_local ThreadMemo memo;

// The view of the configuration already holds these values (it usually
// does: a technique's configuration is the same for every state).
bool config_view_current(const DeclaredInputs& inputs, const Params& config, const Params& view) {
  for (const auto& name : inputs.config_keys) {
    const ParamValue* want = find_param(config, name);
    const ParamValue* have = find_param(view, name);
    if ((want == nullptr) != (have == nullptr) || (want && !(*want == *have))) return false;
  }
  return true;
}

struct Busy {
  explicit Busy(bool& flag) : flag_(flag) { flag_ = true; }
  ~Busy() { flag_ = false; }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;
  bool& flag_;
};

}  // namespace

bool memoised_adjust(const TechniqueEntry& entry, const ClientState& state, const Params& config,
                     const SessionDraft& draft, TechniqueResult& result, std::string& error) {
  ThreadMemo& m = memo;
  if (entry.inputs.everything) {
    ++m.calls;
    return call_adjust(entry, TechniqueContext{state, config, draft}, result, error);
  }
  if (m.busy) {  // a plugin evaluating a protocol: a view of its own, no memo
    ++m.calls;
    ClientState view;
    Params config_view;
    fill_view(entry.inputs, state, view);
    fill_config_view(entry.inputs, config, config_view);
    return call_adjust(entry, TechniqueContext{view, config_view, draft}, result, error);
  }
  m.key_draft(draft);
  m.key.assign(m.draft_key);
  append_key(entry.inputs, state, config, m.key);
  TechniqueMemo& t = m.of(entry.serial);
  Slot& slot = t.slots[std::hash<std::string_view>{}(m.key) % t.slots.size()];
  if (slot.key == m.key) {
    result = slot.result;
    return true;
  }
  ++m.calls;
  fill_view(entry.inputs, state, t.view);
  if (!config_view_current(entry.inputs, config, t.config))
    fill_config_view(entry.inputs, config, t.config);
  bool ok;
  {
    Busy busy(m.busy);
    ok = call_adjust(entry, TechniqueContext{t.view, t.config, draft}, result, error);
  }
  if (!ok) return false;
  slot.key.clear();  // not a valid key while the result is half copied
  slot.result = result;
  slot.key = m.key;
  return true;
}

std::size_t plugin_adjust_calls() noexcept { return memo.calls; }

}  // namespace fascia::detail
