#include "core/lint_questions.hpp"

#include "expr/expression.hpp"

namespace fascia::detail {

bool fires(const Rule& rule, const ClientState& state) {
  const Value v = rule.when.evaluate(state);
  return v.kind == Value::Kind::boolean && v.boolean;
}

std::set<std::string> fields_of(const std::vector<const Rule*>& rules) {
  std::set<std::string> out;
  for (const Rule* r : rules)
    for (const FieldInfo* f : r->when.fields_used()) out.insert(f->path);
  return out;
}

std::optional<ClientState> find_state(const ProtocolModel& model, const StateSampler& sampler,
                                      const std::string& question,
                                      const std::set<std::string>& used, const LintFix& fix,
                                      const LintPredicate& holds) {
  Random random(seed_of(model.id + "/" + question));
  for (int i = 0; i < lint_samples; ++i) {
    ClientState s = sampler.draw(random, used, i % 2 == 1);
    if (fix) fix(s);
    if (holds(s)) return s;
  }
  return std::nullopt;
}

std::string witness(const ClientState& s, const std::vector<const Rule*>& rules) {
  std::string out;
  std::set<std::string> seen;
  int shown = 0;
  for (const Rule* r : rules)
    for (const FieldInfo* f : r->when.fields_used()) {
      if (f->type == Type::series || !seen.insert(f->path).second || shown == 6) continue;
      out += (out.empty() ? "" : ", ") + f->path + " = " + format_value(f->getter(s, f->arg));
      ++shown;
    }
  return out;
}

}  // namespace fascia::detail
