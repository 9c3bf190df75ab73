// The adversarial corpus: broken and hostile inputs, one file each under
// cases/<kind>/, with the expectation beside it in <file>.expected. Every
// case goes through the public API:
//   protocol/  Engine::parse_protocol (bundled plugins)
//   state/     Protocol::parse_state against protocols/fibromyalgia.yaml
//   plugin/    a protocol using the misbehaving test plugins, loaded with
//              Engine::load_plugin, then evaluated for a typical client
//
// Expectation lines (`#` starts a comment):
//   error FILE:LINE:COL: error: MESSAGE   loading fails with this exact line
//   error-starts FILE:LINE:COL: error: M  ... with a line starting so (for
//                                         messages naming build paths)
//   errors N                              exactly N error diagnostics
//   ok                                    loads (plugin cases: and evaluates)
//   plugin CASE                           load the test plugin of that case
//   state FILE                            plugin cases: evaluate this state
//   pressure_cap N                        the session's pressure cap
//   technique ID                          ID is planned (and within the cap)
//   held ID RULE                          ID is held by RULE
//   adjustment KIND RULE                  such an adjustment is present
//   warning TEXT                          a warning contains TEXT
#include <fascia/engine.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

const fs::path cases_dir = fs::path(FASCIA_SOURCE_DIR) / "tests" / "adversarial" / "cases";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Case {
  std::string kind;  // protocol, state, plugin
  fs::path input;
  std::string name() const {
    std::string n = kind + "_" + input.filename().string();
    for (char& c : n)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return n;
  }
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.input.string(); }

std::vector<Case> all_cases() {
  std::vector<Case> out;
  for (const char* kind : {"protocol", "state", "plugin"}) {
    for (const auto& entry : fs::directory_iterator(cases_dir / kind)) {
      const auto& p = entry.path();
      if (p.extension() == ".expected" || p.filename().string().starts_with("_")) continue;
      out.push_back({kind, p});
    }
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.input < b.input; });
  return out;
}

struct Expectation {
  std::vector<std::string> errors;
  std::vector<std::string> error_prefixes;
  int error_count = -1;
  bool ok = false;
  std::vector<std::string> plugins;
  std::string state;
  int pressure_cap = -1;
  std::vector<std::string> techniques;
  std::vector<std::pair<std::string, std::string>> held;
  std::vector<std::pair<std::string, std::string>> adjustments;
  std::vector<std::string> warnings;
};

