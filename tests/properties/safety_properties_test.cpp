// Safety invariants as properties: for many generated valid client states
// (fixed seeds) against every bundled protocol (protocols/*.yaml, globbed:
// new protocols join automatically) with every bundled plugin loaded, each
// recommendation must keep the safety promises of CONTRACT.md. The oracle
// for caps, stage ceilings and referral rules is the protocol file read with
// yaml-cpp, not the engine.
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "protocol_oracle.hpp"
#include "state_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kStatesPerProtocol = 1000;
constexpr std::uint64_t kMutationsPerExample = 60;

std::vector<std::string> bundled_protocols() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(FASCIA_SOURCE_DIR) / "protocols"))
    if (e.path().extension() == ".yaml" && !e.path().stem().string().ends_with(".test"))
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

const Engine& engine() {
  static const Engine instance = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    return e;
  }();
  return instance;
}

struct TechniqueLimits {
  int max_pressure = 10;
  bool flare_safe = false;
};

const std::map<std::string, TechniqueLimits>& technique_limits() {
  static const auto limits = [] {
    std::map<std::string, TechniqueLimits> out;
    for (const auto& t : engine().techniques())
      out[t.info.id] = {t.info.max_pressure, t.info.flare_safe};
    return out;
  }();
  return limits;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// How often the interesting cases came up: a property never exercised
// proves nothing.
struct Coverage {
  int cap_rules = 0;       // recommendations where a cap rule applied
  int referrals = 0;       // ... where a referral rule fired
  int flare_sessions = 0;  // ... in an active flare with techniques planned
  int held = 0;            // ... with a technique held
};

// Every property of one recommendation.
void check(const ProtocolOracle& p, const Protocol& protocol, const ClientState& s,
           const Recommendation& r, Coverage& coverage) {
  const std::string json = to_json(r, true);
  const auto& session = r.session;
  const int cap = session.pressure_cap;
  SCOPED_TRACE("protocol " + p.file + ", client " + s.client_id + "\n" + json);

  // The cap: within 1-10, the stage ceiling, the client's tolerance.
  EXPECT_GE(cap, 1);
  EXPECT_LE(cap, 10);
  ASSERT_TRUE(p.stage_ceiling.count(session.stage)) << "unknown stage " << session.stage;
  EXPECT_LE(cap, p.stage_ceiling.at(session.stage)) << "stage ceiling";
  EXPECT_LE(cap, s.pressure_tolerance) << "client tolerance";

  // Every cap rule that fired (or failed, and was applied to be safe) bounds it.
  for (const auto& a : r.adjustments) {
    EXPECT_FALSE(a.rule.empty()) << "adjustment without rule";
    EXPECT_FALSE(a.reason.empty()) << "adjustment " << a.rule << " without reason";
    EXPECT_FALSE(a.source.empty()) << "adjustment " << a.rule << " without source";
    if (a.kind != AdjustmentKind::pressure_cap || !p.cap_rules.count(a.rule)) continue;
    ++coverage.cap_rules;
    const auto* value = std::get_if<std::int64_t>(&a.value);
    ASSERT_NE(value, nullptr) << a.rule;
    EXPECT_LE(cap, *value) << "cap rule " << a.rule;
    if (const auto literal = p.cap_rules.at(a.rule)) {
      EXPECT_EQ(*value, *literal) << "cap rule " << a.rule << " as written";
      EXPECT_LE(cap, *literal) << "cap rule " << a.rule;
    }
  }
  // ... and the trace agrees: a cap rule that fired is reported.
  for (const auto& t : r.trace) {
    if (t.outcome != TraceEntry::Outcome::fired) continue;
    const std::string& id = t.rule->id;
    const auto has_adjustment = [&](AdjustmentKind kind) {
      return std::any_of(r.adjustments.begin(), r.adjustments.end(),
                         [&](const Adjustment& a) { return a.kind == kind && a.rule == id; });
    };
    if (p.cap_rules.count(id))
      EXPECT_TRUE(has_adjustment(AdjustmentKind::pressure_cap)) << "fired cap rule " << id;
    // A referral rule that fires always reaches the therapist.
    if (p.referral_rules.count(id)) {
      ++coverage.referrals;
      EXPECT_TRUE(has_adjustment(AdjustmentKind::referral)) << "fired referral rule " << id;
      EXPECT_TRUE(session.referral.has_value()) << "fired referral rule " << id;
    }
  }

  // Techniques: within their plugin's limit and the cap; flare-safe in a
  // flare; never both planned and held.
  for (const auto& t : session.techniques) {
    ASSERT_TRUE(technique_limits().count(t.id)) << t.id;
    const auto& limits = technique_limits().at(t.id);
    EXPECT_LE(cap, limits.max_pressure) << "technique limit of " << t.id;
    const auto* pressure = std::get_if<std::int64_t>(find_param(t.parameters, "pressure_max"));
    ASSERT_NE(pressure, nullptr) << t.id << " pressure_max is an integer";
    EXPECT_GE(*pressure, 1) << t.id;
    EXPECT_LE(*pressure, cap) << t.id << " pressure_max above the cap";
    if (s.flare.active) EXPECT_TRUE(limits.flare_safe) << t.id << " is not flare-safe";
    for (const auto& h : r.held_techniques) EXPECT_NE(h.id, t.id) << t.id << " planned and held";
  }
  if (s.flare.active && !session.techniques.empty()) ++coverage.flare_sessions;
  if (!r.held_techniques.empty()) ++coverage.held;
  for (const auto& h : r.held_techniques) {
    EXPECT_FALSE(h.rule.empty()) << h.id;
    EXPECT_FALSE(h.reason.empty()) << h.id;
  }
  if (session.referral) EXPECT_FALSE(session.referral->rule.empty());

  // Identical input, byte-identical output.
  EvaluateOptions explain;
  explain.explain = true;
  auto again = protocol.evaluate(s, explain);
  EXPECT_TRUE(again.ok());
  if (again.ok()) EXPECT_EQ(to_json(again.value()), to_json(r)) << "not deterministic";
}

class SafetyProperties : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    oracle_ = read_oracle(GetParam());
    auto loaded = engine().load_protocol(GetParam());
    for (const auto& d : loaded.diagnostics())
      if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
    ASSERT_TRUE(loaded.ok());
    protocol_ = loaded.value();
  }

  // Evaluates one state (which must be valid) and checks every property.
  void evaluate_and_check(const ClientState& state) {
    const auto problems = protocol_->check_state(state);
    for (const auto& d : problems) ADD_FAILURE() << "generated state invalid: " << d.to_string();
    if (has_errors(problems)) return;
    EvaluateOptions explain;
    explain.explain = true;
    auto result = protocol_->evaluate(state, explain);
    ASSERT_TRUE(result.ok());
    ++evaluated_;
    check(oracle_, *protocol_, state, result.value(), coverage_);
  }

  ProtocolOracle oracle_;
  std::shared_ptr<const Protocol> protocol_;
  int evaluated_ = 0;
  Coverage coverage_;
};

