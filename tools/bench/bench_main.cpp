// Benchmarks of the engine's hot paths with the bundled fibromyalgia
// protocol and the real plugins from the build tree:
//   build/bin/fascia_bench --benchmark_min_time=1
#include <fascia/decision.hpp>
#include <fascia/engine.hpp>
#include <fascia/fired_rules.hpp>

#include "expr/client_fields.hpp"
#include "expr/expression.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

namespace {

const std::string protocol_file = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";
const std::string state_file = FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.yaml";
const std::string flare_state_file =
    FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-flare.yaml";

fascia::Engine& engine() {
  static fascia::Engine instance = [] {
    fascia::Engine e;
    for (const auto& d : e.load_plugins()) std::cerr << d.to_string() << '\n';
    return e;
  }();
  return instance;
}

std::shared_ptr<const fascia::Protocol> protocol() {
  static auto p = engine().load_protocol(protocol_file).value();
  return p;
}

void BM_LoadAndCompileProtocol(benchmark::State& st) {
  for (auto _ : st) {
    auto loaded = engine().load_protocol(protocol_file);
    if (!loaded) st.SkipWithError("protocol failed to load");
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadAndCompileProtocol)->Unit(benchmark::kMicrosecond);

void evaluate_state(benchmark::State& st, const std::string& path, bool explain) {
  auto p = protocol();
  const fascia::ClientState state = p->load_state(path).value();
  fascia::EvaluateOptions options;
  options.explain = explain;
  for (auto _ : st) {
    auto r = p->evaluate(state, options);
    benchmark::DoNotOptimize(r);
  }
  st.SetItemsProcessed(st.iterations());
}

void BM_Evaluate(benchmark::State& st) { evaluate_state(st, state_file, false); }
BENCHMARK(BM_Evaluate);
void BM_EvaluateFlare(benchmark::State& st) { evaluate_state(st, flare_state_file, false); }
BENCHMARK(BM_EvaluateFlare);
void BM_EvaluateExplain(benchmark::State& st) { evaluate_state(st, state_file, true); }
BENCHMARK(BM_EvaluateExplain);

// Protocol::evaluate_into() with one Recommendation reused across
// iterations, as a loop over many states would.
void evaluate_reusing(benchmark::State& st, bool explain) {
  auto p = protocol();
  const fascia::ClientState state = p->load_state(state_file).value();
  fascia::Recommendation recommendation;
  fascia::Diagnostics diagnostics;
  fascia::EvaluateOptions options;
  options.explain = explain;
  for (auto _ : st) {
    if (!p->evaluate_into(state, recommendation, diagnostics, options))
      st.SkipWithError("evaluation failed");
    benchmark::DoNotOptimize(recommendation);
  }
  st.SetItemsProcessed(st.iterations());
}

void BM_EvaluateReusingRecommendation(benchmark::State& st) { evaluate_reusing(st, false); }
BENCHMARK(BM_EvaluateReusingRecommendation);
// The same with the --explain trace (rendered from the decision record into
// the reused recommendation's trace entries).
void BM_EvaluateReusingExplain(benchmark::State& st) { evaluate_reusing(st, true); }
BENCHMARK(BM_EvaluateReusingExplain);

// Only Recommendation::fired (fascia::fired_rules: the rule decisions, no
// plugins, no reasons).
void BM_FiredRulesOnly(benchmark::State& st) {
  auto p = protocol();
  const fascia::ClientState state = p->load_state(state_file).value();
  std::vector<std::string> fired;
  fascia::Diagnostics diagnostics;
  for (auto _ : st) {
    if (!fascia::fired_rules(*p, state, fired, diagnostics)) st.SkipWithError("evaluation failed");
    benchmark::DoNotOptimize(fired);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_FiredRulesOnly);

// The decision alone (fascia::decide: rules, floors, plugins and the
// resolved plan, no reason written).
void BM_DecisionOnly(benchmark::State& st) {
  auto p = protocol();
  const fascia::ClientState state = p->load_state(state_file).value();
  fascia::Decision decision;
  fascia::Diagnostics diagnostics;
  for (auto _ : st) {
    if (!fascia::decide(*p, state, decision, diagnostics)) st.SkipWithError("evaluation failed");
    benchmark::DoNotOptimize(decision);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_DecisionOnly);

void BM_EvaluateToJson(benchmark::State& st) {
  auto p = protocol();
  const fascia::ClientState state = p->load_state(state_file).value();
  for (auto _ : st) {
    auto json = fascia::to_json(p->evaluate(state).value());
    benchmark::DoNotOptimize(json);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EvaluateToJson);

// One condition of the usual shape (`field and field >= number`) on its own,
// through the expression library (no protocol around it).
void BM_TypicalCondition(benchmark::State& st) {
  using namespace fascia::detail;
  Catalog catalog;
  add_client_state_fields(catalog, {}, {}, {}, {});
  Expression condition;
  std::vector<ExpressionError> errors;
  if (!compile_expression("flare.active and flare.severity >= 7", Type::boolean, catalog, {},
                          condition, errors))
    return st.SkipWithError("the condition did not compile");
  fascia::ClientState state;
  state.flare.active = true;
  state.flare.severity = 8;
  for (auto _ : st) {
    Value v = condition.evaluate(state);
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_TypicalCondition);

}  // namespace

BENCHMARK_MAIN();
