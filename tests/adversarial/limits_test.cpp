// Every resource limit (fascia::Limits) through the public API, set small
// from EngineOptions: an input over a limit is refused with one located
// error naming the limit, never a crash, a hang or a partial result. The
// defaults are documented in docs/reliability.md.
#include <fascia/engine.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fascia::test {
namespace {

using ::testing::HasSubstr;

std::string errors_of(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) out += d.to_string() + "\n";
  return out;
}

Engine engine_with(const Limits& limits) {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  options.limits = limits;
  Engine engine(options);
  for (const auto& d : engine.load_plugins()) ADD_FAILURE() << d.to_string();
  return engine;
}

// A valid protocol; `rules` is appended as its general rules.
std::string protocol(const std::string& rules = "", const std::string& title = "Limits") {
  return "format: 1\n"
         "protocol: {id: limits, version: 1.0.0, title: " +
         title +
         ", conditions: [fibromyalgia]}\n"
         "plugins: {swedish: \">=1.0.0\"}\n"
         "session: {duration_minutes: 60}\n"
         "stages:\n"
         "  - {id: only, techniques: [swedish], pressure_max: 5}\n"
         "frequency:\n"
         "  start: weekly\n"
         "  ladder: [{id: weekly, interval_days: 7}]\n" +
         (rules.empty() ? "" : "rules:\n" + rules);
}

std::string rule(int n, const std::string& when = "flare.active") {
  return "  - id: r" + std::to_string(n) + "\n    when: " + when + "\n    note: n\n    reason: r\n";
}

const std::string state =
    "client: {id: L-1, condition: fibromyalgia}\n"
    "as_of: 2026-11-20\n"
    "pain: {current: 5, baseline: 6}\n"
    "sensitivity: moderate\n"
    "pressure_tolerance: 6\n"
    "flare: {active: false}\n";

