// A plugin that breaks its declaration on purpose: technique
// test_memo_probe declares it reads pain.current and its `level` key, but
// adjust() also reads sensitivity, flare.active, the history, an
// observation and its `extra` key. Its note reports every value it saw and
// fascia_test_memo_probe_calls() how often adjust() ran, so that a test can
// show the memo runs it once per distinct declared input and that the
// undeclared reads see defaults, never another client's values.
#include <fascia/plugin.hpp>
#include <fascia/plugin_support.hpp>

#include <atomic>
#include <string>

namespace {

using namespace fascia;

std::atomic<long> calls{0};

class MemoProbe final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "test_memo_probe";
    i.display_name = "Memo probe (test)";
    i.flare_safe = true;
    return i;
  }
  std::vector<ConfigField> config_schema() const override {
    return {plugins::integer_field("level", 1, 5, 3, "Declared in inputs()"),
            plugins::integer_field("extra", 1, 5, 4, "Not declared in inputs()")};
  }
  TechniqueInputs inputs() const override { return {{"pain.current"}, {"level"}}; }
  void adjust(const TechniqueContext& context, TechniqueResult& result) const override {
    calls.fetch_add(1);
    const ClientState& s = context.state;
    const Observation* o = s.observation("swelling");
    std::string seen = "pain " + plugins::number_text(s.pain.current) + ", level " +
                       std::to_string(plugins::config_int(context.config, "level", 0)) +
                       "; undeclared: sensitivity " +
                       (s.sensitivity == Sensitivity::high  ? "high"
                        : s.sensitivity == Sensitivity::low ? "low"
                                                            : "moderate") +
                       ", flare " + (s.flare.active ? "yes" : "no") + ", history " +
                       std::to_string(s.history.size()) + ", observation " +
                       (o ? "present" : "absent") + ", extra " +
                       std::to_string(plugins::config_int(context.config, "extra", 0));
    result.adjustments.push_back(plugins::note("seen", std::move(seen)));
    plugins::put_param(result.parameters, "pressure_max",
                       static_cast<std::int64_t>(plugins::pressure_today(context.session, 10)));
  }
};

void register_memo_probe(TechniqueRegistry& registry) {
  registry.add(std::make_unique<MemoProbe>());
}

}  // namespace

FASCIA_PLUGIN("test_memo_probe", "1.0.0", register_memo_probe)

extern "C" __attribute__((visibility("default"))) long fascia_test_memo_probe_calls(void) {
  return calls.load();
}
