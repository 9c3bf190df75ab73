// The safety floors of CONTRACT.md as properties over 100,000 generated
// client states per protocol: every bundled protocol (protocols/*.yaml) and
// a clinic-style protocol written to break them (data/unsafe-clinic.yaml).
// What counts as a red flag, an escalation or a flare-safe technique is
// read from the protocol file and the plugins, not from the engine:
// - no recommendation has both a red flag and an applied escalation;
// - no technique that is not flare-safe is planned in an active flare;
// - no reason shows `absent`, `error`, a brace or an unfilled action value;
// - the same state gives byte-identical JSON, reused or fresh.
#include <fascia/engine.hpp>

#include "../bundled_plugins.hpp"
#include "../sanitizer_build.hpp"
#include "protocol_oracle.hpp"
#include "state_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

// A sanitizer build (CI's 10-asan stage) checks memory and undefined
// behaviour on a fifth of the states, the same generator and checks; the
// release ctest runs all of them.
constexpr std::uint64_t kStates = sanitizer_build ? 20000 : 100000;
constexpr std::uint64_t kFreshStates =
    sanitizer_build ? 2000 : 10000;  // evaluated again without reuse

std::vector<std::string> protocols_under_test() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(FASCIA_SOURCE_DIR) / "protocols"))
    if (e.path().extension() == ".yaml" && !e.path().stem().string().ends_with(".test"))
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  out.push_back(
      (fs::path(FASCIA_SOURCE_DIR) / "tests/properties/data/unsafe-clinic.yaml").string());
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

bool flare_safe(const std::string& technique) {
  static const auto safe = [] {
    std::map<std::string, bool> out;
    for (const auto& t : engine().techniques()) out[t.info.id] = t.info.flare_safe;
    return out;
  }();
  const auto it = safe.find(technique);
  return it != safe.end() && it->second;
}

std::string text_of(const ParamValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

std::size_t index_in(const std::vector<std::string>& list, const std::string& id) {
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), id) - list.begin());
}

// What is wrong with one recommendation (empty: nothing).
class FloorOracle {
 public:
  explicit FloorOracle(const ProtocolOracle& p) : p_(p) {}

  std::string problem(const ClientState& s, const Recommendation& r) {
    const std::string& from =
        s.program.frequency.empty() ? p_.start_frequency : s.program.frequency;
    const std::size_t current = index_in(p_.frequencies, from);
    std::string red_flag, escalation;
    if (s.flare.active) red_flag = "active flare";
    if (r.session.referral) red_flag = "referral " + r.session.referral->rule;
    for (const auto& a : r.adjustments) {
      const bool step_up = a.kind == AdjustmentKind::frequency_changed &&
                           index_in(p_.frequencies, text_of(a.value)) < current;
      if (a.kind == AdjustmentKind::postponed || a.kind == AdjustmentKind::stage_regressed ||
          step_up || p_.flare_rules.count(a.rule) || p_.marked_red_flags.count(a.rule) ||
          p_.postpone_rules.count(a.rule))
        red_flag = to_string(a.kind) + std::string(" ") + a.rule;
    }
    for (const auto& a : r.adjustments) {
      const bool step_down = a.kind == AdjustmentKind::frequency_changed &&
                             index_in(p_.frequencies, text_of(a.value)) > current;
      const bool by_red_flag_rule =
          p_.flare_rules.count(a.rule) || p_.referral_rules.count(a.rule) ||
          p_.postpone_rules.count(a.rule) || p_.marked_red_flags.count(a.rule);
      const bool substitute = a.kind == AdjustmentKind::technique_added && by_red_flag_rule &&
                              flare_safe(text_of(a.value));
      if (a.kind == AdjustmentKind::stage_advanced || step_down ||
          (a.kind == AdjustmentKind::technique_added && !substitute))
        escalation = to_string(a.kind) + std::string(" ") + a.rule;
      if (a.kind == AdjustmentKind::stage_held || a.kind == AdjustmentKind::frequency_held ||
          a.kind == AdjustmentKind::technique_held)
        ++holds;
    }
    if (!red_flag.empty()) ++red_flag_days;
    if (!red_flag.empty() && !escalation.empty())
      return "red flag (" + red_flag + ") and an applied escalation (" + escalation + ")";
    if (s.flare.active) {
      ++flare_days;
      for (const auto& t : r.session.techniques)
        if (!flare_safe(t.id)) return t.id + " planned in an active flare";
    }
    for (const auto& a : r.adjustments)
      if (auto why = bad_reason(a.reason); !why.empty()) return a.rule + ": " + why;
    for (const auto& h : r.held_techniques)
      if (auto why = bad_reason(h.reason); !why.empty()) return h.rule + ": " + why;
    return {};
  }

  int red_flag_days = 0;
  int flare_days = 0;
  int holds = 0;

 private:
  static std::string bad_reason(const std::string& reason) {
    for (const char* word :
         {"absent", "error", "{", "}", "pressure 0", "at 0 or below", "Cap 0", "postpone 0"})
      if (reason.find(word) != std::string::npos)
        return "reason contains '" + std::string(word) + "': " + reason;
    return {};
  }

  const ProtocolOracle& p_;
};

std::uint64_t fnv(std::uint64_t h, const std::string& text) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

class FloorProperties : public ::testing::TestWithParam<std::string> {};

TEST_P(FloorProperties, HoldOverAHundredThousandGeneratedStates) {
  const ProtocolOracle oracle = read_oracle(GetParam());
  auto loaded = engine().load_protocol(GetParam());
  for (const auto& d : loaded.diagnostics())
    if (d.severity == Severity::error) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(loaded.ok());
  const Protocol& protocol = *loaded.value();
  FloorOracle floors(oracle);
  Recommendation reused;
  Diagnostics problems;
  std::string json;
  std::uint64_t hash_reused = 1469598103934665603ULL, hash_fresh = hash_reused;
  for (std::uint64_t seed = 1; seed <= kStates; ++seed) {
    const ClientState s = generate_state(oracle, seed);
    ASSERT_TRUE(protocol.evaluate_into(s, reused, problems))
        << "generated state " << seed << " invalid: " << problems.front().to_string();
    const std::string why = floors.problem(s, reused);
    ASSERT_TRUE(why.empty()) << "state " << seed << ": " << why << "\n" << to_json(reused, true);
    if (seed > kFreshStates) continue;
    json.clear();
    append_json(reused, json);
    hash_reused = fnv(hash_reused, json);
    auto fresh = protocol.evaluate(s);
    ASSERT_TRUE(fresh.ok());
    hash_fresh = fnv(hash_fresh, to_json(fresh.value()));
  }
  EXPECT_EQ(hash_reused, hash_fresh) << "reused and fresh recommendations differ";
  // The properties were exercised, not vacuous.
  EXPECT_GT(floors.red_flag_days, 1000);
  EXPECT_GT(floors.flare_days, 1000);
  EXPECT_GT(floors.holds, 1000);
  RecordProperty("red_flag_days", floors.red_flag_days);
  RecordProperty("holds", floors.holds);
}

INSTANTIATE_TEST_SUITE_P(Protocols, FloorProperties, ::testing::ValuesIn(protocols_under_test()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace fascia::test
