#include "core/session_planner.hpp"

#include "core/session_plan.hpp"
#include "core/state_checks.hpp"

#include <algorithm>
#include <memory>
#include <vector>

namespace fascia::detail {

namespace {

// What is asked of a state that has its defaults and observation order.
struct Evaluation {
  const EvaluateOptions& options;
  Recommendation* out = nullptr;              // the recommendation
  std::vector<std::string>* fired = nullptr;  // or only the rules that fired
  std::string* json = nullptr;                // or its JSON document, appended
};

void evaluate_state(const ProtocolModel& model, const ClientState& state, const Evaluation& e) {
  ScratchLease scratch;
  if (e.out) return SessionPlan(model, state, e.options, *e.out, scratch.get()).run();
  if (e.json)
    return SessionPlan(model, state, e.options, scratch.get().lent, scratch.get())
        .run_to_json(*e.json);
  Recommendation unused;
  SessionPlan plan(model, state, e.options, unused, scratch.get());
  plan.decide_fired();
  render_fired(scratch.get().record, model, *e.fired);
}

bool in_stage(const Stage& stage, const std::string& technique) {
  for (const auto& t : stage.techniques)
    if (t.entry->info.id == technique) return true;
  return false;
}

// Out of line: the copy of the state lives only in this rarer case's frame
// (an optional<ClientState> in the caller's was zeroed on every call).
[[gnu::noinline]] void evaluate_normalized(const ProtocolModel& model, const ClientState& state,
                                           std::vector<Observation>* observations,
                                           const Evaluation& e) {
  ClientState normalized(state);
  if (observations) normalized.observations = std::move(*observations);
  if (normalized.program.stage.empty()) normalized.program.stage = model.stages.front().id;
  if (normalized.program.frequency.empty())
    normalized.program.frequency = model.ladder[model.start_frequency].id;
  if (!normalized.program.sessions_in_stage)
    normalized.program.sessions_in_stage = sessions_in_stage_from_history(model, normalized);
  evaluate_state(model, normalized, e);
}

void evaluate(const ProtocolModel& model, const ClientState& state, const Evaluation& e) {
  // Expressions read the stage, frequency, sessions in stage and
  // observations straight from the state: fill in defaults and the
  // protocol's observation order on a copy only when the state lacks them
  // (new clients, states built in code).
  std::vector<Observation> observations;
  const bool reorder = normalize_observations(model, state, observations);
  if (reorder || state.program.stage.empty() || state.program.frequency.empty() ||
      !state.program.sessions_in_stage) {
    evaluate_normalized(model, state, reorder ? &observations : nullptr, e);
    return;
  }
  evaluate_state(model, state, e);
}

}  // namespace

int sessions_in_stage_from_history(const ProtocolModel& model, const ClientState& state) {
  const std::size_t index =
      state.program.stage.empty()
          ? 0
          : std::min(model.stage_index(state.program.stage), model.stages.size() - 1);
  const Stage& stage = model.stages[index];
  int count = 0;
  for (auto it = state.history.rbegin(); it != state.history.rend(); ++it) {
    bool fits = !it->techniques.empty();
    bool brought_in = index == 0;
    for (const auto& t : it->techniques) {
      fits = fits && in_stage(stage, t);
      brought_in = brought_in || !in_stage(model.stages[index - 1], t);
    }
    if (!fits || !brought_in) break;
    ++count;
  }
  return std::min(count, state.program.sessions_completed);
}

void evaluate_protocol_into(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, Recommendation& out) {
  evaluate(model, state, {options, &out, nullptr, nullptr});
}

void evaluate_protocol_json(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, std::string& out) {
  evaluate(model, state, {options, nullptr, nullptr, &out});
}

void fired_rules_of(const ProtocolModel& model, const ClientState& state,
                    std::vector<std::string>& out) {
  const EvaluateOptions options;
  evaluate(model, state, {options, nullptr, &out, nullptr});
}

Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options) {
  Recommendation out;
  evaluate_protocol_into(model, state, options, out);
  return out;
}

}  // namespace fascia::detail
