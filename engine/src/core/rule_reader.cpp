#include "common/ids.hpp"
#include "core/protocol_reader.hpp"
#include "core/reserved_rule_ids.hpp"

#include <algorithm>

namespace fascia::detail {

namespace {

std::size_t items_of(const yaml::Node* list) {
  return list && list->is_sequence() ? list->items.size() : 0;
}

}  // namespace

// The rule list and the rules' pending parts in one allocation each, not
// grown one doubling at a time (the bundled protocol's 43 rules took seven
// allocations and moved 63 rules). Items that turn out not to be rules only
// leave room unused; never more than the protocol's rule limit.
void ProtocolReader::reserve_rules(const yaml::Node& root) {
  std::size_t count = 0;
  for (const char* key : {"pressure_caps", "flare_response", "rules", "healing_response"})
    count += items_of(root.find(key));
  if (const auto* stages = root.find("stages"); stages && stages->is_sequence())
    for (const auto& s : stages->items)
      for (const char* key : {"advance", "hold", "regress"}) count += items_of(s.find(key));
  if (const auto* frequency = root.find("frequency"))
    for (const char* key : {"step_down", "step_up"}) count += items_of(frequency->find(key));
  count = std::min(count, limits_.max_rules);
  model_.rules.reserve(count);
  pending_.reserve(count);
}

void ProtocolReader::read_rules(const yaml::Node& node, std::string_view section, RuleFamily family,
                                std::vector<std::size_t>& out) {
  if (!reader_.expect_sequence(node, section)) return;
  for (const auto& r : node.items) {
    const bool actions = family == RuleFamily::pressure_caps ||
                         family == RuleFamily::flare_response || family == RuleFamily::general;
    std::vector<std::string_view> required = {"id", "when", "reason"};
    if (family == RuleFamily::pressure_caps) required.push_back("cap");
    if (family == RuleFamily::healing_response) required.push_back("suppresses");
    // Stage and frequency rules carry no actions: the change is their action.
    bool shaped = false;
    if (family == RuleFamily::healing_response)
      shaped =
          reader_.expect_mapping(r, "rule", {"id", "when", "reason", "priority", "suppresses"});
    else if (actions)
      shaped = reader_.expect_mapping(
          r, "rule",
          {"id", "when", "reason", "priority", "red_flag", "cap", "duration_minutes",
           "postpone_days", "hold_techniques", "only_techniques", "only_flare_safe",
           "add_techniques", "refer", "check_in", "note", "home_program"});
    else
      shaped = reader_.expect_mapping(
          r,
          family == RuleFamily::frequency_step_down || family == RuleFamily::frequency_step_up
              ? "frequency rule (no actions: the step is its action)"
              : "stage rule (no actions: the stage change is its action)",
          {"id", "when", "reason", "priority", "red_flag"});
    if (!shaped || !has_required(r, required)) continue;
    model_.rules.emplace_back();
    Rule& rule = model_.rules.back();
    rule.family = family;
    rule.source = source_line(r);
    PendingRule pending{
        model_.rules.size() - 1, &r, nullptr, nullptr, nullptr, nullptr, nullptr, {}};
    if (const auto* n = r.find("id"))
      if (auto v = reader_.string(*n, "rule id")) {
        if (!is_valid_id(IdKind::rule, *v))
          reader_.error(
              *n, "rule id '" + *v + "' may only use " + std::string(id_characters(IdKind::rule)));
        else if (auto form = reserved_rule_id_form(*v, plugins_))
          reader_.error(*n, "rule id '" + *v + "' " + *form);
        if (auto [it, fresh] = rule_ids_.emplace(*v, reader_.location(*n)); !fresh)
          reader_.error(*n, "duplicate rule id '" + *v + "' (first defined at " +
                                it->second.to_string() + ")");
        rule.id = *v;
      }
    if (const auto* n = r.find("priority"))
      if (auto v = reader_.integer(*n, "priority", -1000, 1000)) rule.priority = int(*v);
    if (const auto* n = r.find("red_flag"))
      if (auto v = reader_.boolean(*n, "red_flag")) {
        if (!*v)
          reader_.error(*n, "red_flag can only be true (omit it otherwise)");
        else if (family == RuleFamily::stage_advance || family == RuleFamily::frequency_step_down)
          reader_.error(*n,
                        "an advance or step_down rule is an escalation and cannot be a red "
                        "flag; mark the stage's hold rule or an action rule instead");
        else
          rule.red_flag = true;
      }
    pending.when = r.find("when");
    pending.reason = r.find("reason");
    if (actions) read_actions(r, rule, pending, family);
    if (family == RuleFamily::healing_response) {
      if (const auto* s = r.find("suppresses"); s && reader_.expect_sequence(*s, "suppresses"))
        for (const auto& item : s->items) pending.suppresses.push_back(&item);
    }
    pending_.push_back(pending);
    out.push_back(pending.index);
  }
}

bool ProtocolReader::has_required(const yaml::Node& r,
                                  const std::vector<std::string_view>& required) {
  bool ok = true;
  for (auto key : required)
    if (!r.find(key)) {
      reader_.error(r, "missing required key '" + std::string(key) + "' in rule" +
                           (r.find("id") ? " '" + r.find("id")->value + "'" : std::string()));
      ok = false;
    }
  return ok;
}

void ProtocolReader::read_actions(const yaml::Node& r, Rule& rule, PendingRule& pending,
                                  RuleFamily family) {
  bool any = false;
  pending.cap = r.find("cap");
  pending.duration = r.find("duration_minutes");
  pending.postpone = r.find("postpone_days");
  any = pending.cap || pending.duration || pending.postpone;
  auto technique_list = [&](const char* key, std::vector<std::string>& out) {
    const auto* n = r.find(key);
    if (!n) return false;
    auto list = reader_.string_list(*n, key);
    if (!list) return true;
    if (list->empty()) reader_.error(*n, std::string(key) + " must name at least one technique");
    for (std::size_t i = 0; i < list->size(); ++i)
      if (use_technique(n->items[i], (*list)[i])) out.push_back((*list)[i]);
    return true;
  };
  any |= technique_list("hold_techniques", rule.hold_techniques);
  std::vector<std::string> only;
  if (technique_list("only_techniques", only)) {
    rule.only_techniques = only;
    any = true;
  }
  any |= technique_list("add_techniques", rule.add_techniques);
  if (const auto* n = r.find("only_flare_safe")) {
    any = true;
    if (auto v = reader_.boolean(*n, "only_flare_safe")) {
      if (!*v) reader_.error(*n, "only_flare_safe can only be true (omit it otherwise)");
      rule.only_flare_safe = *v;
    }
  }
  auto text = [&](const char* key, std::string& out) {
    if (const auto* n = r.find(key)) {
      any = true;
      if (auto v = reader_.string(*n, key)) out = *v;
    }
  };
  text("refer", rule.refer);
  text("check_in", rule.check_in);
  text("note", rule.note);
  if (const auto* n = r.find("home_program")) {
    any = true;
    read_home_program(*n, rule);
  }
  if (!any && family != RuleFamily::pressure_caps)
    reader_.error(r, "rule" + (rule.id.empty() ? std::string() : " '" + rule.id + "'") +
                         " has no action; give at least one of: cap, duration_minutes, "
                         "postpone_days, hold_techniques, only_techniques, only_flare_safe, "
                         "add_techniques, refer, check_in, note, home_program");
}

}  // namespace fascia::detail
