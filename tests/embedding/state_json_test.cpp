// Client states as JSON take the JSON state reader, as YAML the YAML loader:
// both must give the same recommendations, and the same errors at the same
// key with the same message.
#include "embedding_support.hpp"

#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

std::string recommend(const std::string& text) {
  auto json = bundled_protocol()->evaluate_json(text);
  if (!json) return "failed: " + json.diagnostics().front().to_string();
  return json.value();
}

TEST(StateJsonTest, ExampleStatesGiveTheSameRecommendationInYamlAndJson) {
  const std::vector<std::pair<std::string, std::string>> twins = {
      {kExamples + "/fibromyalgia-client.yaml", kExamples + "/fibromyalgia-client.json"},
      {kExamples + "/fibromyalgia-flare.yaml", FASCIA_TEST_DATA_DIR "/fibromyalgia-flare.json"},
      {kExamples + "/new-client.yaml", FASCIA_TEST_DATA_DIR "/new-client.json"}};
  for (const auto& [yaml, json] : twins) {
    const std::string from_yaml = recommend(read_file(yaml));
    EXPECT_EQ(from_yaml.rfind("{\"format\":1", 0), 0u) << from_yaml;
    EXPECT_EQ(recommend(read_file(json)), from_yaml) << json;
  }
}

// "--- " in front turns the same JSON text into a YAML document, read by
// yaml-cpp and the tree reader: both readers must read the same state.
TEST(StateJsonTest, VariedStatesGiveTheSameRecommendationThroughBothReaders) {
  for (const auto& state : varied_states(300))
    ASSERT_EQ(recommend(state), recommend("--- " + state)) << state;
}

TEST(StateJsonTest, YamlFlowStyleStillWorks) {
  const std::string json = read_file(kExamples + "/fibromyalgia-client.json");
  std::string flow = json;
  for (const char* key : {"\"format\"", "\"client\"", "\"id\"", "\"condition\""})
    flow = with(flow, key, std::string(key).substr(1, std::string(key).size() - 2));
  ASSERT_NE(flow, json);
  EXPECT_EQ(recommend(flow), recommend(json));
}

struct ErrorCase {
  const char* name;
  std::string yaml;
  std::string json;
  std::string message;  // expected in both
  std::string yaml_at;  // the error must point at the first occurrence
  std::string json_at;  //   of these in the texts
};

// The required keys around the part a case changes.
std::string yaml_state(const std::string& changed) {
  return "client: {id: C-1, condition: fibromyalgia}\nas_of: 2026-11-20\n" + changed;
}
std::string json_state(const std::string& changed) {
  return R"({"client": {"id": "C-1", "condition": "fibromyalgia"}, "as_of": "2026-11-20", )" +
         changed + "}";
}

std::vector<ErrorCase> error_cases() {
  const std::string yaml_pain = "pain: {current: 5, baseline: 8}\n";
  const std::string json_pain = R"("pain": {"current": 5, "baseline": 8}, )";
  const std::string yaml_rest = "sensitivity: low\npressure_tolerance: 5\nflare: {active: false}\n";
  const std::string json_rest =
      R"("sensitivity": "low", "pressure_tolerance": 5, "flare": {"active": false})";
  return {
      {"out of range", yaml_state("pain: {current: 11, baseline: 8}\n" + yaml_rest),
       json_state(R"("pain": {"current": 11, "baseline": 8}, )" + json_rest),
       "pain.current must be between 0 and 10, got 11", "11, ", "11, "},
      {"quoted number",
       yaml_state(yaml_pain +
                  "sensitivity: low\npressure_tolerance: \"5\"\nflare: {active: false}\n"),
       json_state(json_pain + R"("sensitivity": "low", "pressure_tolerance": "5", )"
                              R"("flare": {"active": false})"),
       "pressure_tolerance must be a whole number, got the string \"5\" (remove the quotes)",
       "\"5\"", "\"5\""},
      {"unknown key",
       yaml_state(yaml_pain + "sensitivty: low\npressure_tolerance: 5\nflare: {active: false}\n"),
       json_state(json_pain + R"("sensitivty": "low", "pressure_tolerance": 5, )"
                              R"("flare": {"active": false})"),
       "unknown key 'sensitivty' in client state", "sensitivty", "\"sensitivty\""},
      {"duplicate key", yaml_state("pain: {current: 5, baseline: 8, current: 6}\n" + yaml_rest),
       json_state(R"("pain": {"current": 5, "baseline": 8, "current": 6}, )" + json_rest),
       "duplicate key 'current' (first defined at line ", "current: 6", "\"current\": 6"},
      {"not one of",
       yaml_state(yaml_pain + "sensitivity: hihg\npressure_tolerance: 5\nflare: {active: false}\n"),
       json_state(json_pain + R"("sensitivity": "hihg", "pressure_tolerance": 5, )"
                              R"("flare": {"active": false})"),
       "sensitivity must be one of: low, moderate, high, got 'hihg' (did you mean 'high'?)", "hihg",
       "\"hihg\""},
  };
}

// One-based line and column of the first `what` in ASCII `text`.
std::pair<std::uint32_t, std::uint32_t> position_of(const std::string& text,
                                                    const std::string& what) {
  const std::size_t at = text.find(what);
  if (at == std::string::npos) return {0, 0};
  const std::size_t line_start = text.rfind('\n', at);
  const std::size_t column = line_start == std::string::npos ? at : at - line_start - 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  return {static_cast<std::uint32_t>(line + 1), static_cast<std::uint32_t>(column + 1)};
}

