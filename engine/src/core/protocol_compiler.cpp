#include "core/protocol_compiler.hpp"

#include "common/did_you_mean.hpp"
#include "common/text.hpp"
#include "core/plugin_functions.hpp"
#include "core/reason_compiler.hpp"

namespace fascia::detail {

namespace {

class ProtocolCompiler {
 public:
  ProtocolCompiler(const yaml::Document& document, const std::vector<PendingRule>& pending,
                   ProtocolModel& model, Diagnostics& diagnostics)
      : document_(document),
        pending_(pending),
        model_(model),
        diags_(diagnostics),
        reader_(document, diagnostics) {}

  void compile() {
    model_.catalog = std::make_unique<Catalog>();
    std::vector<std::string> stage_ids, frequency_ids;
    for (const auto& s : model_.stages) stage_ids.push_back(s.id);
    for (const auto& f : model_.ladder) frequency_ids.push_back(f.id);
    add_client_state_fields(*model_.catalog, model_.conditions, stage_ids, frequency_ids,
                            model_.observations);
    add_plugin_functions(model_);
    ReasonCompiler reasons(document_, *model_.catalog, model_.limits, diags_);
    for (const auto& pending : pending_) {
      Rule& rule = model_.rules[pending.index];
      if (pending.when) compile_expression_at(*pending.when, Type::boolean, rule.when, "when");
      if (pending.reason) {
        if (auto text = reader_.string(*pending.reason, "reason"))
          reasons.compile(
              *pending.reason, rule.family,
              {pending.cap != nullptr, pending.duration != nullptr, pending.postpone != nullptr},
              rule.reason);
      }
      compile_number(pending.cap, 1, 10, "cap", rule.cap);
      compile_number(pending.duration, 10, 180, "duration_minutes", rule.duration_minutes);
      compile_number(pending.postpone, 1, 60, "postpone_days", rule.postpone_days);
      for (const auto* s : pending.suppresses) {
        auto id = reader_.string(*s, "suppresses");
        if (!id) continue;
        bool found = false;
        for (std::size_t i = 0; i < model_.rules.size(); ++i)
          if (model_.rules[i].id == *id) {
            if (model_.rules[i].family == RuleFamily::healing_response)
              reader_.error(*s,
                            "a healing_response rule cannot suppress another one ('" + *id + "')");
            rule.suppresses.push_back(i);
            found = true;
          }
        if (!found) {
          std::vector<std::string> ids;
          for (const auto& r : model_.rules) ids.push_back(r.id);
          std::string message = "suppresses unknown rule '" + *id + "'";
          if (auto close = closest_match(*id, ids); !close.empty())
            message += " (did you mean '" + close + "'?)";
          reader_.error(*s, message);
        }
      }
    }
  }

  void compile_expression_at(const yaml::Node& node, Type expected, Expression& out,
                             std::string_view what) {
    auto text = reader_.string(node, what);
    if (!text) return;
    std::vector<ExpressionError> errors;
    CompileLimits limits{model_.limits.max_expression_length, model_.limits.max_expression_depth};
    if (compile_expression(*text, expected, *model_.catalog, limits, out, errors)) return;
    for (const auto& e : errors)
      diags_.push_back(
          {Severity::error, yaml::locate_in_scalar(document_, node, e.offset), e.message});
  }

  void compile_number(const yaml::Node* node, int min, int max, const char* what,
                      std::optional<NumberAction>& out) {
    if (!node) return;
    NumberAction action;
    action.min = min;
    action.max = max;
    if (node->is_scalar() && node->plain &&
        yaml::classify_plain_scalar(node->value) != yaml::ScalarKind::string) {
      if (auto v = reader_.integer(*node, what, min, max))
        action.literal = static_cast<int>(*v);
      else
        return;
    } else {
      action.expression = std::make_unique<Expression>();
      compile_expression_at(*node, Type::number, *action.expression, what);
    }
    out = std::move(action);
  }

