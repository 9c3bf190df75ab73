// Fuzzes the plugin boundary: a technique whose adjust() returns whatever
// the fuzzer input describes (parameters of any type and value, pressure
// limits, holds, adjustments of every kind with any value, rule id and
// reason, home-program items, warnings, exceptions), registered through the
// same facade as a library plugin (Engine::add_plugin) and evaluated next
// to the bundled swedish plugin. Whatever the plugin returns, the
// recommendation keeps the safety invariants, carries no adjustment of a
// kind a plugin may not emit, and every rule id keeps the id rules.
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "fuzz_check.hpp"
#include "recommendation_checks.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using namespace fascia;

// The input the technique replays: set before each evaluation.
thread_local std::string_view program;

// Reads the program byte by byte; past its end, zeros.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return at_ >= bytes_.size(); }
  std::uint8_t byte() { return at_ < bytes_.size() ? static_cast<std::uint8_t>(bytes_[at_++]) : 0; }
  std::int64_t integer() {
    switch (byte() % 6) {
      case 0:
        return static_cast<std::int8_t>(byte());
      case 1:
        return std::numeric_limits<std::int64_t>::max();
      case 2:
        return std::numeric_limits<std::int64_t>::min();
      case 3:
        return 999;
      case 4:
        return -3;
      default:
        return byte() % 12;
    }
  }
  double number() {
    switch (byte() % 5) {
      case 0:
        return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return std::numeric_limits<double>::infinity();
      case 2:
        return 1e300;
      case 3:
        return -0.5;
      default:
        return byte() / 10.0;
    }
  }
  std::string text() {
    const std::size_t size = byte() % 8 == 0 ? 2000 : byte() % 24;
    std::string out;
    for (std::size_t i = 0; i < size; ++i)
      out.push_back(static_cast<char>(byte() % 8 == 0 ? ' ' : 'a' + byte() % 26));
    if (byte() % 4 == 0) out += "!. -_";
    return out;
  }
  std::string name() {
    static const char* const names[] = {"pressure_max", "minutes", "intensity", "oil", ""};
    return names[byte() % 5];
  }
  ParamValue value() {
    switch (byte() % 6) {
      case 0:
        return std::monostate{};
      case 1:
        return byte() % 2 == 0;
      case 2:
        return integer();
      case 3:
        return number();
      case 4:
        return text();
      default:
        return std::vector<std::string>{text(), text()};
    }
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

class Driven final : public Technique {
 public:
  TechniqueInfo info() const override {
    TechniqueInfo i;
    i.id = "fuzz_driven";
    i.display_name = "Fuzz-driven technique";
    i.default_pressure = 3;
    i.max_pressure = 6;
    i.flare_safe = true;
    return i;
  }
  std::vector<ConfigField> parameter_schema() const override {
    ConfigField minutes;
    minutes.name = "minutes";
    minutes.type = ConfigType::integer;
    minutes.min = 1;
    minutes.max = 30;
    ConfigField intensity;
    intensity.name = "intensity";
    intensity.type = ConfigType::enumeration;
    intensity.allowed = {"low", "medium"};
    return {minutes, intensity};
  }
  std::vector<HomeProgramTemplate> home_program_templates() const override {
    return {{"fuzz_stretch", "A stretch", {{"minutes_per_day", std::int64_t{5}}}}};
  }
  void adjust(const TechniqueContext&, TechniqueResult& result) const override {
    Reader in(program);
    for (int step = 0; step < 64 && !in.done(); ++step) {
      switch (in.byte() % 11) {
        case 0:
          result.parameters.push_back({in.name(), in.value()});
          break;
        case 1:
          result.pressure_max = static_cast<int>(in.integer());
          break;
        case 2:
          result.hold = true;
          result.hold_rule = in.text();
          result.hold_reason = in.text();
          break;
        case 3:
        case 4: {
          TechniqueAdjustment a;
          a.kind = static_cast<AdjustmentKind>(in.byte() % 13);
          a.value = in.value();
          a.rule = in.text();
          a.reason = in.text();
          result.adjustments.push_back(std::move(a));
          break;
        }
        case 5:
          result.home_program.push_back({in.byte() % 2 ? "fuzz_stretch" : in.text(), {}});
          break;
        case 6:
          result.warnings.push_back(in.text());
          break;
        case 7:
          if (in.byte() % 16 == 0) throw std::runtime_error(in.text());
          break;
        case 8:
          if (in.byte() % 16 == 0) throw 42;
          break;
        default:
          break;
      }
    }
  }
};

void register_driven(TechniqueRegistry& registry) { registry.add(std::make_unique<Driven>()); }

FASCIA_PLUGIN_INFO(driven_plugin, "fuzz_driven", "1.0.0", register_driven);

constexpr const char* protocol_text = R"(format: 1
protocol: {id: fuzz-boundary, version: 1.0.0, title: Fuzz boundary, conditions: [fibromyalgia]}
plugins: {swedish: ">=1.0.0", fuzz_driven: "*"}
session: {duration_minutes: 60}
stages:
  - {id: only, techniques: [swedish, fuzz_driven], pressure_max: 5}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)";