// The messages without the line numbers some of them quote.
std::vector<std::string> messages(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.message.substr(0, d.message.find(" (first")));
  return out;
}

const Diagnostic* find(const Diagnostics& diagnostics, const std::string& message) {
  for (const auto& d : diagnostics)
    if (d.message.find(message) != std::string::npos) return &d;
  return nullptr;
}

TEST(StateJsonTest, ErrorsHaveTheSameMessageAndPointAtTheValue) {
  for (const auto& c : error_cases()) {
    SCOPED_TRACE(c.name);
    const auto from_yaml = bundled_protocol()->parse_state(c.yaml, "s.yaml");
    const auto from_json = bundled_protocol()->parse_state(c.json, "s.json");
    ASSERT_FALSE(from_yaml.ok());
    ASSERT_FALSE(from_json.ok());
    // The same problems, in the same order, with the same words.
    ASSERT_EQ(messages(from_yaml.diagnostics()), messages(from_json.diagnostics()));
    const Diagnostic* y = find(from_yaml.diagnostics(), c.message);
    const Diagnostic* j = find(from_json.diagnostics(), c.message);
    ASSERT_TRUE(y && j);
    const auto [yaml_line, yaml_column] = position_of(c.yaml, c.yaml_at);
    EXPECT_EQ(y->location.line, yaml_line);
    EXPECT_EQ(y->location.column, yaml_column);
    const auto [json_line, json_column] = position_of(c.json, c.json_at);
    EXPECT_EQ(j->location.line, json_line);
    EXPECT_EQ(j->location.column, json_column);
  }
}

TEST(StateJsonTest, BrokenJsonIsExplainedByTheYamlLoaderAsBefore) {
  const auto state = bundled_protocol()->parse_state(R"({"client": {"id": "C-1",})", "s.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.diagnostics().front().location.file, "s.json");
  EXPECT_GT(state.diagnostics().front().location.line, 0u);
}

TEST(StateJsonTest, EvaluateJsonReturnsTheRecommendationOrTheDiagnostics) {
  const auto protocol = bundled_protocol();
  const std::string text = read_file(kExamples + "/fibromyalgia-client.yaml");
  EXPECT_EQ(protocol->evaluate_json(text).value(),
            to_json(protocol->evaluate(protocol->parse_state(text, "x").value()).value()));
  const auto bad = protocol->evaluate_json("{}", {}, "empty.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.diagnostics().front().location.file, "empty.json");
  EXPECT_THAT(bad.diagnostics().front().message, HasSubstr("missing required key 'client'"));
}

// The JSON writer's fast paths (short and long plain text) and its escapes.
TEST(StateJsonTest, ToJsonEscapesEveryKindOfText) {
  Recommendation r;
  r.client_id = "a\"b\\c\n\t\x01\xC3\xA9";
  const std::string long_plain(100, 'x');
  r.as_of = long_plain + "\"" + long_plain;
  r.warnings = {"bad \xFF byte", "", std::string(61, 'y'), std::string(60, 'z')};
  PlannedTechnique t;
  t.id = "t";
  t.parameters.push_back({"we\"ird", std::int64_t{1}});
  r.session.techniques.push_back(t);
  const std::string json = to_json(r);
  EXPECT_THAT(json, HasSubstr(R"("client_id":"a\"b\\c\n\t\u0001)"
                              "\xC3\xA9\""));
  EXPECT_THAT(json, HasSubstr("\"as_of\":\"" + long_plain + "\\\"" + long_plain + "\","));
  EXPECT_THAT(json, HasSubstr("\"warnings\":[\"bad \xEF\xBF\xBD byte\",\"\",\"" +
                              std::string(61, 'y') + "\",\"" + std::string(60, 'z') + "\"]"));
  EXPECT_THAT(json, HasSubstr(R"("parameters":{"we\"ird":1})"));
  EXPECT_THAT(to_json(r, true), HasSubstr("\"client_id\": \"a\\\"b"));
}

// Escapes found by each of the writer's scans (words of 4 and 8 bytes,
// 16-byte blocks, the overlapping tail) and text longer than its buffer.
TEST(StateJsonTest, ToJsonEscapesAtEveryPositionAndLength) {
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      Recommendation r;
      r.client_id = std::string(length, 'k');
      r.client_id[at] = '"';
      std::string expected = r.client_id;
      expected.replace(at, 1, "\\\"");
      EXPECT_THAT(to_json(r), HasSubstr("\"client_id\":\"" + expected + "\",")) << length;
    }
  }
  Recommendation r;
  r.as_of = std::string(5000, 'w') + "\n\xC3\xA9" + std::string(3000, 'v');
  r.warnings = {std::string(1500, 'x'), std::string(20, 'y')};
  EXPECT_THAT(to_json(r), HasSubstr("\"as_of\":\"" + std::string(5000, 'w') + "\\n\xC3\xA9" +
                                    std::string(3000, 'v') + "\","));
  EXPECT_THAT(to_json(r), HasSubstr("\"warnings\":[\"" + std::string(1500, 'x') + "\",\"" +
                                    std::string(20, 'y') + "\"]"));
  EXPECT_THAT(to_json(r, true), HasSubstr("\"warnings\": [\n    \"" + std::string(1500, 'x')));
}

}  // namespace
}  // namespace fascia::test
