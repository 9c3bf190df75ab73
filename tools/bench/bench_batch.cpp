// Batch benchmarks: the per-line work of `fascia batch` (parse a JSON client
// state, evaluate, serialise) on varied states with the bundled fibromyalgia
// protocol, single-threaded and on every core:
//   build/bin/fascia_bench --benchmark_filter=Batch
#include <fascia/engine.hpp>

#include <benchmark/benchmark.h>

#include "state_maker.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace {

const std::string protocol_file = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";

std::shared_ptr<const fascia::Protocol> batch_protocol() {
  static std::shared_ptr<const fascia::Protocol> protocol = [] {
    fascia::Engine engine;
    for (const auto& d : engine.load_plugins()) std::cerr << d.to_string() << '\n';
    auto loaded = engine.load_protocol(protocol_file);
    for (const auto& d : loaded.diagnostics()) std::cerr << d.to_string() << '\n';
    return loaded ? loaded.value() : nullptr;
  }();
  return protocol;
}

constexpr int batch_line_count = 4096;
const std::vector<std::string>& batch_lines() {
  static const std::vector<std::string> lines = [] {
    fascia::bench::StateMaker maker;
    std::vector<std::string> out;
    for (int n = 1; n <= batch_line_count; ++n) out.push_back(maker.next(n));
    return out;
  }();
  return lines;
}

// Parse only: the JSON fast path, and the same text through the YAML loader
// (libyaml; a leading "--- " makes it a YAML document).
void BM_BatchParseStateJson(benchmark::State& st) {
  auto protocol = batch_protocol();
  const auto& lines = batch_lines();
  const std::string name = "<stdin>";
  std::size_t i = 0;
  for (auto _ : st) {
    auto state = protocol->parse_state(lines[i++ % lines.size()], name);
    if (!state) st.SkipWithError("a state failed to parse");
    benchmark::DoNotOptimize(state);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchParseStateJson);

// As `fascia batch` reads a line: into one reused ClientState
// (Protocol::parse_state_into), whose buffers and history entries are kept.
void BM_BatchParseStateInto(benchmark::State& st) {
  auto protocol = batch_protocol();
  const auto& lines = batch_lines();
  const std::string name = "<stdin>";
  fascia::ClientState state;
  fascia::Diagnostics diagnostics;
  std::size_t i = 0;
  for (auto _ : st) {
    if (!protocol->parse_state_into(lines[i++ % lines.size()], name, state, diagnostics))
      st.SkipWithError("a state failed to parse");
    benchmark::DoNotOptimize(state);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchParseStateInto);

void BM_BatchParseStateYaml(benchmark::State& st) {
  auto protocol = batch_protocol();
  std::vector<std::string> lines;
  for (const auto& l : batch_lines()) lines.push_back("--- " + l);
  const std::string name = "<stdin>";
  std::size_t i = 0;
  for (auto _ : st) {
    auto state = protocol->parse_state(lines[i++ % lines.size()], name);
    if (!state) st.SkipWithError("a state failed to parse");
    benchmark::DoNotOptimize(state);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchParseStateYaml);

// Evaluate + serialise one already-parsed state.
void BM_BatchEvaluateAndSerialise(benchmark::State& st) {
  auto protocol = batch_protocol();
  std::vector<fascia::ClientState> states;
  for (const auto& l : batch_lines()) states.push_back(protocol->parse_state(l, "x").value());
  std::size_t i = 0;
  for (auto _ : st) {
    auto json = fascia::to_json(protocol->evaluate(states[i++ % states.size()]).value());
    benchmark::DoNotOptimize(json);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchEvaluateAndSerialise);

// The example client's recommendation written straight from the decision
// record into a reused buffer (Protocol::evaluate_json_into): the same
// bytes as BM_EvaluateToJson's evaluate() + to_json(), without a
// Recommendation.
void BM_EvaluateJsonInto(benchmark::State& st) {
  auto protocol = batch_protocol();
  const fascia::ClientState state =
      protocol->load_state(FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.yaml")
          .value();
  std::string out;
  fascia::Diagnostics diagnostics;
  for (auto _ : st) {
    out.clear();
    if (!protocol->evaluate_json_into(state, out, diagnostics)) st.SkipWithError("failed");
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EvaluateJsonInto);

// Evaluate + serialise the varied states as `fascia batch` does per line
// once a line is parsed: into one reused buffer.
void BM_BatchEvaluateJsonInto(benchmark::State& st) {
  auto protocol = batch_protocol();
  std::vector<fascia::ClientState> states;
  for (const auto& l : batch_lines()) states.push_back(protocol->parse_state(l, "x").value());
  std::string out;
  fascia::Diagnostics diagnostics;
  std::size_t i = 0;
  for (auto _ : st) {
    out.clear();
    if (!protocol->evaluate_json_into(states[i++ % states.size()], out, diagnostics))
      st.SkipWithError("a state failed");
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchEvaluateJsonInto);
// Each varied state exactly once, for instruction counts that do not depend
// on how many states a timed run reaches (+-200 instructions otherwise):
//   tools/bench/count_instructions.sh build \
//     BM_BatchEvaluateJsonInto/each_state_once/iterations:4096
//     'fascia::Protocol::evaluate_json_into'
BENCHMARK(BM_BatchEvaluateJsonInto)
    ->Name("BM_BatchEvaluateJsonInto/each_state_once")
    ->Iterations(batch_line_count);

// The whole per-line work of `fascia batch`: text in, recommendation out
// (Protocol::evaluate_json: parse, then evaluate_json_into a new string).
// With 2 threads on 2 cores this is the batch throughput ceiling
// (items_per_second, real time).
void BM_BatchEndToEnd(benchmark::State& st) {
  auto protocol = batch_protocol();
  const auto& lines = batch_lines();
  const std::string name = "<stdin>";
  std::size_t i = static_cast<std::size_t>(st.thread_index()) * 997;
  for (auto _ : st) {
    auto json = protocol->evaluate_json(lines[i++ % lines.size()], {}, name);
    if (!json) st.SkipWithError("a state failed");
    benchmark::DoNotOptimize(json);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BatchEndToEnd)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