TEST_P(SafetyProperties, HoldForGeneratedStates) {
  ASSERT_TRUE(protocol_);
  // The first state that breaks a property stops the run (its report says which).
  for (std::uint64_t seed = 1; seed <= kStatesPerProtocol && !HasFailure(); ++seed)
    evaluate_and_check(generate_state(oracle_, seed));
  EXPECT_EQ(evaluated_, static_cast<int>(kStatesPerProtocol));
  // The generated states reach the rules the properties are about.
  if (!oracle_.cap_rules.empty()) EXPECT_GT(coverage_.cap_rules, 0);
  if (!oracle_.referral_rules.empty()) EXPECT_GT(coverage_.referrals, 0);
  EXPECT_GT(coverage_.flare_sessions, 0);
  EXPECT_GT(coverage_.held, 0);
  RecordProperty("cap_rules_applied", coverage_.cap_rules);
  RecordProperty("referrals", coverage_.referrals);
  RecordProperty("flare_sessions", coverage_.flare_sessions);
}

// The example states as templates: real-looking histories, varied in the
// fields that drive the safety rules.
TEST_P(SafetyProperties, HoldForMutatedExampleStates) {
  ASSERT_TRUE(protocol_);
  int templates = 0;
  for (const auto& e :
       fs::directory_iterator(fs::path(FASCIA_SOURCE_DIR) / "protocols" / "examples")) {
    auto parsed =
        protocol_->parse_state(read_file(e.path().string()), e.path().filename().string());
    if (!parsed.ok()) continue;  // an example for another protocol's condition
    ++templates;
    for (std::uint64_t seed = 1; seed <= kMutationsPerExample && !HasFailure(); ++seed) {
      Random r(seed * 7919 + templates);
      ClientState s = parsed.value();
      s.client_id += "-M" + std::to_string(seed);
      s.pain.current = r.score();
      s.pressure_tolerance = r.between(1, 10);
      s.sensitivity = static_cast<Sensitivity>(r.between(0, 2));
      s.flare.active = r.chance(40);
      s.flare.severity = s.flare.active ? r.between(1, 10) : 0;
      s.flare.count_30d = s.flare.active ? std::max(1, s.flare.count_30d) : r.between(0, 2);
      s.medications_changed = r.chance(20);
      if (r.chance(70)) s.program.stage = r.pick(oracle_.stages);
      if (!s.history.empty() && r.chance(60)) s.history.back().soreness_24h = r.score();
      evaluate_and_check(s);
    }
  }
  if (templates == 0) GTEST_SKIP() << "no example state for " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Bundled, SafetyProperties, ::testing::ValuesIn(bundled_protocols()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(SafetyPropertiesSetup, EveryBundledPluginIsLoaded) {
  // All five bundled plugins take part in the properties.
  std::vector<std::string> names;
  for (const auto& p : engine().plugins()) names.push_back(p.name);
  for (const char* expected :
       {"swedish", "myofascial_release", "trigger_point", "deep_tissue", "home_program"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  EXPECT_FALSE(bundled_protocols().empty());
}

}  // namespace
}  // namespace fascia::test
