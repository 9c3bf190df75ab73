// The public API the CLI is built on: Protocol::lint(), Protocol::rules(),
// Engine::techniques(), Engine::validate_protocol(), and the protocol's
// metadata (Protocol::stages(), frequencies(), observations(), techniques()).
#include <fascia/engine.hpp>
#include <fascia/protocol.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

Engine bundled() {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  Engine engine(options);
  EXPECT_TRUE(engine.load_plugins().empty());
  return engine;
}

const std::string kData = std::string(FASCIA_SOURCE_DIR) + "/tests/cli/data/";

TEST(EngineApi, ProtocolLintMatchesValidateAndIsDeterministic) {
  Engine engine = bundled();
  auto protocol = engine.load_protocol(kData + "lint-warnings.yaml");
  ASSERT_TRUE(protocol.ok());
  const Diagnostics lint = protocol.value()->lint();
  ASSERT_EQ(lint.size(), 8u);  // 5 lint findings and 3 safety-floor findings
  for (const auto& d : lint) EXPECT_EQ(d.severity, Severity::warning);
  EXPECT_EQ(lint[0].location.line, 19u);
  EXPECT_EQ(lint[0].location.column, 9u);
  const Diagnostics validated = engine.validate_protocol(kData + "lint-warnings.yaml");
  ASSERT_EQ(validated.size(), lint.size());
  for (std::size_t i = 0; i < lint.size(); ++i)
    EXPECT_EQ(validated[i].to_string(), lint[i].to_string());
  const Diagnostics again = protocol.value()->lint();
  for (std::size_t i = 0; i < lint.size(); ++i) EXPECT_EQ(again[i].message, lint[i].message);
}

TEST(EngineApi, LintWithoutTheSourceFileFallsBackToRuleLines) {
  Engine engine = bundled();
  const std::string yaml = R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [x]}
plugins: {swedish: ">=1.0.0"}
session: {duration_minutes: 60}
stages:
  - {id: a, techniques: [swedish], pressure_max: 5}
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
rules:
  - id: never
    when: pain.current > 10
    note: never
    reason: never
)";
  auto protocol = engine.parse_protocol(yaml, "in-memory.yaml");
  ASSERT_TRUE(protocol.ok()) << protocol.diagnostics()[0].to_string();
  const Diagnostics lint = protocol.value()->lint();
  ASSERT_EQ(lint.size(), 1u);
  EXPECT_EQ(lint[0].location.to_string(), "in-memory.yaml:11");
  EXPECT_THAT(lint[0].message, HasSubstr("rule 'never' never fired"));
  // With the text, the column too.
  const Diagnostics validated = engine.validate_protocol_text(yaml, "in-memory.yaml");
  ASSERT_EQ(validated.size(), 1u);
  EXPECT_EQ(validated[0].location.to_string(), "in-memory.yaml:11:5");
}

TEST(EngineApi, RulesCarryTheirFamilyAndSource) {
  Engine engine = bundled();
  auto protocol =
      engine.load_protocol(std::string(FASCIA_SOURCE_DIR) + "/protocols/fibromyalgia.yaml");
  ASSERT_TRUE(protocol.ok());
  const auto rules = protocol.value()->rules();
  ASSERT_EQ(rules.size(), protocol.value()->rule_ids().size());
  bool found = false;
  for (const auto& r : rules)
    if (r.id == "flare.severe") {
      found = true;
      EXPECT_EQ(r.family, "flare_response");
      // The file's name in its folder, not the path it was loaded by.
      EXPECT_EQ(r.source, "fibromyalgia.yaml:244");
    }
  EXPECT_TRUE(found);
}

TEST(EngineApi, TechniquesDescribeWhatAuthorsNeed) {
  Engine engine = bundled();
  const auto techniques = engine.techniques();
  ASSERT_EQ(techniques.size(), 5u);
  EXPECT_EQ(techniques.front().info.id, "deep_tissue");  // sorted by id
  for (const auto& t : techniques) {
    if (t.info.id != "myofascial_release") continue;
    EXPECT_EQ(t.plugin, "myofascial_release");
    EXPECT_EQ(t.info.max_pressure, 6);
    EXPECT_FALSE(t.info.flare_safe);
    ASSERT_EQ(t.functions.size(), 1u);
    EXPECT_EQ(t.functions[0].name, "myofascial_release.healing_response");
    ASSERT_EQ(t.home_program.size(), 1u);
    EXPECT_EQ(t.home_program[0].id, "self_mfr");
    EXPECT_FALSE(t.config.empty());
  }
}

TEST(EngineApi, ProtocolMetadataHasTitlesTypesAndRanges) {
  Engine engine = bundled();
  auto loaded =
      engine.load_protocol(std::string(FASCIA_SOURCE_DIR) + "/protocols/fibromyalgia.yaml");
  ASSERT_TRUE(loaded.ok());
  const Protocol& protocol = *loaded.value();
  const auto stages = protocol.stages();
  ASSERT_GE(stages.size(), 3u);
  EXPECT_EQ(stages[0].id, "foundation");
  EXPECT_EQ(stages[0].title, "Swedish foundation");
  EXPECT_EQ(stages[0].techniques, std::vector<std::string>{"swedish"});
  EXPECT_EQ(stages[0].source, "fibromyalgia.yaml:46");
  EXPECT_EQ(protocol.stage_title("foundation"), "Swedish foundation");
  EXPECT_EQ(protocol.stage_title("no_such_stage"), "no_such_stage");

  const auto frequencies = protocol.frequencies();
  ASSERT_GE(frequencies.size(), 3u);
  EXPECT_EQ(frequencies[1].id, "every_other_week");
  EXPECT_EQ(frequencies[1].title, "Every other week");
  EXPECT_EQ(frequencies[1].interval_days, 14);
  EXPECT_EQ(protocol.frequency_title("monthly"), frequencies[2].title);

  const auto observations = protocol.observations();
  ASSERT_EQ(observations.size(), 1u);
  EXPECT_EQ(observations[0].name, "morning_stiffness_minutes");
  EXPECT_EQ(observations[0].type, ObservationInfo::Type::integer);
  EXPECT_STREQ(to_string(observations[0].type), "integer");
  EXPECT_EQ(observations[0].minimum, 0.0);
  EXPECT_EQ(observations[0].maximum, 600.0);
  EXPECT_FALSE(observations[0].required);
  EXPECT_THAT(observations[0].description, HasSubstr("morning stiffness"));

  const auto techniques = protocol.techniques();
  ASSERT_FALSE(techniques.empty());
  bool found = false;
  for (const auto& t : techniques)
    if (t.id == "myofascial_release") {
      found = true;
      EXPECT_EQ(t.plugin, "myofascial_release");
      EXPECT_EQ(t.plugin_version, "1.0.0");
      EXPECT_EQ(t.max_pressure, 6);
      EXPECT_FALSE(t.flare_safe);
      EXPECT_FALSE(t.title.empty());
    }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace fascia::test
