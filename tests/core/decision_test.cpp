// fascia::decide(): the plan without its reasons equals the Recommendation
// evaluate() writes, field by field, for states that take different paths
// (a flare with held techniques, a new client with defaults filled in, a
// regress and step-up, a medication change), into one reused Decision.
#include "test_support.hpp"

#include <fascia/decision.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace fascia::test {
namespace {

void expect_same(const Decision& d, const Recommendation& r, const std::string& what) {
  EXPECT_EQ(d.stage, r.session.stage) << what;
  EXPECT_EQ(d.frequency, r.session.frequency) << what;
  EXPECT_EQ(d.next_session_in_days, r.session.next_session_in_days) << what;
  EXPECT_EQ(d.pressure_cap, r.session.pressure_cap) << what;
  EXPECT_EQ(d.duration_minutes, r.session.duration_minutes) << what;
  EXPECT_EQ(d.postpone_days, r.session.postpone_days) << what;
  std::vector<std::string> techniques, held;
  for (const auto& t : r.session.techniques) techniques.push_back(t.id);
  for (const auto& h : r.held_techniques) held.push_back(h.id);
  EXPECT_EQ(std::vector<std::string>(d.techniques.begin(), d.techniques.end()), techniques) << what;
  EXPECT_EQ(std::vector<std::string>(d.held.begin(), d.held.end()), held) << what;
  EXPECT_EQ(d.referral, r.session.referral ? r.session.referral->to : "") << what;
  EXPECT_EQ(std::vector<std::string>(d.fired.begin(), d.fired.end()), r.fired) << what;
}

TEST(Decision, EveryFieldMatchesTheRecommendation) {
  const std::filesystem::path root = FASCIA_SOURCE_DIR;
  auto protocol =
      bundled_engine().load_protocol((root / "protocols/fibromyalgia.yaml").string()).value();
  Decision decision;
  Diagnostics diagnostics;
  for (const char* file : {"fibromyalgia-client.yaml", "fibromyalgia-flare.yaml", "new-client.yaml",
                           "fibromyalgia-client.yaml"}) {
    const auto state = protocol->load_state((root / "protocols/examples" / file).string());
    ASSERT_TRUE(state.ok()) << file;
    ASSERT_TRUE(decide(*protocol, state.value(), decision, diagnostics)) << file;
    expect_same(decision, protocol->evaluate(state.value()).value(), file);
  }
  ClientState changed =
      protocol->load_state((root / "protocols/examples/fibromyalgia-client.yaml").string()).value();
  changed.medications_changed = true;
  changed.pain.current = 9;
  ASSERT_TRUE(decide(*protocol, changed, decision, diagnostics));
  expect_same(decision, protocol->evaluate(changed).value(), "medications changed, pain 9");
  changed.pressure_tolerance = 99;
  EXPECT_FALSE(decide(*protocol, changed, decision, diagnostics));
  EXPECT_FALSE(diagnostics.empty());
}

// decide() skips what only a rendered recommendation shows (the cap's
// implicit-limit adjustments, pressure clamps, the plugins' adjustments and
// home items): over stages, tolerances (clamps), flares (holds, referral,
// postponement) and frequencies the plan still equals evaluate()'s.
TEST(Decision, MatchesTheRecommendationAcrossStagesTolerancesAndFlares) {
  const std::filesystem::path root = FASCIA_SOURCE_DIR;
  auto protocol =
      bundled_engine().load_protocol((root / "protocols/fibromyalgia.yaml").string()).value();
  const ClientState base =
      protocol->load_state((root / "protocols/examples/fibromyalgia-client.yaml").string()).value();
  Decision decision;
  Diagnostics diagnostics;
  int checked = 0;
  for (const char* stage : {"foundation", "myofascial_introduction", "targeted", "maintenance"})
    for (const char* frequency : {"weekly", "every_other_week"})
      for (int tolerance : {1, 3, 6, 10})
        for (int flare : {-1, 4, 9}) {
          ClientState s = base;
          s.program.stage = stage;
          s.program.frequency = frequency;
          s.pressure_tolerance = tolerance;
          s.sensitivity = tolerance == 3 ? Sensitivity::high : Sensitivity::low;
          s.flare.active = flare >= 0;
          s.flare.severity = flare >= 0 ? flare : 0;
          s.flare.count_30d = flare == 9 ? 2 : 0;
          s.medications_changed = tolerance == 6;
          const std::string what = std::string(stage) + " " + frequency + " tolerance " +
                                   std::to_string(tolerance) + " flare " + std::to_string(flare);
          ASSERT_TRUE(decide(*protocol, s, decision, diagnostics)) << what;
          expect_same(decision, protocol->evaluate(s).value(), what);
          ++checked;
        }
  EXPECT_EQ(checked, 96);
}

}  // namespace
}  // namespace fascia::test
