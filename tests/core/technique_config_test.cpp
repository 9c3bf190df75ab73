// Technique configuration from a protocol: a key the plugin declares
// required can be supplied under `techniques:` (issue 12), and is still
// refused, located, when it is not.
#include "../bundled_plugins.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

Engine& engine_with_sided_technique() {
  static Engine engine = [] {
    Engine e(test::bundled_plugins_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    for (const auto& d : e.load_plugin(FASCIA_BINARY_DIR "/lib/fascia/test-plugins/required_config/"
                                                         "libfascia-test_required_config.so"))
      ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

std::string protocol_with(const std::string& techniques_block) {
  return R"(format: 1
protocol: {id: p, version: 1.0.0, title: P, conditions: [fibromyalgia]}
plugins:
  swedish: ">=1.0.0"
  test_required_config: "*"
)" + techniques_block +
         R"(session: {duration_minutes: 60}
stages:
  - id: only
    techniques: [swedish, test_sided]
    pressure_max: 4
frequency:
  start: weekly
  ladder: [{id: weekly, interval_days: 7}]
)";
}

std::string errors_of(const Outcome<std::shared_ptr<const Protocol>>& loaded) {
  std::string out;
  for (const auto& d : loaded.diagnostics())
    if (d.severity == Severity::error) out += d.to_string() + "\n";
  return out;
}

TEST(TechniqueConfig, RequiredKeyGivenUnderTechniquesIsAccepted) {
  auto loaded = engine_with_sided_technique().parse_protocol(
      protocol_with("techniques:\n  test_sided: {side: left}\n"), "p.yaml");
  ASSERT_TRUE(loaded.ok()) << errors_of(loaded);
  auto state = loaded.value()->parse_state(small_state(), "s.yaml");
  ASSERT_TRUE(state.ok());
  auto r = loaded.value()->evaluate(state.value());
  ASSERT_TRUE(r.ok());
  const PlannedTechnique* sided = nullptr;
  for (const auto& t : r.value().session.techniques)
    if (t.id == "test_sided") sided = &t;
  ASSERT_NE(sided, nullptr);
  // The explicit value and the declared default both reach the plugin
  // (which echoes its configuration as parameters).
  const auto* side = find_param(sided->parameters, "side");
  ASSERT_NE(side, nullptr);
  EXPECT_EQ(std::get<std::string>(*side), "left");
  const auto* rounds = find_param(sided->parameters, "rounds");
  ASSERT_NE(rounds, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(*rounds), 2);
}

TEST(TechniqueConfig, RequiredKeyMissingIsRefusedAtTheTechnique) {
  auto without_block = engine_with_sided_technique().parse_protocol(protocol_with(""), "p.yaml");
  EXPECT_FALSE(without_block.ok());
  EXPECT_EQ(errors_of(without_block),
            "p.yaml:9:27: error: technique 'test_sided' requires configuration key 'side'\n");
  auto other_key_only = engine_with_sided_technique().parse_protocol(
      protocol_with("techniques:\n  test_sided: {rounds: 3}\n"), "p.yaml");
  EXPECT_FALSE(other_key_only.ok());
  EXPECT_EQ(errors_of(other_key_only),
            "p.yaml:7:3: error: technique 'test_sided' requires configuration key 'side'\n");
}

TEST(TechniqueConfig, WrongValueOfARequiredKeyIsReportedAsAWrongValueOnly) {
  auto loaded = engine_with_sided_technique().parse_protocol(
      protocol_with("techniques:\n  test_sided: {side: up}\n"), "p.yaml");
  EXPECT_FALSE(loaded.ok());
  const std::string errors = errors_of(loaded);
  EXPECT_THAT(errors, HasSubstr("test_sided.side"));
  EXPECT_EQ(errors.find("requires configuration key"), std::string::npos) << errors;
}

}  // namespace
}  // namespace fascia::test