 private:
  const yaml::Document& document_;
  const std::vector<PendingRule>& pending_;
  ProtocolModel& model_;
  Diagnostics& diags_;
  yaml::Reader reader_;
};

}  // namespace

void compile_protocol(const yaml::Document& document, const std::vector<PendingRule>& pending,
                      ProtocolModel& model, Diagnostics& diagnostics) {
  ProtocolCompiler(document, pending, model, diagnostics).compile();
}

void check_reachability(const yaml::Document& document, const ProtocolModel& model,
                        Diagnostics& diagnostics) {
  const auto& stages = model.stages;
  for (std::size_t i = 0; i + 1 < stages.size(); ++i) {
    if (stages[i].advance.empty())
      add_lint_warning(
          diagnostics, model.lint_ignore, LintCode::stage_unreachable, stages[i + 1].location,
          "stage '" + stages[i + 1].id + "' can never be reached by progression: stage '" +
              stages[i].id + "' has no advance rules");
  }
  if (model.ladder.size() > 1 && model.step_down.empty())
    add_lint_warning(diagnostics, model.lint_ignore, LintCode::no_step_down,
                     SourceLocation{document.file, 0, 0},
                     "frequency has no step_down rules: clients never taper from '" +
                         model.ladder[model.start_frequency].id + "'");
}

void precompute_texts(ProtocolModel& model) {
  for (const auto& rule : model.rules) {
    auto texts = std::make_shared<TraceRule>();
    texts->id = rule.id;
    texts->source = rule.source;
    texts->condition = rule.when.text();
    for (const FieldInfo* f : rule.when.fields_used()) texts->fields.push_back(f->path);
    model.trace_rules.push_back(std::move(texts));
  }
  for (auto& t : model.techniques) {
    const TechniqueInfo& info = t.entry->info;
    t.max_pressure_rule = info.id + ".max_pressure";
    t.max_pressure_reason =
        info.display_name + " is never done above pressure " + std::to_string(info.max_pressure);
    // SessionPlan::run_plugins: no test of every technique's kind (~20 instructions).
    if (info.kind == TechniqueKind::home) model.home_techniques.push_back(&t);
  }
  // SessionPlan::collect_action_rules: one loop over the three families
  // (three cost fascia::decide ~31 instructions, callgrind).
  model.action_rules.clear();
  for (const auto* rules : {&model.caps, &model.flare, &model.general})
    model.action_rules.insert(model.action_rules.end(), rules->begin(), rules->end());
  const auto tests = [&](const std::vector<std::size_t>& family) {
    std::vector<RuleTest> out;
    for (std::size_t i : family)
      out.push_back({model.rules[i].when.tester(), &model.rules[i].when.compiled(), i});
    return out;
  };
  model.action_tests = tests(model.action_rules);
  model.step_down_tests = tests(model.step_down);
  model.step_up_tests = tests(model.step_up);
  model.healing_tests = tests(model.healing);
  for (Stage& stage : model.stages) {
    stage.advance_tests = tests(stage.advance);
    stage.hold_tests = tests(stage.hold);
    stage.regress_tests = tests(stage.regress);
  }
  for (std::size_t i = 0; i < model.stages.size(); ++i) {
    Stage& stage = model.stages[i];
    stage.evaluated.assign((model.rules.size() + 63) / 64, 0);
    for (const auto* rules :
         {&model.healing, &stage.regress, &stage.hold, &model.step_up, &model.caps, &model.flare,
          &model.general, &stage.advance, &model.step_down})
      for (std::size_t r : *rules) stage.evaluated[r / 64] |= std::uint64_t{1} << (r % 64);
    stage.pressure_max_rule = "stages." + stage.id + ".pressure_max";
    stage.pressure_max_reason =
        "Stage '" + stage.id + "' allows pressure up to " + std::to_string(stage.pressure_max);
    for (auto& t : stage.techniques) t.configured = model.technique(t.entry->info.id);
    if (i == 0) continue;
    const Stage& before = model.stages[i - 1];
    for (const auto& t : stage.techniques) {
      bool known = false;
      for (const auto& old : before.techniques) known = known || old.entry == t.entry;
      if (!known)
        stage.introduced.push_back(
            {t.entry.get(),
             t.entry->info.display_name + " is introduced in stage '" + stage.id + "'"});
    }
  }
}

}  // namespace fascia::detail