constexpr const char* state_text = R"(client: {id: F-1, condition: fibromyalgia}
as_of: 2026-11-20
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 4
flare: {active: false}
)";

struct Setup {
  Engine engine{test::bundled_plugins_only()};
  std::shared_ptr<const Protocol> protocol;
  ClientState state;
};

const Setup& setup() {
  static const Setup* instance = [] {
    auto* s = new Setup;
    FASCIA_FUZZ_CHECK(!has_errors(s->engine.load_plugins()), "bundled plugins load");
    FASCIA_FUZZ_CHECK(!has_errors(s->engine.add_plugin(driven_plugin)),
                      "the driven plugin registers");
    auto loaded = s->engine.parse_protocol(protocol_text, "fuzz-boundary.yaml");
    FASCIA_FUZZ_CHECK(loaded.ok(), "the protocol loads");
    s->protocol = loaded.value();
    auto state = s->protocol->parse_state(state_text, "fuzz-state.yaml");
    FASCIA_FUZZ_CHECK(state.ok(), "the state reads");
    s->state = state.value();
    return s;
  }();
  return *instance;
}

bool is_rule_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-'))
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Setup& s = setup();
  program = std::string_view(reinterpret_cast<const char*>(data), size);
  auto r = s.protocol->evaluate(s.state);
  FASCIA_FUZZ_CHECK(r.ok(), "evaluation succeeds whatever the plugin returns");
  const Recommendation& rec = r.value();
  fuzz::check_recommendation(*s.protocol, s.state, rec);
  for (const auto& a : rec.adjustments) {
    FASCIA_FUZZ_CHECK(is_rule_id(a.rule), "adjustment rule ids keep the id rules");
    FASCIA_FUZZ_CHECK(a.reason.size() <= 4096, "adjustment reasons are bounded");
    if (a.rule.rfind("fuzz_driven.", 0) != 0) continue;
    // The engine's own adjustments about the technique: its clamp, its
    // limit, and the hold (technique_held) of a technique that held itself
    // or was held for what it returned.
    const bool engine_own = a.rule == "fuzz_driven.pressure-clamped" ||
                            a.rule == "fuzz_driven.max_pressure" ||
                            a.kind == AdjustmentKind::technique_held;
    FASCIA_FUZZ_CHECK(engine_own || a.kind == AdjustmentKind::note ||
                          a.kind == AdjustmentKind::check_in || a.kind == AdjustmentKind::referral,
                      "a plugin emits only note, check_in and referral");
    if (a.kind == AdjustmentKind::pressure_cap) {
      const auto* v = std::get_if<std::int64_t>(&a.value);
      FASCIA_FUZZ_CHECK(v && *v >= 1 && *v <= 10, "a pressure_cap value is within 1-10");
    }
  }
  for (const auto& h : rec.held_techniques) {
    FASCIA_FUZZ_CHECK(is_rule_id(h.rule), "hold rule ids keep the id rules");
    FASCIA_FUZZ_CHECK(h.reason.find(".so") == std::string::npos, "no library path in a reason");
  }
  FASCIA_FUZZ_CHECK(rec.session.postpone_days == 0, "a plugin cannot postpone the session");
  return 0;
}
