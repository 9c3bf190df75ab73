#include "core/lint_floor_checks.hpp"

#include "core/lint_questions.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace fascia::detail {

namespace {

class FloorChecks {
 public:
  FloorChecks(const ProtocolModel& model, const StateSampler& sampler, const LintLocations& where,
              Diagnostics& out)
      : model_(model), sampler_(sampler), where_(where), out_(out) {
    for (const auto* family : {&model_.caps, &model_.flare, &model_.general})
      for (std::size_t i : *family) action_rules_.push_back(&model_.rules[i]);
    for (std::size_t i : model_.step_up) step_ups_.push_back(&model_.rules[i]);
  }

  void run() {
    for (std::size_t s = 0; s < model_.stages.size(); ++s) {
      check_flare_safe_stage(s);
      check_advance(s);
    }
    for (const Rule* r : action_rules_) check_added_techniques(*r);
    for (std::size_t i : model_.step_down) check_taper(model_.rules[i]);
    for (std::size_t i : model_.healing) check_healing(model_.rules[i]);
  }

 private:
  void warn(SourceLocation where, const std::string& message) {
    add_lint_warning(out_, model_.lint_ignore, LintCode::safety_floor, std::move(where),
                     std::string(floor_warning_prefix) + message);
  }

  static bool is_red_flag_action(const Rule& r) {
    return !r.refer.empty() || r.family == RuleFamily::flare_response || r.postpone_days ||
           r.red_flag;
  }

  // Does some rule hold `technique` in state `s`?
  bool held(const std::string& technique, const ClientState& s) const {
    for (const Rule* r : action_rules_) {
      const bool holds =
          std::find(r->hold_techniques.begin(), r->hold_techniques.end(), technique) !=
              r->hold_techniques.end() ||
          (r->only_techniques && std::find(r->only_techniques->begin(), r->only_techniques->end(),
                                           technique) == r->only_techniques->end()) ||
          (r->only_flare_safe && !flare_safe(technique));
      if (holds && fires(*r, s)) return true;
    }
    return false;
  }

  bool flare_safe(const std::string& technique) const {
    const auto* t = model_.technique(technique);
    return t && t->entry->info.flare_safe;
  }

  // The referral rule that fires in `s` (null: none).
  const Rule* referral(const ClientState& s) const {
    for (const Rule* r : action_rules_)
      if (!r->refer.empty() && fires(*r, s)) return r;
    return nullptr;
  }

  bool any(const std::vector<std::size_t>& rules, const ClientState& s) const {
    for (std::size_t i : rules)
      if (fires(model_.rules[i], s)) return true;
    return false;
  }

  std::vector<const Rule*> with_referrals(std::vector<const Rule*> rules) const {
    for (const Rule* r : action_rules_)
      if (!r->refer.empty()) rules.push_back(r);
    return rules;
  }

  // A stage planning a technique that is not flare-safe, in a flare, with no
  // rule holding it.
  void check_flare_safe_stage(std::size_t index) {
    const Stage& stage = model_.stages[index];
    std::vector<const Rule*> rules(action_rules_);
    for (const auto& t : stage.techniques) {
      const std::string& id = t.entry->info.id;
      if (t.entry->info.flare_safe || t.entry->info.kind != TechniqueKind::in_session) continue;
      const auto found = find_state(
          model_, sampler_, "floor/flare-safe/" + stage.id + "/" + id, fields_of(rules),
          [&stage](ClientState& c) {
            c.program.stage = stage.id;
            c.flare.active = true;
          },
          [&](const ClientState& s) { return !held(id, s); });
      if (!found) continue;
      warn(stage.location, "stage '" + stage.id + "' plans '" + id +
                               "', which is not flare-safe, during an active flare with no rule "
                               "holding it (for example when flare.active = true, "
                               "flare.severity = " +
                               format_value(Value::make_number(found->flare.severity)) +
                               "); the engine holds it: only flare-safe techniques in a flare");
    }
  }

  // Advancing during a flare, or beside a red flag.
  void check_advance(std::size_t index) {
    const Stage& stage = model_.stages[index];
    if (index + 1 >= model_.stages.size()) return;
    for (std::size_t a : stage.advance) {
      const Rule& advance = model_.rules[a];
      auto can_advance = [&](const ClientState& s) {
        return fires(advance, s) && !any(stage.hold, s) && (index == 0 || !any(stage.regress, s));
      };
      std::vector<const Rule*> rules{&advance};
      const auto in_flare = find_state(
          model_, sampler_, "floor/advance-in-flare/" + advance.id, fields_of(rules),
          [&stage](ClientState& c) {
            c.program.stage = stage.id;
            c.flare.active = true;
          },
          can_advance);
      if (in_flare) {
        warn(where_.rule(advance),
             "rule '" + advance.id +
                 "' advances the stage during an active flare (for example "
                 "when flare.active = true, " +
                 witness(*in_flare, rules) +
                 "); the engine holds the advance: nothing escalates on a red-flag day");
        continue;
      }
      escalation_beside_referral(advance, index, "advances the stage", can_advance);
    }
  }

