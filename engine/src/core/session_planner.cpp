#include "core/session_planner.hpp"

#include "core/session_plan.hpp"
#include "core/state_checks.hpp"

#include <algorithm>
#include <memory>
#include <vector>

namespace fascia::detail {

namespace {

thread_local PlannerScratch thread_scratch;
// Its address, in a trivial thread_local: one __tls_get_addr an evaluation,
// not two (thread_scratch's guard is another): fascia::decide 4,879 -> 4,865.
thread_local PlannerScratch* own_scratch = nullptr;

bool in_stage(const Stage& stage, const std::string& technique) {
  for (const auto& t : stage.techniques)
    if (t.entry->info.id == technique) return true;
  return false;
}

// `then(plan)` on a SessionPlan of `state`, with its defaults and observation
// order (`layout`: what the checks found, if known).
template <class Then>
void evaluate(const ProtocolModel& model, const ClientState& state, const EvaluateOptions& options,
              const StateLayout* layout, Then then) {
  // The calling thread's scratch, looked up once (each access to a
  // thread_local of a shared library is a __tls_get_addr call, ~22
  // instructions); a nested evaluation (a plugin evaluating a protocol) gets
  // its own, plugin memo included (the outer one's results are being read).
  if (!own_scratch) own_scratch = &thread_scratch;
  PlannerScratch& own = *own_scratch;
  const auto nested = own.in_use ? std::make_unique<PlannerScratch>() : nullptr;
  PlannerScratch& scratch = nested ? *nested : own;
  struct InUse {  // until the evaluation ends, even by an exception
    PlannerScratch& scratch;
    ~InUse() { scratch.in_use = false; }
  } in_use{scratch};
  scratch.in_use = true;
  // Expressions read the stage, frequency, sessions in stage and
  // observations straight from the state: when it lacks them (new clients,
  // states built in code), they are filled into the scratch's copy, whose
  // strings and lists keep their memory from the last such state.
  const ClientState* s = &state;
  const bool known = layout && layout->known;  // in the protocol's order
  const bool reorder = !known && normalize_observations(model, state, scratch.observations);
  if (reorder || state.program.stage.empty() || state.program.frequency.empty() ||
      !state.program.sessions_in_stage) {
    ClientState& resolved = scratch.resolved;
    resolved = state;
    if (reorder) resolved.observations.swap(scratch.observations);
    if (resolved.program.stage.empty()) resolved.program.stage = model.stages.front().id;
    if (resolved.program.frequency.empty())
      resolved.program.frequency = model.ladder[model.start_frequency].id;
    if (!resolved.program.sessions_in_stage)
      resolved.program.sessions_in_stage = sessions_in_stage_from_history(model, resolved);
    s = &resolved;
  }
  SessionPlan plan(model, *s, options, scratch, known ? layout : nullptr);
  then(plan);
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
                            const EvaluateOptions& options, Recommendation& out,
                            const StateLayout* layout) {
  evaluate(model, state, options, layout, [&](SessionPlan& plan) { plan.run(&out); });
}

void evaluate_protocol_json(const ProtocolModel& model, const ClientState& state,
                            const EvaluateOptions& options, std::string& out,
                            const StateLayout* layout) {
  evaluate(model, state, options, layout, [&](SessionPlan& plan) { plan.run(nullptr, &out); });
}

void fired_rules_of(const ProtocolModel& model, const ClientState& state,
                    std::vector<std::string>& out) {
  evaluate(model, state, {}, nullptr, [&](SessionPlan& plan) { plan.decide_fired(out); });
}

void decide_protocol(const ProtocolModel& model, const ClientState& state, Decision& out,
                     const StateLayout& layout) {
  evaluate(model, state, {}, &layout, [&](SessionPlan& plan) { plan.decide(out); });
}

Recommendation evaluate_protocol(const ProtocolModel& model, const ClientState& state,
                                 const EvaluateOptions& options) {
  Recommendation out;
  evaluate_protocol_into(model, state, options, out);
  return out;
}

}  // namespace fascia::detail
