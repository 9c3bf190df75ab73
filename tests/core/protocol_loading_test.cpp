// Loading protocols: the bundled one loads clean; mistakes are reported with
// file:line:col, all of them in one pass.
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ProtocolLoading, BundledFibromyalgiaProtocolLoadsWithoutProblems) {
  auto loaded = bundled_engine().load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
  for (const auto& d : loaded.diagnostics()) ADD_FAILURE() << d.to_string();
  ASSERT_TRUE(loaded.ok());
  const auto& p = *loaded.value();
  EXPECT_EQ(p.id(), "fibromyalgia");
  EXPECT_EQ(p.version(), "1.0.0");
  EXPECT_EQ(p.sha256().size(), 64u);
  EXPECT_EQ(p.stage_ids(), (std::vector<std::string>{"foundation", "myofascial_introduction",
                                                     "targeted", "maintenance"}));
  EXPECT_EQ(p.frequency_ids(), (std::vector<std::string>{"weekly", "every_other_week", "monthly"}));
}

TEST(ProtocolLoading, ProtocolIdMustBeLowerCaseAsRecommendationsRequire) {
  // Every recommendation carries protocol.id, and its schema allows
  // `^[a-z0-9_-]{1,128}$`: an id the engine accepted used to give
  // recommendations that did not validate (issue 12).
  EXPECT_EQ(load_errors(replace(small_protocol(""), "id: small", "id: Fibromyalgia")),
            "p.yaml:3:7: error: protocol.id 'Fibromyalgia' may only use lower-case letters, "
            "digits, '_' and '-'\n");
  EXPECT_EQ(load_errors(replace(small_protocol(""), "id: small", "id: " + std::string(129, 'a'))),
            "p.yaml:3:7: error: protocol.id '" + std::string(129, 'a') +
                "' may only use lower-case letters, digits, '_' and '-'\n");
  EXPECT_EQ(load_errors(replace(small_protocol(""), "id: small", "id: low-back_pain2")), "");
}

TEST(ProtocolLoading, TypoInAFieldNameIsOneLineWithFileLineColumn) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.pain
    when: pain.curent >= 5
    cap: 5
    reason: pain
)");
  EXPECT_EQ(load_errors(p),
            "p.yaml:57:11: error: unknown field 'pain.curent'; did you mean 'pain.current'?\n");
}

TEST(ProtocolLoading, ReasonPlaceholderWithAShortFieldNameSuggestsTheField) {
  const auto p = small_protocol(R"(pressure_caps:
  - id: cap.pain
    when: pain.current >= 5
    cap: 5
    reason: "Poor sleep ({sleep}/10): keep pressure low"
)");
  EXPECT_THAT(load_errors(p),
              HasSubstr("error: unknown field 'sleep'; did you mean 'sleep_quality'?\n"));
}

TEST(ProtocolLoading, ColumnPointsInsideQuotedAndFoldedExpressions) {
  const auto quoted = small_protocol(R"(pressure_caps:
  - id: cap.pain
    when: "flare.active and pain.curent >= 5"
    cap: 5
    reason: pain
)");
  EXPECT_THAT(load_errors(quoted), HasSubstr("p.yaml:57:29: error: unknown field 'pain.curent'"));
  const auto folded = small_protocol(R"(pressure_caps:
  - id: cap.pain
    when: >-
      flare.active
      and pain.curent >= 5
    cap: 5
    reason: pain
)");
  EXPECT_THAT(load_errors(folded), HasSubstr("p.yaml:59:11: error: unknown field 'pain.curent'"));
}

TEST(ProtocolLoading, EveryProblemIsReportedInOnePass) {
  auto p = small_protocol(R"(pressure_caps:
  - id: cap.one
    when: sensitivity == hihg
    cap: 11
    reason: "{pain.nope}"
rules:
  - id: cap.one
    when: "true"
    hold_techniques: [deep_tisue]
    reason: dup
)");
  p = replace(p, "pressure_max: 6\n    advance", "pressure_mx: 6\n    advance");
  const std::string errors = load_errors(p);
  EXPECT_THAT(errors, HasSubstr("unknown key 'pressure_mx' in stage"));
  EXPECT_THAT(errors, HasSubstr("missing required key 'pressure_max' in stage"));
  EXPECT_THAT(errors, HasSubstr("cap must be between 1 and 10, got 11"));
  EXPECT_THAT(errors, HasSubstr("duplicate rule id 'cap.one' (first defined at p.yaml:56:9)"));
  EXPECT_THAT(errors, HasSubstr("unknown technique 'deep_tisue'"));
  EXPECT_THAT(errors, HasSubstr("unknown value 'hihg' for sensitivity"));
  EXPECT_THAT(errors, HasSubstr("unknown field 'pain.nope'"));
}

TEST(ProtocolLoading, StructuralMistakesNameTheFix) {
  EXPECT_THAT(load_errors(replace(small_protocol(""), "format: 1", "format: 2")),
              HasSubstr("p.yaml:1:9: error: protocol format 2 is not supported; this engine reads "
                        "protocol format 1"));
  EXPECT_THAT(load_errors(replace(small_protocol(""), "start: weekly", "start: daily")),
              HasSubstr("frequency.start 'daily' is not on the ladder (weekly, every_other_week, "
                        "monthly)"));
  EXPECT_THAT(load_errors(replace(small_protocol(""), "interval_days: 28", "interval_days: 10")),
              HasSubstr("interval_days must increase down the ladder"));
  EXPECT_THAT(load_errors(replace(small_protocol(""), "  trigger_point: \">=1.0.0\"\n", "")),
              HasSubstr("technique 'trigger_point' comes from plugin 'trigger_point', which is "
                        "not listed under 'plugins:'"));
  EXPECT_THAT(
      load_errors(replace(small_protocol(""), "swedish: \">=1.0.0\"", "swedish: \">=9.0.0\"")),
      HasSubstr("plugin 'swedish' version 1.0.0"));
  EXPECT_THAT(load_errors(""), HasSubstr("p.yaml:1:1: error: the protocol file is empty"));
}

TEST(ProtocolLoading, UnreachableStageIsAWarning) {
  const auto p = replace(small_protocol(""),
                         "    advance:\n      - id: b.advance\n        when: "
                         "program.sessions_in_stage >= 100\n        reason: advance\n",
                         "");
  auto loaded = bundled_engine().parse_protocol(p, "p.yaml");
  ASSERT_TRUE(loaded.ok());
  bool warned = false;
  for (const auto& d : loaded.diagnostics())
    warned = warned || (d.severity == Severity::warning &&
                        d.message ==
                            "stage 'c' can never be reached by progression: stage 'b' "
                            "has no advance rules");
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace fascia::test