  // An escalation the protocol allows on the day it refers the client on
  // (other red flags are the engine's to apply: a referral is the one the
  // protocol should see coming).
  void escalation_beside_referral(const Rule& rule, std::size_t stage, const std::string& what,
                                  const LintPredicate& escalates) {
    const std::vector<const Rule*> rules = with_referrals({&rule});
    const Rule* flag = nullptr;
    const auto found = find_state(
        model_, sampler_, "floor/referral/" + rule.id, fields_of(rules),
        [this, stage](ClientState& c) {
          c.program.stage = model_.stages[stage].id;
          c.flare.active = false;
        },
        [&](const ClientState& s) { return escalates(s) && (flag = referral(s)); });
    if (!found) return;
    warn(where_.rule(rule), "rule '" + rule.id + "' " + what + " on a day with referral '" +
                                flag->id + "' (for example when " + witness(*found, {&rule, flag}) +
                                "); the engine holds it: nothing escalates on a red-flag day");
  }

  void check_added_techniques(const Rule& rule) {
    if (rule.add_techniques.empty()) return;
    for (const auto& id : rule.add_techniques) {
      if (is_red_flag_action(rule) && flare_safe(id)) continue;  // a gentler substitute
      if (!flare_safe(id)) {
        const auto found = find_state(
            model_, sampler_, "floor/add-in-flare/" + rule.id + "/" + id, fields_of({&rule}),
            [](ClientState& c) { c.flare.active = true; },
            [&](const ClientState& s) { return fires(rule, s) && !held(id, s); });
        if (found) {
          warn(where_.rule(rule),
               "rule '" + rule.id + "' adds '" + id +
                   "', which is not flare-safe, during an active flare (for "
                   "example when " +
                   witness(*found, {&rule}) +
                   "); the engine holds it: only flare-safe techniques in a flare");
          continue;
        }
      }
      escalation_beside_referral(rule, 0, "adds '" + id + "'",
                                 [&](const ClientState& s) { return fires(rule, s); });
    }
  }

  void check_taper(const Rule& rule) {
    const std::size_t last = model_.ladder.size() - 1;
    auto tapers = [&](const ClientState& s) {
      if (model_.frequency_index(s.program.frequency) >= last) return false;
      for (const Rule* up : step_ups_)
        if (fires(*up, s)) return false;
      return fires(rule, s);
    };
    struct Case {
      const char* name;
      const char* what;
      LintFix fix;
    };
    const Case cases[] = {
        {"missed", "while sessions are missed (program.missed_sessions_30d = 1)",
         [](ClientState& c) { c.program.missed_sessions_30d = 1; }},
        {"recent-flare", "soon after a flare (flare.count_30d = 1, flare.days_since_last = 10)",
         [](ClientState& c) {
           c.flare.count_30d = 1;
           c.flare.days_since_last = 10;
           c.flare.active = false;
         }},
    };
    for (const auto& c : cases) {
      const auto found =
          find_state(model_, sampler_, "floor/taper/" + std::string(c.name) + "/" + rule.id,
                     fields_of({&rule}), c.fix, tapers);
      if (!found) continue;
      warn(where_.rule(rule),
           "rule '" + rule.id + "' steps sessions down " + c.what + "; the engine holds the taper");
      return;
    }
    escalation_beside_referral(rule, 0, "steps sessions down", tapers);
  }

  void check_healing(const Rule& rule) {
    std::vector<const Rule*> rules{&rule};
    for (std::size_t i : model_.flare) rules.push_back(&model_.rules[i]);
    const Rule* flare = nullptr;
    const auto found = find_state(model_, sampler_, "floor/healing/" + rule.id, fields_of(rules),
                                  nullptr, [&](const ClientState& s) {
                                    if (!fires(rule, s)) return false;
                                    if (s.flare.active) return true;
                                    for (std::size_t i : model_.flare)
                                      if (std::find(rule.suppresses.begin(), rule.suppresses.end(),
                                                    i) == rule.suppresses.end() &&
                                          fires(model_.rules[i], s)) {
                                        flare = &model_.rules[i];
                                        return true;
                                      }
                                    return false;
                                  });
    if (!found) return;
    warn(where_.rule(rule),
         "healing-response rule '" + rule.id + "' can fire together with the flare response (" +
             (flare ? "rule '" + flare->id + "'" : std::string("a flare the client reports")) +
             ", for example when " + witness(*found, {&rule}) +
             "); the engine drops the healing note: a flare wins");
  }

  const ProtocolModel& model_;
  const StateSampler& sampler_;
  const LintLocations& where_;
  Diagnostics& out_;
  std::vector<const Rule*> action_rules_;
  std::vector<const Rule*> step_ups_;
};

}  // namespace

void check_safety_floors(const ProtocolModel& model, const StateSampler& sampler,
                         const LintLocations& where, Diagnostics& out) {
  FloorChecks(model, sampler, where, out).run();
}

}  // namespace fascia::detail