Expectation read_expectation(const fs::path& file) {
  Expectation e;
  std::istringstream in(read_file(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string word = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    std::istringstream args(rest);
    if (word == "error")
      e.errors.push_back(rest);
    else if (word == "error-starts")
      e.error_prefixes.push_back(rest);
    else if (word == "errors")
      e.error_count = std::stoi(rest);
    else if (word == "ok")
      e.ok = true;
    else if (word == "plugin")
      e.plugins.push_back(rest);
    else if (word == "state")
      e.state = rest;
    else if (word == "pressure_cap")
      e.pressure_cap = std::stoi(rest);
    else if (word == "technique")
      e.techniques.push_back(rest);
    else if (word == "warning")
      e.warnings.push_back(rest);
    else if (word == "held" || word == "adjustment") {
      std::string a, b;
      args >> a >> b;
      (word == "held" ? e.held : e.adjustments).emplace_back(a, b);
    } else {
      ADD_FAILURE() << file << ": unknown expectation '" << word << "'";
    }
  }
  return e;
}

EngineOptions bundled_only() {
  EngineOptions options;
  options.plugin_dirs = {FASCIA_PLUGIN_BUILD_DIR};
  options.use_environment = false;
  options.use_default_dirs = false;
  return options;
}

const Engine& bundled_engine() {
  static const Engine engine = [] {
    Engine e(bundled_only());
    for (const auto& d : e.load_plugins()) ADD_FAILURE() << d.to_string();
    return e;
  }();
  return engine;
}

std::string lines_of(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

// Loading failed exactly as expected.
void check_errors(const Diagnostics& diagnostics, const Expectation& e) {
  EXPECT_TRUE(has_errors(diagnostics)) << lines_of(diagnostics);
  std::vector<std::string> actual;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) actual.push_back(d.to_string());
  for (const auto& line : e.errors)
    EXPECT_THAT(actual, ::testing::Contains(line)) << "all diagnostics:\n" << lines_of(diagnostics);
  for (const auto& prefix : e.error_prefixes)
    EXPECT_THAT(actual, ::testing::Contains(::testing::StartsWith(prefix)))
        << "all diagnostics:\n"
        << lines_of(diagnostics);
  if (e.error_count >= 0)
    EXPECT_EQ(static_cast<int>(actual.size()), e.error_count) << lines_of(diagnostics);
  // Every line is located in the file ("FILE:LINE:COL: error: ...") or,
  // for whole-file problems, names the file.
  for (const auto& line : actual) EXPECT_THAT(line, ::testing::HasSubstr(": error: "));
}

void check_recommendation(const Recommendation& r, const Expectation& e, const ClientState& s) {
  const std::string json = to_json(r, true);
  if (e.pressure_cap >= 0) EXPECT_EQ(r.session.pressure_cap, e.pressure_cap) << json;
  EXPECT_LE(r.session.pressure_cap, s.pressure_tolerance) << json;
  for (const auto& t : r.session.techniques) {
    const auto* p = std::get_if<std::int64_t>(find_param(t.parameters, "pressure_max"));
    ASSERT_NE(p, nullptr) << t.id << " has an integer pressure_max\n" << json;
    EXPECT_LE(*p, r.session.pressure_cap) << t.id << "\n" << json;
  }
  for (const auto& id : e.techniques)
    EXPECT_TRUE(std::any_of(r.session.techniques.begin(), r.session.techniques.end(),
                            [&](const PlannedTechnique& t) { return t.id == id; }))
        << id << " planned\n"
        << json;
  for (const auto& held : e.held) {
    const std::string& id = held.first;  // lambdas below may not capture bindings (clang 14)
    const std::string& rule = held.second;
    EXPECT_TRUE(std::any_of(r.held_techniques.begin(), r.held_techniques.end(),
                            [&](const HeldTechnique& h) { return h.id == id && h.rule == rule; }))
        << id << " held by " << rule << "\n"
        << json;
    EXPECT_FALSE(std::any_of(r.session.techniques.begin(), r.session.techniques.end(),
                             [&](const PlannedTechnique& t) { return t.id == id; }))
        << id << " must not be planned\n"
        << json;
  }
  for (const auto& adjustment : e.adjustments) {
    const std::string& kind = adjustment.first;
    const std::string& rule = adjustment.second;
    EXPECT_TRUE(std::any_of(
        r.adjustments.begin(), r.adjustments.end(),
        [&](const Adjustment& a) { return to_string(a.kind) == kind && a.rule == rule; }))
        << kind << " by " << rule << "\n"
        << json;
  }
  for (const auto& text : e.warnings)
    EXPECT_TRUE(
        std::any_of(r.warnings.begin(), r.warnings.end(),
                    [&](const std::string& w) { return w.find(text) != std::string::npos; }))
        << "a warning containing '" << text << "'\n"
        << json;
}

class Adversarial : public ::testing::TestWithParam<Case> {};

TEST_P(Adversarial, FailsAsExpected) {
  const Case& c = GetParam();
  fs::path expected_file = c.input;
  expected_file += ".expected";
  ASSERT_TRUE(fs::exists(expected_file)) << "every case has its expectation: " << expected_file;
  const Expectation e = read_expectation(expected_file);
  const bool expects_errors = !e.errors.empty() || !e.error_prefixes.empty();
  ASSERT_NE(e.ok, expects_errors) << expected_file << ": say either ok or error lines";
  const std::string text = read_file(c.input);
  const std::string name = c.input.filename().string();

  if (c.kind == "protocol") {
    auto loaded = bundled_engine().parse_protocol(text, name);
    if (e.ok)
      EXPECT_TRUE(loaded.ok()) << lines_of(loaded.diagnostics());
    else
      check_errors(loaded.diagnostics(), e);
    EXPECT_EQ(loaded.ok(), e.ok);
  } else if (c.kind == "state") {
    static const auto protocol =
        bundled_engine().load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml").value();
    auto state = protocol->parse_state(text, name);
    EXPECT_EQ(state.ok(), e.ok) << lines_of(state.diagnostics());
    if (!e.ok) {
      check_errors(state.diagnostics(), e);
    } else if (state.ok()) {
      auto result = protocol->evaluate(state.value());
      ASSERT_TRUE(result.ok()) << lines_of(result.diagnostics());
      check_recommendation(result.value(), e, state.value());
    }
  } else {
    Engine engine(bundled_only());
    for (const auto& d : engine.load_plugins()) ADD_FAILURE() << d.to_string();
    for (const auto& plugin : e.plugins) {
      const std::string path =
          std::string(FASCIA_TEST_PLUGIN_DIR) + "/" + plugin + "/libfascia-test_" + plugin + ".so";
      for (const auto& d : engine.load_plugin(path)) ADD_FAILURE() << d.to_string();
    }
    auto loaded = engine.parse_protocol(text, name);
    ASSERT_EQ(loaded.ok(), e.ok) << lines_of(loaded.diagnostics());
    if (!e.ok) {
      check_errors(loaded.diagnostics(), e);
      return;
    }
    const std::string state_file = e.state.empty() ? "_client.yaml" : e.state;
    auto state =
        loaded.value()->parse_state(read_file(cases_dir / "plugin" / state_file), state_file);
    ASSERT_TRUE(state.ok()) << lines_of(state.diagnostics());
    auto result = loaded.value()->evaluate(state.value());
    ASSERT_TRUE(result.ok()) << lines_of(result.diagnostics());
    check_recommendation(result.value(), e, state.value());
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Adversarial, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name();
                         });

TEST(AdversarialCorpus, HasAtLeastThirtyCasesEachWithAnExpectation) {
  const auto cases = all_cases();
  EXPECT_GE(cases.size(), 30u);
  for (const auto& c : cases) {
    fs::path expected = c.input;
    expected += ".expected";
    EXPECT_TRUE(fs::exists(expected)) << expected;
  }
}

}  // namespace
}  // namespace fascia::test
