// Client states from files, stdin and batch lines go through one route:
// JSON text is read by the JSON readers wherever it comes from (issue 12:
// `--state file.json` went to yaml-cpp), and JSON with a trailing comma is
// refused everywhere (issue 11).
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::shared_ptr<const Protocol> small() {
  static auto p = bundled_engine().parse_protocol(small_protocol(""), "p.yaml").value();
  return p;
}

const std::string json_state =
    R"({"client": {"id": "T-1", "condition": "fibromyalgia"}, "as_of": "2026-11-20", )"
    R"("pain": {"current": 5, "baseline": 6}, "sensitivity": "moderate", )"
    R"("pressure_tolerance": 7, "flare": {"active": false}, )"
    R"("history": [{"date": "2026-11-13", "soreness_24h": 2}]})";

// `text` in a file of its own; the path.
std::string file_with(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("fascia-state-reading-" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string errors_of(const Outcome<ClientState>& state) {
  std::string out;
  for (const auto& d : state.diagnostics()) out += d.to_string() + "\n";
  return out;
}

std::string with_trailing_comma_in_object() {
  std::string text = json_state;
  text.insert(text.size() - 1, ",");
  return text;
}

std::string with_trailing_comma_in_array() {
  std::string text = json_state;
  text.insert(text.size() - 2, ",");
  return text;
}

TEST(StateReading, JsonFileAndJsonTextGiveTheSameState) {
  const auto from_text = small()->parse_state(json_state, "s.json");
  const auto from_file = small()->load_state(file_with("same.json", json_state));
  ASSERT_TRUE(from_text.ok()) << errors_of(from_text);
  ASSERT_TRUE(from_file.ok()) << errors_of(from_file);
  EXPECT_EQ(to_json(small()->evaluate(from_text.value()).value()),
            to_json(small()->evaluate(from_file.value()).value()));
}

TEST(StateReading, TrailingCommaInAJsonObjectIsRefusedInTextAndFiles) {
  const std::string text = with_trailing_comma_in_object();
  const std::string message =
      "1:" + std::to_string(text.size() - 1) +
      ": error: invalid JSON: a comma before '}' (JSON allows no trailing comma); remove it\n";
  const auto line = small()->parse_state(text, "batch line 3");
  EXPECT_FALSE(line.ok());
  EXPECT_EQ(errors_of(line), "batch line 3:" + message);
  const std::string path = file_with("object-comma.json", text);
  const auto file = small()->load_state(path);
  EXPECT_FALSE(file.ok());
  EXPECT_EQ(errors_of(file), path + ":" + message);
}

TEST(StateReading, TrailingCommaInAJsonArrayIsRefusedInTextAndFiles) {
  const std::string text = with_trailing_comma_in_array();
  const auto line = small()->parse_state(text, "s.json");
  EXPECT_FALSE(line.ok());
  EXPECT_THAT(errors_of(line), HasSubstr("a comma before ']' (JSON allows no trailing comma)"));
  const auto file = small()->load_state(file_with("array-comma.json", text));
  EXPECT_FALSE(file.ok());
  EXPECT_THAT(errors_of(file), HasSubstr("a comma before ']' (JSON allows no trailing comma)"));
}

TEST(StateReading, YamlFlowStyleKeepsTheYamlRules) {
  // Not JSON (bare keys): the YAML loader reads it, trailing comma included.
  const auto flow = small()->parse_state(
      "{client: {id: T-1, condition: fibromyalgia}, as_of: 2026-11-20, "
      "pain: {current: 5, baseline: 6}, sensitivity: moderate, pressure_tolerance: 7, "
      "flare: {active: false},}",
      "s.yaml");
  EXPECT_TRUE(flow.ok()) << errors_of(flow);
}

TEST(StateReading, OverridesApplyToJsonFiles) {
  const auto state =
      small()->load_state(file_with("override.json", json_state), {{"pain.current", "8"}});
  ASSERT_TRUE(state.ok()) << errors_of(state);
  EXPECT_EQ(state.value().pain.current, 8);
}

}  // namespace
}  // namespace fascia::test
