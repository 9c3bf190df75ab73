// The per-thread memo of adjust() results: see plugin_memo.hpp.
#include "core/plugin_memo.hpp"

#include "plugin_host/plugin_host.hpp"

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace fascia::detail {
namespace {

// More techniques than this on one thread (plugins loaded and dropped over
// a long run): the memo starts again.
constexpr std::size_t max_memoised_techniques = 64;

struct TechniqueMemo {
  std::uint64_t serial = 0;
  ClientState view;  // what adjust() sees: the declared fields only
  Params config;     // the declared configuration keys only
  std::unordered_map<std::string, TechniqueResult> results;
};

struct ThreadMemo {
  std::vector<std::unique_ptr<TechniqueMemo>> techniques;
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
};

thread_local ThreadMemo memo;

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
  ++m.calls;  // undone below when the memo answers
  if (entry.inputs.everything)
    return call_adjust(entry, TechniqueContext{state, config, draft}, result, error);
  if (m.busy) {  // a plugin evaluating a protocol: a view of its own, no memo
    ClientState view;
    Params config_view;
    fill_view(entry.inputs, state, view);
    fill_config_view(entry.inputs, config, config_view);
    return call_adjust(entry, TechniqueContext{view, config_view, draft}, result, error);
  }
  m.key.clear();
  append_key(entry.inputs, state, config, draft, m.key);
  TechniqueMemo& t = m.of(entry.serial);
  if (auto it = t.results.find(m.key); it != t.results.end()) {
    --m.calls;
    result = it->second;
    return true;
  }
  fill_view(entry.inputs, state, t.view);
  fill_config_view(entry.inputs, config, t.config);
  bool ok;
  {
    Busy busy(m.busy);
    ok = call_adjust(entry, TechniqueContext{t.view, t.config, draft}, result, error);
  }
  if (!ok) return false;
  if (t.results.size() >= plugin_memo_results) t.results.clear();
  t.results.emplace(m.key, result);
  return true;
}

std::size_t plugin_adjust_calls() noexcept { return memo.calls; }

}  // namespace fascia::detail
