#include "core/protocol_lint.hpp"

#include "core/lint_floor_checks.hpp"
#include "core/lint_locations.hpp"
#include "core/lint_questions.hpp"
#include "core/lint_state_sampler.hpp"
#include "expr/expression.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace fascia::detail {

namespace {

class Linter {
 public:
  Linter(const ProtocolModel& model, const yaml::Document* document)
      : model_(model), sampler_(model), where_(model, document) {}

  Diagnostics run() {
    check_rules_fire();
    check_stages_reachable();
    check_ladder_reachable();
    for (const auto* family : {&model_.caps, &model_.flare, &model_.general})
      check_contradictions(*family);
    check_safety_floors(model_, sampler_, where_, out_);
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.line, a.location.column) <
             std::tie(b.location.line, b.location.column);
    });
    return std::move(out_);
  }

 private:
  using Fix = LintFix;
  using Predicate = LintPredicate;

  // The first generated state (with `fix` applied) that satisfies `holds`.
  std::optional<ClientState> find(const std::string& question, const std::set<std::string>& used,
                                  const Fix& fix, const Predicate& holds) const {
    return find_state(model_, sampler_, question, used, fix, holds);
  }

  void warn(LintCode code, SourceLocation where, std::string message) {
    add_lint_warning(out_, model_.lint_ignore, code, std::move(where), std::move(message));
  }

  static std::string samples_text() {
    return std::to_string(lint_samples) + " generated client states";
  }

  // ---- rules that never fire ------------------------------------------------

  void check_rules_fire() {
    for (std::size_t s = 0; s < model_.stages.size(); ++s) {
      const Stage& stage = model_.stages[s];
      const Fix at_stage = [&stage](ClientState& c) { c.program.stage = stage.id; };
      for (const auto* list : {&stage.advance, &stage.hold, &stage.regress})
        for (std::size_t index : *list)
          check_fires(model_.rules[index], at_stage, " at stage '" + stage.id + "'");
    }
    const std::size_t last = model_.ladder.empty() ? 0 : model_.ladder.size() - 1;
    for (std::size_t index : model_.step_down)
      check_fires(
          model_.rules[index],
          [this, last](ClientState& c) {
            if (model_.frequency_index(c.program.frequency) >= last)
              c.program.frequency = model_.ladder.front().id;
          },
          "");
    for (std::size_t index : model_.step_up)
      check_fires(
          model_.rules[index],
          [this](ClientState& c) {
            if (model_.frequency_index(c.program.frequency) == 0)
              c.program.frequency = model_.ladder.back().id;
          },
          "");
    for (const auto* family : {&model_.caps, &model_.flare, &model_.general, &model_.healing})
      for (std::size_t index : *family) check_fires(model_.rules[index], nullptr, "");
  }

  void check_fires(const Rule& rule, const Fix& fix, const std::string& context) {
    const auto found = find("fires/" + rule.id, fields_of({&rule}), fix,
                            [&rule](const ClientState& s) { return fires(rule, s); });
    if (found) return;
    warn(LintCode::rule_never_fires, where_.rule(rule),
         "rule '" + rule.id + "' never fired in " + samples_text() + context +
             " (every field varied across its range): check that its "
             "condition can be true");
  }

  // ---- stages and frequency steps nobody reaches ------------------------------

  void check_stages_reachable() {
    for (std::size_t i = 0; i + 1 < model_.stages.size(); ++i) {
      const Stage& stage = model_.stages[i];
      if (stage.advance.empty()) continue;  // the loader already says so
      std::vector<const Rule*> rules;
      for (const auto* list : {&stage.advance, &stage.hold, &stage.regress})
        for (std::size_t index : *list) rules.push_back(&model_.rules[index]);
      const bool first = i == 0;
      auto any = [this](const std::vector<std::size_t>& list, const ClientState& s) {
        for (std::size_t index : list)
          if (fires(model_.rules[index], s)) return true;
        return false;
      };
      const auto found = find(
          "stage/" + stage.id, fields_of(rules),
          [&stage](ClientState& c) { c.program.stage = stage.id; },
          [&](const ClientState& s) {
            return (first || !any(stage.regress, s)) && any(stage.advance, s) &&
                   !any(stage.hold, s);
          });
      if (found) continue;
      // Name only the rule kinds that exist and could have blocked it.
      std::string blockers;
      if (!stage.hold.empty()) blockers = "hold";
      if (!first && !stage.regress.empty())
        blockers += blockers.empty() ? "regress" : " or regress";
      warn(LintCode::stage_unreachable, model_.stages[i + 1].location,
           "stage '" + model_.stages[i + 1].id + "' may never be reached: in " + samples_text() +
               " at stage '" + stage.id + "', no advance rule fired" +
               (blockers.empty() ? "" : " without a " + blockers + " rule firing too"));
    }
  }

  void check_ladder_reachable() {
    if (model_.step_down.empty()) return;  // the loader already says so
    for (std::size_t i = 0; i + 1 < model_.ladder.size(); ++i) {
      const std::string& from = model_.ladder[i].id;
      std::vector<const Rule*> rules;
      for (const auto* list : {&model_.step_down, &model_.step_up})
        for (std::size_t index : *list) rules.push_back(&model_.rules[index]);
      auto any = [this](const std::vector<std::size_t>& list, const ClientState& s) {
        for (std::size_t index : list)
          if (fires(model_.rules[index], s)) return true;
        return false;
      };
      const bool top = i == 0;
      const auto found = find(
          "ladder/" + from, fields_of(rules),
          [&from](ClientState& c) { c.program.frequency = from; },
          [&](const ClientState& s) {
            return any(model_.step_down, s) && (top || !any(model_.step_up, s));
          });
      if (found) continue;
      warn(LintCode::frequency_unreachable, where_.ladder_step(i + 1),
           "frequency '" + model_.ladder[i + 1].id + "' may never be reached: in " +
               samples_text() + " on '" + from + "', no step_down rule fired" +
               (top || model_.step_up.empty() ? "" : " without a step_up rule firing too"));
    }
  }

  // ---- contradicting actions ------------------------------------------------

  // Techniques a rule holds whenever it fires.
  std::set<std::string> holds_of(const Rule& r) const {
    std::set<std::string> out(r.hold_techniques.begin(), r.hold_techniques.end());
    for (const auto& t : model_.techniques) {
      const std::string& id = t.entry->info.id;
      if (t.entry->info.kind != TechniqueKind::in_session) continue;
      if (r.only_techniques && std::find(r.only_techniques->begin(), r.only_techniques->end(),
                                         id) == r.only_techniques->end())
        out.insert(id);
      if (r.only_flare_safe && !t.entry->info.flare_safe) out.insert(id);
    }
    return out;
  }

  // What is contradictory about `a` and `b` firing together, or empty.
  std::string conflict(const Rule& a, const Rule& b) const {
    for (const auto& [adder, holder] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      const auto held = holds_of(*holder);
      for (const auto& t : adder->add_techniques)
        if (held.count(t))
          return "'" + adder->id + "' adds '" + t + "' and '" + holder->id +
                 "' holds it (the hold wins)";
    }
    if (!a.refer.empty() && !b.refer.empty())
      return "both refer ('" + a.refer + "' and '" + b.refer + "') at priority " +
             std::to_string(a.priority) + ": only '" + a.id + "', first in file order, is kept";
    if (a.only_techniques && b.only_techniques) {
      bool shared = false;
      for (const auto& t : *a.only_techniques)
        shared = shared || std::find(b.only_techniques->begin(), b.only_techniques->end(), t) !=
                               b.only_techniques->end();
      if (!shared)
        return "each allows only techniques the other holds: together they hold every technique";
    }
    return {};
  }

  void check_contradictions(const std::vector<std::size_t>& family) {
    for (std::size_t i = 0; i < family.size(); ++i) {
      const Rule& a = model_.rules[family[i]];
      for (const auto& t : a.add_techniques)
        if (holds_of(a).count(t))
          warn(LintCode::contradiction, where_.rule(a),
               "rule '" + a.id + "' both adds and holds '" + t + "'");
      for (std::size_t j = i + 1; j < family.size(); ++j) {
        const Rule& b = model_.rules[family[j]];
        if (a.priority != b.priority) continue;
        const std::string why = conflict(a, b);
        if (why.empty()) continue;
        const auto found = find("pair/" + a.id + "/" + b.id, fields_of({&a, &b}), nullptr,
                                [&](const ClientState& s) { return fires(a, s) && fires(b, s); });
        if (!found) continue;
        const SourceLocation la = where_.rule(a);
        warn(LintCode::contradiction, where_.rule(b),
             "rules '" + a.id + "' (" + la.to_string() + ") and '" + b.id +
                 "' can both fire (for example when " + witness(*found, {&a, &b}) +
                 ") with contradicting actions: " + why +
                 "; give them different priorities or conditions that exclude "
                 "each other");
      }
    }
  }

  const ProtocolModel& model_;
  StateSampler sampler_;
  LintLocations where_;
  Diagnostics out_;
};

}  // namespace

Diagnostics lint_protocol(const ProtocolModel& model, const yaml::Document* document) {
  if (model.stages.empty() || model.ladder.empty()) return {};
  return Linter(model, document).run();
}

}  // namespace fascia::detail
