// No health data in logs at the default level: evaluating a client state
// with recognisable values, through the library and through the CLI, writes
// none of them to stderr (where the "fascia" logger writes). Recommendations
// and error messages are output, not logs, and may name the client.
#include <fascia/engine.hpp>
#include "../bundled_plugins.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

// Values no protocol, plugin or message contains by accident.
const std::vector<std::string> health_values = {"ZZ-UNIQUE-4242", "7.25", "3.75",
                                                "2.25",           "437",  "2026-10-31"};

const std::string state_yaml = R"(client: {id: ZZ-UNIQUE-4242, condition: fibromyalgia}
as_of: 2026-11-20
program: {stage: foundation, sessions_completed: 4, weeks_in_program: 5}
pain: {current: 7.25, baseline: 3.75}
sensitivity: high
pressure_tolerance: 4
sleep_quality: 2.25
flare: {active: true, severity: 6, days_since_last: 1, count_30d: 1}
medications_changed: true
history:
  - {date: 2026-10-31, techniques: [swedish], pressure: 3, soreness_24h: 7.25, pain_before: 7.25}
observations: {morning_stiffness_minutes: 437}
)";

const std::string state_json =
    R"({"client": {"id": "ZZ-UNIQUE-4242", "condition": "fibromyalgia"}, "as_of": "2026-11-20",)"
    R"( "pain": {"current": 7.25, "baseline": 3.75}, "sensitivity": "high",)"
    R"( "pressure_tolerance": 4, "sleep_quality": 2.25,)"
    R"( "flare": {"active": false, "days_since_last": 1, "count_30d": 1},)"
    R"( "observations": {"morning_stiffness_minutes": 437}})";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void expect_no_health_data(const std::string& log, const std::string& what) {
  for (const auto& value : health_values)
    EXPECT_EQ(log.find(value), std::string::npos) << what << " wrote '" << value << "' to stderr:\n"
                                                  << log;
}

// Everything written to file descriptor 2 while alive (the logger's stderr
// sink, and anything else in the process).
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    char name[] = "/tmp/fascia-stderr-XXXXXX";
    fd_ = mkstemp(name);
    path_ = name;
    saved_ = dup(2);
    dup2(fd_, 2);
  }
  std::string finish() {
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    close(fd_);
    std::string text = read_file(path_);
    std::remove(path_.c_str());
    return text;
  }

 private:
  int fd_ = -1, saved_ = -1;
  std::string path_;
};

class NoHealthDataInLogs : public ::testing::Test {
 protected:
  // The default level: whatever the environment of the test run says.
  static void SetUpTestSuite() { unsetenv("FASCIA_LOG_LEVEL"); }
};

TEST_F(NoHealthDataInLogs, LibraryEvaluationLogsNoneOfTheClientsValues) {
  StderrCapture capture;
  std::string json;
  {
    Engine engine(test::bundled_plugins_only());
    engine.load_plugins();
    auto protocol = engine.load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml").value();
    for (const auto& text : {state_yaml, state_json}) {
      auto state = protocol->parse_state(text, "client.yaml").value();
      EvaluateOptions explain;
      explain.explain = true;
      json += to_json(protocol->evaluate(state, explain).value());
      json += to_json(protocol->evaluate(state).value());
    }
    // A state with a mistake: its diagnostics are returned, not logged.
    auto bad = protocol->parse_state(state_yaml + "sensitvity: low\n", "client.yaml");
    EXPECT_FALSE(bad.ok());
  }
  std::fprintf(stderr, "capture-check\n");
  const std::string log = capture.finish();
  // The capture works, and the values did reach the output.
  EXPECT_NE(log.find("capture-check"), std::string::npos);
  EXPECT_NE(json.find("ZZ-UNIQUE-4242"), std::string::npos);
  expect_no_health_data(log, "the library");
}

TEST_F(NoHealthDataInLogs, PluginFailureWarningsLogNoneOfTheClientsValues) {
  StderrCapture capture;
  std::string json;
  {
    Engine engine(test::bundled_plugins_only());
    engine.load_plugins();
    for (const auto& d : engine.load_plugin(std::string(FASCIA_TEST_PLUGIN_DIR) +
                                            "/adjust_throws/libfascia-test_adjust_throws.so"))
      ADD_FAILURE() << d.to_string();
    auto protocol = engine
                        .parse_protocol(R"(format: 1
protocol: {id: throws, version: 1.0.0, title: Throws, conditions: [fibromyalgia]}
plugins: {swedish: "*", test_adjust_throws: "*"}
observations: {morning_stiffness_minutes: {type: integer}}
session: {duration_minutes: 60}
stages: [{id: foundation, techniques: [swedish, test_adjust_throws], pressure_max: 5}]
frequency: {start: weekly, ladder: [{id: weekly, interval_days: 7}]}
pressure_caps:
  - {id: c.fails, when: test_adjust_throws.fails(), cap: 2, reason: "pain {pain.current}"}
)",
                                        "throws.yaml")
                        .value();
    auto state = protocol->parse_state(state_yaml, "client.yaml").value();
    auto r = protocol->evaluate(state).value();
    EXPECT_FALSE(r.warnings.empty());  // the failure is reported in the output
    json = to_json(r);
  }
  const std::string log = capture.finish();
  EXPECT_NE(json.find("7.25"), std::string::npos);  // the reason carries the value
  expect_no_health_data(log, "a failing plugin");
}

