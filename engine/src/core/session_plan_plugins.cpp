// SessionPlan: the technique plugins. Each planned technique's plugin
// fills in its parameters for today; a failing plugin or invalid
// parameters hold the technique. Home-program items of rules and plugins
// are merged here.
#include "core/session_plan.hpp"

#include "core/plugin_memo.hpp"

#include <algorithm>

namespace fascia::detail {

void SessionPlan::run_plugins() {
  // The draft and its ids are the scratch's from the last evaluation:
  // assigned over, they keep their memory.
  SessionDraft& draft = scratch_.draft;
  draft.stage.assign(m_.stages[stage_].id);
  draft.pressure_cap = cap_;
  draft.duration_minutes = duration_;
  draft.flare_restricted = flare_restricted_;
  std::size_t count = 0;
  for (auto& p : planned_) {
    if (is_held(p.entry->info.id)) continue;
    p.result = &scratch_.next_result(results_used_);
    // A reused recommendation lends its parameter lists' memory.
    if (p.draft_index = count; p.draft_index < r_.session.techniques.size()) {
      p.result->parameters.swap(r_.session.techniques[p.draft_index].parameters);
      p.result->parameters.clear();
    }
    if (count < draft.techniques.size())
      draft.techniques[count].assign(p.entry->info.id);
    else
      draft.techniques.push_back(p.entry->info.id);
    ++count;
  }
  draft.techniques.resize(count);
  for (auto& p : planned_) {
    if (is_held(p.entry->info.id)) continue;
    run_plugin(p, draft);
  }
  for (const auto& t : m_.techniques) {
    if (t.entry->info.kind != TechniqueKind::home) continue;
    Planned& p = home_.emplace_back(t, t.config);
    p.result = &scratch_.next_result(results_used_);
    run_plugin(p, draft);
  }
}

void SessionPlan::run_plugin(Planned& p, const SessionDraft& draft) {
  const TechniqueEntry& e = *p.entry;
  const std::string& id = e.info.id;
  std::string error;
  if (!memoised_adjust(e, s_, *p.config, draft, *p.result, error)) {
    own_hold(id, id + ".plugin-error",
             e.info.display_name + " is held: its plugin failed (" + error + ")",
             p.configured->source);
    warn("plugin '" + e.plugin->description.name + "' failed in adjust() for '" + id +
         "': " + error + "; technique held to be safe");
    return;
  }
  TechniqueResult& res = *p.result;
  // Checked before anything is used, a hold included (its rule id and
  // reason reach the recommendation); text is built only for problems.
  std::vector<std::string> problems;
  if (!result_ok(e, res)) problems = check_result(e, res);
  if (res.hold && problems.empty()) {
    own_hold(id, id + "." + (res.hold_rule.empty() ? std::string("hold") : res.hold_rule),
             res.hold_reason, p.configured->source);
    return;
  }
  if (!problems.empty()) {
    std::string joined;
    for (const auto& pr : problems) joined += (joined.empty() ? "" : "; ") + pr;
    own_hold(
        id, id + ".invalid-parameters",
        e.info.display_name + " is held: its plugin returned invalid parameters (" + joined + ")",
        p.configured->source);
    warn("plugin '" + e.plugin->description.name + "' returned invalid parameters for '" + id +
         "': " + joined + "; technique held to be safe");
    return;
  }
  // check_result() has vetted the home-program ids; the adjustments and
  // items are emitted after the rules' own (see emit_plugin_results()).
  p.ok = true;
  for (auto& w : res.warnings) warn(id + ": " + w);
}

void SessionPlan::emit_plugin_results() {
  for (auto& p : planned_) emit_plugin_result(p);
  for (auto& p : home_) emit_plugin_result(p);
}

void SessionPlan::emit_plugin_result(Planned& p) {
  if (!p.ok || is_held(p.entry->info.id)) return;
  const std::string& id = p.entry->info.id;
  for (auto& a : p.result->adjustments) {
    AdjustmentRecord& out = adjust(a.kind, id, p.configured->source);
    out.rule_suffix = a.rule;
    out.suffixed = true;
    out.value = AdjustmentRecord::Value::plugin;
    out.reason = AdjustmentRecord::Reason::plugin;
    out.plugin = &a;
  }
  // The home technique's own items are the protocol's standing home plan,
  // like a stage's techniques: listed in the session, not as adjustments
  // (its notes above explain any change it made).
  for (auto& item : p.result->home_program) add_plugin_home_item(item);
}

// Rule items come first. When a plugin also prescribes an item a rule
// asked for, the plugin's state-aware values (e.g. halved minutes in a
// flare) replace the item's defaults, but never what the rule set itself.
// A new item is appended: a rule's is copied from the protocol, a plugin's
// taken over from its result.
void SessionPlan::add_plugin_home_item(HomeProgramItem& item) {
  if (const std::size_t i = find_home_item(item.id); i != no_index) {
    for (auto& p : item.parameters)
      if (!fixed_by_rule(i, p.name))
        set_param(r_.session.home_program[i].parameters, p.name, std::move(p.value));
    return;
  }
  HomeProgramItem& out = new_home_item(nullptr);
  out.id = std::move(item.id);
  out.parameters = std::move(item.parameters);
}

void SessionPlan::add_rule_home_item(const HomeProgramRequest& item) {
  if (const std::size_t i = find_home_item(item.id); i != no_index) {
    for (const auto& p : item.parameters)
      if (!fixed_by_rule(i, p.name))
        set_param(r_.session.home_program[i].parameters, p.name, p.value);
    return;
  }
  HomeProgramItem& out = new_home_item(&item.given);
  out.id = item.id;
  out.parameters = item.parameters;
}

std::size_t SessionPlan::find_home_item(std::string_view id) const {
  for (std::size_t i = 0; i < r_.session.home_program.size(); ++i)
    if (same_text(r_.session.home_program[i].id, id)) return i;
  return no_index;
}

bool SessionPlan::fixed_by_rule(std::size_t item, const std::string& parameter) const {
  const std::vector<std::string>* fixed = home_given_[item];
  return fixed && std::find(fixed->begin(), fixed->end(), parameter) != fixed->end();
}

HomeProgramItem& SessionPlan::new_home_item(const std::vector<std::string>* given) {
  auto& items = r_.session.home_program;
  if (items.empty()) items.reserve(8);
  home_given_.push_back(given);
  return items.emplace_back();
}

}  // namespace fascia::detail
