// Diagnostic::fields names the client-state fields a problem is about, so
// that programs (the CLI's --set blame, `fascia test`'s `set:` locations)
// never read message text (issue 12).
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::shared_ptr<const Protocol> small() {
  static auto p = bundled_engine().parse_protocol(small_protocol(""), "p.yaml").value();
  return p;
}

const std::string state_yaml = R"(client: {id: T-1, condition: fibromyalgia}
as_of: 2026-11-20
pain: {current: 5, baseline: 6}
sensitivity: moderate
pressure_tolerance: 7
flare: {active: false}
history:
  - {date: 2026-11-06, pressure: 4}
  - {date: 2026-11-13, soreness_24h: 2}
)";

// The only error of reading `state_yaml` with `overrides`.
Diagnostic only_error(const std::vector<StateOverride>& overrides) {
  const auto state = small()->parse_state(state_yaml, "s.yaml", overrides);
  EXPECT_FALSE(state.ok());
  EXPECT_EQ(state.diagnostics().size(), 1u);
  return state.diagnostics().empty() ? Diagnostic{} : state.diagnostics().front();
}

TEST(DiagnosticFields, ABadOverrideValueNamesItsPath) {
  // Located in the state (the value takes the place of the state's own);
  // the CLI puts "--set flare.severity" there by the fields.
  const Diagnostic d = only_error({{"flare.severity", "12"}});
  EXPECT_EQ(d.location.file, "s.yaml");
  EXPECT_THAT(d.fields, ElementsAre("flare.severity"));
}

TEST(DiagnosticFields, AnUnknownOverridePathNamesItself) {
  const Diagnostic d = only_error({{"flare.actve", "true"}});
  EXPECT_EQ(d.location.file, "--set");
  EXPECT_THAT(d.fields, ElementsAre("flare.actve"));
}

TEST(DiagnosticFields, ACrossFieldProblemNamesBothFields) {
  // Located at the history date in the state file, caused by --set as_of.
  const auto state = small()->parse_state(state_yaml, "s.yaml", {{"as_of", "2026-11-10"}});
  ASSERT_FALSE(state.ok());
  ASSERT_EQ(state.diagnostics().size(), 1u);
  const Diagnostic& d = state.diagnostics().front();
  EXPECT_EQ(d.location.file, "s.yaml");
  EXPECT_EQ(d.location.line, 9u);
  EXPECT_THAT(d.fields, UnorderedElementsAre("last.date", "as_of"));
}

TEST(DiagnosticFields, OlderHistoryEntriesAreNamedByIndex) {
  std::string text = state_yaml;
  text.replace(text.find("pressure: 4"), 11, "pressure: 40");
  const auto state = small()->parse_state(text, "s.yaml");
  ASSERT_FALSE(state.ok());
  EXPECT_THAT(state.diagnostics().front().fields, ElementsAre("history[0].pressure"));
  // The newest entry is `last`, as --set names it.
  const Diagnostic d = only_error({{"last.soreness_24h", "11"}});
  EXPECT_THAT(d.fields, ElementsAre("last.soreness_24h"));
}

TEST(DiagnosticFields, ChecksOfStatesBuiltInCodeNameTheirFields) {
  auto state = small()->parse_state(state_yaml, "s.yaml");
  ASSERT_TRUE(state.ok());
  ClientState s = state.value();
  s.pain.current = 11;
  s.history.front().pressure = 0;
  s.as_of = s.history.back().date;
  s.history.back().date = Date{2026, 12, 1};
  const Diagnostics problems = small()->check_state(s);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_THAT(problems[0].fields, ElementsAre("pain.current"));
  EXPECT_THAT(problems[1].fields, ElementsAre("history[0].pressure"));
  EXPECT_THAT(problems[2].fields, ElementsAre("last.date", "as_of"));
}

TEST(DiagnosticFields, ProblemsNotAboutAFieldNameNone) {
  const auto state = small()->parse_state("client: [1\n", "s.yaml");
  ASSERT_FALSE(state.ok());
  for (const auto& d : state.diagnostics()) EXPECT_TRUE(d.fields.empty()) << d.to_string();
}

}  // namespace
}  // namespace fascia::test