struct CliRun {
  int status = -1;
  std::string out, err;
};

// Runs the CLI with the default log level (or `level`), stdin from a file.
CliRun run_cli(const std::vector<std::string>& args, const std::string& input = "",
               const std::string& level = "") {
  const fs::path dir = fs::temp_directory_path();
  const std::string tag = std::to_string(getpid());
  const std::string in = (dir / ("fascia-privacy-in-" + tag)).string();
  const std::string out = (dir / ("fascia-privacy-out-" + tag)).string();
  const std::string err = (dir / ("fascia-privacy-err-" + tag)).string();
  std::ofstream(in) << input;
  std::string command = "env -u FASCIA_LOG_LEVEL FASCIA_PLUGIN_PATH= ";
  if (!level.empty()) command += "FASCIA_LOG_LEVEL=" + level + " ";
  command += "'" FASCIA_BINARY_DIR "/bin/fascia'";
  for (const auto& a : args) command += " '" + a + "'";
  command += " <'" + in + "' >'" + out + "' 2>'" + err + "'";
  CliRun run;
  const int status = std::system(command.c_str());
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  for (const auto& f : {in, out, err}) std::remove(f.c_str());
  return run;
}

class CliLogs : public NoHealthDataInLogs {
 protected:
  void SetUp() override {
    if (!fs::exists(FASCIA_BINARY_DIR "/bin/fascia")) GTEST_SKIP() << "the CLI is not built";
    state_file_ =
        (fs::temp_directory_path() / ("fascia-privacy-state-" + std::to_string(getpid()) + ".yaml"))
            .string();
    std::ofstream(state_file_) << state_yaml;
  }
  void TearDown() override { std::remove(state_file_.c_str()); }
  const std::string protocol_ = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";
  std::string state_file_;
};

TEST_F(CliLogs, EvaluateLogsNoneOfTheClientsValues) {
  for (const auto& extra : std::vector<std::vector<std::string>>{{"--json"}, {"--explain"}, {}}) {
    std::vector<std::string> args = {"evaluate", "--protocol", protocol_, "--state", state_file_};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun run = run_cli(args);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("ZZ-UNIQUE-4242"), std::string::npos) << run.out;
    expect_no_health_data(run.err, "fascia evaluate");
  }
}

TEST_F(CliLogs, BatchAndWhatIfLogNoneOfTheClientsValues) {
  const CliRun batch =
      run_cli({"batch", "--protocol", protocol_}, state_json + "\n" + state_json + "\n");
  EXPECT_EQ(batch.status, 0) << batch.err;
  EXPECT_NE(batch.out.find("ZZ-UNIQUE-4242"), std::string::npos) << batch.out;
  expect_no_health_data(batch.err, "fascia batch");

  const CliRun what_if = run_cli({"what-if", "--protocol", protocol_, "--state", state_file_,
                                  "--set", "flare.active=false", "--json"});
  EXPECT_EQ(what_if.status, 0) << what_if.err;
  expect_no_health_data(what_if.err, "fascia what-if");
}

TEST_F(CliLogs, TheCheckWouldSeeTheLogger) {
  // The control: the logger's lines ("fascia: debug: ...", here for a
  // plugin file that is not a library, which the library logs at debug
  // level and the CLI itself prints once) do reach the stderr the checks
  // above read, and FASCIA_LOG_LEVEL does reach the logger.
  const std::string broken = std::string(FASCIA_TEST_PLUGIN_DIR) + "/not_a_library";
  const CliRun shown = run_cli({"plugins", "--plugin-dir", broken}, "", "debug");
  EXPECT_THAT(shown.err, ::testing::HasSubstr("fascia: debug: "));
  const CliRun silenced = run_cli({"plugins", "--plugin-dir", broken}, "", "off");
  EXPECT_THAT(silenced.err, ::testing::Not(::testing::HasSubstr("fascia: debug: ")));
  // At the default level the problem is printed once, by the CLI.
  const CliRun plain = run_cli({"plugins", "--plugin-dir", broken});
  EXPECT_THAT(plain.err, ::testing::Not(::testing::HasSubstr("fascia: warning: ")));
  EXPECT_THAT(plain.err, ::testing::HasSubstr("libfascia-test_not_a_library.so: error: "));
}

}  // namespace
}  // namespace fascia::test