TEST(Limits, DefaultsAreTheDocumentedOnes) {
  const Limits d;
  EXPECT_EQ(d.max_file_bytes, 4u << 20);
  EXPECT_EQ(d.max_yaml_depth, 48u);
  EXPECT_EQ(d.max_yaml_nodes, 200'000u);
  EXPECT_EQ(d.max_string_length, 8192u);
  EXPECT_EQ(d.max_expression_length, 4096u);
  EXPECT_EQ(d.max_expression_depth, 64u);
  EXPECT_EQ(d.max_rules, 5000u);
  EXPECT_EQ(d.max_history_entries, 2000u);
}

TEST(Limits, TheValidProtocolAndStateLoadWithTheDefaults) {
  const Engine engine = engine_with(Limits{});
  auto p = engine.parse_protocol(protocol(rule(1) + rule(2)), "p.yaml");
  ASSERT_TRUE(p.ok()) << errors_of(p.diagnostics());
  auto s = p.value()->parse_state(state, "s.yaml");
  ASSERT_TRUE(s.ok()) << errors_of(s.diagnostics());
}

TEST(Limits, FileSizeFromTextAndFromDisk) {
  Limits limits;
  limits.max_file_bytes = 200;
  const Engine engine = engine_with(limits);
  const std::string text = protocol(rule(1));
  ASSERT_GT(text.size(), 200u);
  auto parsed = engine.parse_protocol(text, "big.yaml");
  EXPECT_FALSE(parsed.ok());
  EXPECT_EQ(errors_of(parsed.diagnostics()), "big.yaml: error: file is too large (" +
                                                 std::to_string(text.size()) +
                                                 " bytes; the limit is 200 bytes)\n");

  const auto path = std::filesystem::temp_directory_path() /
                    ("fascia-limits-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  auto loaded = engine.load_protocol(path.string());
  std::filesystem::remove(path);
  EXPECT_FALSE(loaded.ok());
  EXPECT_THAT(errors_of(loaded.diagnostics()),
              HasSubstr(path.string() + ": error: file is too large"));

  // Client states obey the limits of the engine that loaded their protocol.
  Limits roomy = limits;
  roomy.max_file_bytes = 1000;
  const Engine state_engine = engine_with(roomy);
  auto p = state_engine.parse_protocol(protocol(), "p.yaml");
  ASSERT_TRUE(p.ok()) << errors_of(p.diagnostics());
  const std::string big_state = state + "# " + std::string(1000, 'x') + "\n";
  auto s = p.value()->parse_state(big_state, "s.yaml");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(errors_of(s.diagnostics()), HasSubstr("s.yaml: error: file is too large ("));
}

TEST(Limits, YamlNestingDepth) {
  Limits limits;
  limits.max_yaml_depth = 4;
  const Engine engine = engine_with(limits);
  // protocol -> techniques -> swedish -> (config) is fine; five levels are not.
  auto p = engine.parse_protocol(protocol() + "observations: {a: {b: {c: {d: 1}}}}\n", "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(errors_of(p.diagnostics()),
            "p.yaml:10:27: error: nesting too deep (more than 4 levels)\n");

  Limits defaults;
  const Engine roomy = engine_with(defaults);
  auto fine = roomy.parse_protocol(protocol(), "p.yaml");
  ASSERT_TRUE(fine.ok());
  // The same limit applies to states, YAML and JSON alike.
  const std::string deep_yaml =
      state + "observations: " + std::string(60, '[') + std::string(60, ']') + "\n";
  auto s = fine.value()->parse_state(deep_yaml, "s.yaml");
  EXPECT_THAT(errors_of(s.diagnostics()),
              HasSubstr("s.yaml:7:63: error: nesting too deep (more than 48 levels)"));
  const std::string deep_json = "{\"a\": " + std::string(100, '[') + std::string(100, ']') + "}";
  auto j = fine.value()->parse_state(deep_json, "s.json");
  EXPECT_THAT(errors_of(j.diagnostics()),
              HasSubstr("s.json:1:54: error: nesting too deep (more than 48 levels)"));
}

TEST(Limits, YamlNodeCount) {
  Limits limits;
  limits.max_yaml_nodes = 40;
  const Engine engine = engine_with(limits);
  auto p = engine.parse_protocol(protocol(rule(1) + rule(2) + rule(3)), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(errors_of(p.diagnostics()), HasSubstr(": error: too many YAML nodes (more than 40)"));
  EXPECT_THAT(errors_of(p.diagnostics()), ::testing::StartsWith("p.yaml:"));
}

TEST(Limits, StringLength) {
  Limits limits;
  limits.max_string_length = 16;
  const Engine engine = engine_with(limits);
  auto p = engine.parse_protocol(protocol("", "A-title-of-twenty-chars"), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(errors_of(p.diagnostics()),
            "p.yaml:2:47: error: string too long (more than 16 characters)\n");
}

TEST(Limits, ExpressionLength) {
  Limits limits;
  limits.max_expression_length = 40;
  const Engine engine = engine_with(limits);
  auto p = engine.parse_protocol(
      protocol(rule(1, "pain.current >= 1 and pain.current >= 2 and pain.current >= 3")), "p.yaml");
  EXPECT_FALSE(p.ok());
  // Located at the first character past the limit.
  EXPECT_THAT(errors_of(p.diagnostics()),
              HasSubstr("p.yaml:12:51: error: expression too long (61 characters; limit 40)"));
}

TEST(Limits, ExpressionDepth) {
  Limits limits;
  limits.max_expression_depth = 4;
  const Engine engine = engine_with(limits);
  auto ok = engine.parse_protocol(protocol(rule(1, "((flare.active))")), "p.yaml");
  EXPECT_TRUE(ok.ok()) << errors_of(ok.diagnostics());
  auto p = engine.parse_protocol(protocol(rule(1, "((((((flare.active))))))")), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(errors_of(p.diagnostics()), HasSubstr("p.yaml:12:1"));
  EXPECT_THAT(errors_of(p.diagnostics()),
              HasSubstr("error: expression nested too deeply (limit 4)"));
  // Deep nesting also through operators, not only parentheses.
  auto q =
      engine.parse_protocol(protocol(rule(1, "not not not not not not flare.active")), "p.yaml");
  EXPECT_FALSE(q.ok());
  EXPECT_THAT(errors_of(q.diagnostics()),
              HasSubstr("error: expression nested too deeply (limit 4)"));
}

TEST(Limits, RuleCount) {
  Limits limits;
  limits.max_rules = 3;
  const Engine engine = engine_with(limits);
  auto fine = engine.parse_protocol(protocol(rule(1) + rule(2) + rule(3)), "p.yaml");
  EXPECT_TRUE(fine.ok()) << errors_of(fine.diagnostics());
  auto p = engine.parse_protocol(protocol(rule(1) + rule(2) + rule(3) + rule(4)), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(errors_of(p.diagnostics()), "p.yaml:1:1: error: too many rules (4; the limit is 3)\n");
}

TEST(Limits, HistoryEntries) {
  Limits limits;
  limits.max_history_entries = 2;
  const Engine engine = engine_with(limits);
  auto p = engine.parse_protocol(protocol(), "p.yaml");
  ASSERT_TRUE(p.ok()) << errors_of(p.diagnostics());
  std::string history = "history:\n";
  for (int day = 1; day <= 3; ++day)
    history += "  - {date: 2026-11-0" + std::to_string(day) + ", techniques: [swedish]}\n";
  auto s = p.value()->parse_state(state + history, "s.yaml");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(errors_of(s.diagnostics()),
              HasSubstr("s.yaml:8:3: error: history has 3 entries; the limit is 2"));
}

TEST(Limits, NumbersNotFiniteOrOutOfRange) {
  const Engine engine = engine_with(Limits{});
  auto p = engine.parse_protocol(protocol(), "p.yaml");
  ASSERT_TRUE(p.ok());
  auto refuse = [&](const std::string& from, const std::string& to) {
    std::string text = state;
    text.replace(text.find(from), from.size(), to);
    auto s = p.value()->parse_state(text, "s.yaml");
    EXPECT_FALSE(s.ok()) << to;
    return errors_of(s.diagnostics());
  };
  EXPECT_EQ(refuse("current: 5", "current: .nan"),
            "s.yaml:3:17: error: pain.current must be a finite number, got '.nan'\n");
  EXPECT_EQ(refuse("current: 5", "current: 1e999"),
            "s.yaml:3:17: error: pain.current must be a finite number, got '1e999'\n");
  EXPECT_EQ(refuse("current: 5", "current: 10.5"),
            "s.yaml:3:17: error: pain.current must be between 0 and 10, got 10.5\n");
  EXPECT_THAT(refuse("pressure_tolerance: 6", "pressure_tolerance: 99999999999999999999999"),
              HasSubstr("s.yaml:5:21: error: pressure_tolerance"));
  EXPECT_THAT(refuse("pressure_tolerance: 6", "pressure_tolerance: -.inf"),
              HasSubstr("s.yaml:5:21: error: pressure_tolerance"));
  // JSON too: 1e999 overflows to infinity in a naive reader.
  auto j = p.value()->parse_state(
      R"({"client": {"id": "J", "condition": "fibromyalgia"}, "as_of": "2026-11-20",
"pain": {"current": 1e999, "baseline": 6}, "sensitivity": "moderate",
"pressure_tolerance": 6, "flare": {"active": false}})",
      "s.json");
  EXPECT_FALSE(j.ok());
  EXPECT_THAT(errors_of(j.diagnostics()), HasSubstr("s.json:2:21: error: pain.current"));
  // A protocol cap that is not finite would make `pressure > cap` false.
  auto nan_cap = engine.parse_protocol(
      protocol() + "pressure_caps:\n  - {id: c, when: flare.active, cap: .nan, reason: r}\n",
      "p.yaml");
  EXPECT_FALSE(nan_cap.ok());
  EXPECT_THAT(errors_of(nan_cap.diagnostics()),
              HasSubstr("p.yaml:11:38: error: expected an expression"));
}

// Billion laughs: nine levels of aliases expanding to 10^9 strings. Aliases
// are refused outright (protocols never need them), before any expansion.
const std::string laughs = [] {
  std::string text =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const char p = static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) text += std::string(i ? "," : "") + "*" + p;
    text += "]\n";
  }
  return text;
}();

TEST(Limits, BillionLaughsProtocolIsRefusedAtTheFirstAnchor) {
  const Engine engine = engine_with(Limits{});
  auto p = engine.parse_protocol(laughs, "laughs.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(
      errors_of(p.diagnostics()),
      HasSubstr("laughs.yaml:1:4: error: anchors and aliases are not allowed in fascia files"));
  // Hidden inside an otherwise valid protocol.
  auto q = engine.parse_protocol(protocol() +
                                     "observations:\n  x: {type: integer, description: &d x}\n"
                                     "  y: {type: integer, description: *d}\n",
                                 "p.yaml");
  EXPECT_FALSE(q.ok());
  EXPECT_THAT(errors_of(q.diagnostics()),
              HasSubstr("error: anchors and aliases are not allowed in fascia files"));
}

TEST(Limits, BillionLaughsStateIsRefused) {
  const Engine engine = engine_with(Limits{});
  auto p = engine.parse_protocol(protocol(), "p.yaml");
  ASSERT_TRUE(p.ok());
  auto s = p.value()->parse_state(laughs, "laughs.yaml");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(
      errors_of(s.diagnostics()),
      HasSubstr("laughs.yaml:1:4: error: anchors and aliases are not allowed in fascia files"));
  auto t = p.value()->parse_state(state + "observations: &o {}\n", "s.yaml");
  EXPECT_FALSE(t.ok());
  EXPECT_THAT(errors_of(t.diagnostics()),
              HasSubstr("error: anchors and aliases are not allowed in fascia files"));
}

}  // namespace
}  // namespace fascia::test
