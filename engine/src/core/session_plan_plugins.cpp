// SessionPlan: the technique plugins. Each planned technique's plugin
// fills in its parameters for today; a failing plugin or invalid
// parameters hold the technique. Home-program items of rules and plugins
// are merged here.
#include "core/session_plan.hpp"

#include "common/same_text.hpp"
#include "core/plugin_memo.hpp"

#include <algorithm>

namespace fascia::detail {

inline void SessionPlan::run_plugin(Planned& p, std::size_t& spare) {
  if (spare == scratch_.spare.size()) scratch_.spare.push_back(std::make_unique<CheckedResult>());
  p.result = memoised_adjust(*p.entry, s_, *p.config, scratch_.memo, *scratch_.spare[spare++],
                             scratch_.plugin_error);
#ifndef NDEBUG
  if (p.result) p.result->given_in = scratch_.memo.evaluation;  // checked by call()
#endif
  // The usual result: valid parameters, no hold, no warning.
  const CheckedResult* r = p.result;
  p.ok = r && !r->result.hold && r->problems.empty();
  if (!p.ok || !r->result.warnings.empty()) plugin_outcome(p, scratch_.plugin_error);
}

void SessionPlan::run_plugins() {
  // The last evaluation's draft, kept if its words are (strings keep their memory).
  PluginMemo& memo = scratch_.memo;
  // Its words: five, then the techniques' indices (in the thread's PlanLists).
  constexpr std::size_t first = 5;
  std::vector<std::uint64_t>& all = scratch_.lists.draft_words;
  all.resize(first + l_.planned.size());
  std::uint64_t* const words = all.data();
  words[0] = m_.serial;
  words[1] = record_.stage;
  words[2] = static_cast<std::uint64_t>(record_.pressure_cap);
  words[3] = static_cast<std::uint64_t>(record_.duration_minutes);
  words[4] = flare_restricted_;
  std::size_t count = first;
  for (const auto& p : l_.planned)
    if (!is_held(p.entry->info.id))
      words[count++] = static_cast<std::uint64_t>(p.configured - m_.techniques.data());
  if (memo.new_draft(words, count)) {
    SessionDraft& draft = memo.draft;
    draft.stage.assign(m_.stages[record_.stage].id);
    draft.pressure_cap = record_.pressure_cap;
    draft.duration_minutes = record_.duration_minutes;
    draft.flare_restricted = flare_restricted_;
    draft.techniques.resize(count - first);
    for (std::size_t i = first; i < count; ++i)
      draft.techniques[i - first].assign(m_.techniques[words[i]].entry->info.id);
  }
  // A technique is called at most once per evaluation with one key (a home
  // technique a rule adds is called again with the same key: a memo hit),
  // so no call takes over a slot whose result this evaluation reads: the
  // state and draft are the evaluation's, and a technique has one
  // configuration in it (a stage lists a technique once and no home
  // technique, technique_reader.cpp; a rule adds only what is not planned,
  // with the technique's own configuration, which the home loop uses too).
  // memoised_adjust() asserts it in debug builds (given_in).
  std::size_t spare = 0;
  memo.begin(s_);
  for (auto& p : l_.planned)
    if (!is_held(p.entry->info.id)) run_plugin(p, spare);
  for (const ConfiguredTechnique* t : m_.home_techniques)
    run_plugin(l_.home.emplace_back(*t, t->config), spare);
  memo.end(s_);
}

void SessionPlan::plugin_outcome(Planned& p, const std::string& error) {
  const TechniqueEntry& e = *p.entry;
  const std::string& id = e.info.id;
  // A valid result with warnings. check_result() has vetted the home-program
  // ids; the adjustments and items are emitted after the rules' own (see
  // emit_plugin_results()).
  if (p.ok) {
    for (const auto& w : p.result->result.warnings) warn(id + ": " + w);
    return;
  }
  // Checked before anything is used, a hold included (its rule id and
  // reason reach the recommendation).
  if (p.result && p.result->problems.empty()) {  // a valid result that holds its technique
    const TechniqueResult& res = p.result->result;
    own_hold(id, record_.text() = id + "." + (res.hold_rule.empty() ? "hold" : res.hold_rule),
             record_.text().assign(res.hold_reason), p.configured->source);
    return;
  }
  // A failed call or invalid parameters.
  const bool failed = !p.result;
  const std::string why = failed ? error : join(p.result->problems, "; ");
  const char* what = failed ? "failed" : "returned invalid parameters";
  own_hold(id, record_.text() = id + (failed ? ".plugin-error" : ".invalid-parameters"),
           record_.text() = e.info.display_name + " is held: its plugin " + what + " (" + why + ")",
           p.configured->source);
  warn("plugin '" + e.plugin->description.name + "' " + (failed ? "failed in adjust()" : what) +
       " for '" + id + "': " + why + "; technique held to be safe");
}

void SessionPlan::emit_plugin_results() {
  for (const auto* list : {&l_.planned, &l_.home})
    for (const Planned& p : *list) {
      if (!p.ok || is_held(p.entry->info.id)) continue;
      for (const auto& a : p.result->result.adjustments) {
        AdjustmentRecord& out = adjust(a.kind, p.entry->info.id, p.configured->source);
        out.rule_suffix = a.rule;
        out.suffixed = true;
        out.value = AdjustmentRecord::Value::plugin;
        out.reason = AdjustmentRecord::Reason::plugin;
        out.plugin = &a;
      }
      // The home technique's own items are the protocol's standing home plan,
      // like a stage's techniques: listed in the session, not as adjustments
      // (its notes above explain any change it made).
      for (const auto& item : p.result->result.home_program)
        add_home_item(item.id, item.parameters, nullptr);
    }
}

// Rule items come first. When a plugin also prescribes an item a rule
// asked for, the plugin's state-aware values (e.g. halved minutes in a
// flare) replace the item's defaults, but never what the rule set itself
// (`given`, null for a plugin's item). Items and parameters are pointed at,
// not copied (rendering writes them). Only for what is rendered.
void SessionPlan::add_home_item(const std::string& id, const Params& parameters,
                                const std::vector<std::string>* given) {
  HomeItems& home = l_.home_items;
  const std::size_t i = find_home_item(id);
  if (i == no_index) return home.items.push_back({id, given, &parameters});
  const std::vector<std::string>* fixed = home.items[i].given;
  for (const auto& p : parameters) {
    if (fixed && std::find(fixed->begin(), fixed->end(), p.name) != fixed->end()) continue;
    auto change = std::find_if(home.changes.begin(), home.changes.end(), [&](const auto& c) {
      return c.item == i && same_text(c.param->name, p.name);
    });
    if (change != home.changes.end())
      change->param = &p;
    else
      home.changes.push_back({i, &p});
  }
}

std::size_t SessionPlan::find_home_item(std::string_view id) const {
  const auto& items = l_.home_items.items;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (same_text(items[i].id, id)) return i;
  return no_index;
}

}  // namespace fascia::detail
