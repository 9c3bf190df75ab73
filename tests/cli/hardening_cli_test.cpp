// Hostile inputs through the real binary (issue 11): broken and impostor
// plugins in a --plugin-dir, inputs with no end, protocols with CR line
// endings or engine-reserved rule ids. Each is refused cleanly, located,
// in milliseconds, and the rest keeps working.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kTestPlugins = FASCIA_BINARY_DIR "/lib/fascia/test-plugins/";

std::string test_plugin(const std::string& name) {
  return kTestPlugins + name + "/libfascia-test_" + name + ".so";
}

// A plugin folder (mode 0755) holding copies of the given test plugins.
std::string plugin_folder(const std::string& name, const std::vector<std::string>& plugins) {
  const std::string dir = temp_dir(name);
  chmod(dir.c_str(), 0755);
  for (const auto& p : plugins) {
    const std::string to = dir + "/libfascia-test_" + p + ".so";
    fs::copy_file(test_plugin(p), to, fs::copy_options::overwrite_existing);
    chmod(to.c_str(), 0755);
  }
  return fs::canonical(dir).string();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto i = text.find(what); i != std::string::npos; i = text.find(what, i + 1)) ++n;
  return n;
}

TEST(HardeningCli, TruncatedPluginIsOneLocatedErrorAndTheBundledOnesStillLoad) {
  // On main: SIGBUS inside dlopen, exit 135.
  const std::string dir = plugin_folder("truncated", {"truncated"});
  const auto run = run_fascia({"plugins", "--plugin-dir", dir});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("5 plugins"));
  EXPECT_THAT(run.out, HasSubstr("  swedish 1.0.0"));
  const auto errors = lines_of(run.err);
  ASSERT_EQ(errors.size(), 1u) << run.err;
  EXPECT_THAT(errors[0], HasSubstr(dir + "/libfascia-test_truncated.so: error: the file is "
                                         "truncated: it has 3000 bytes but its "));
}

TEST(HardeningCli, ThrowingStaticConstructorDoesNotStopTheOtherPlugins) {
  const std::string dir = plugin_folder("throws", {"static_ctor_throws"});
  const auto run = run_fascia({"evaluate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-flare.yaml", "--plugin-dir", dir});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto errors = lines_of(run.err);
  ASSERT_EQ(errors.size(), 1u) << run.err;
  EXPECT_THAT(errors[0], HasSubstr(dir + "/libfascia-test_static_ctor_throws.so: warning: the "
                                         "plugin threw an exception while loading"));
  EXPECT_THAT(errors[0], HasSubstr("license server unreachable"));
}

TEST(HardeningCli, ForeignCpuPluginSaysSo) {
  const std::string dir = plugin_folder("foreign", {"foreign_machine"});
  const auto run = run_fascia({"plugins", "--plugin-dir", dir});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("plugin was built for another CPU"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("No such file or directory")));
}

TEST(HardeningCli, ImpostorSwedishCannotDisplaceTheBundledOne) {
  const std::string dir = plugin_folder("impostor", {"duplicate_technique"});
  const auto run = run_fascia({"evaluate", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-flare.yaml", "--plugin-dir", dir});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto errors = lines_of(run.err);
  ASSERT_EQ(errors.size(), 1u) << run.err;
  EXPECT_THAT(errors[0], HasSubstr("technique 'swedish' from plugin 'test_duplicate' (" + dir +
                                   "/libfascia-test_duplicate_technique.so) is already provided "
                                   "by plugin 'swedish' ("));
  EXPECT_THAT(errors[0], HasSubstr("/libfascia-swedish.so)"));
  const auto listed = run_fascia({"plugins", "--json", "--plugin-dir", dir});
  EXPECT_THAT(listed.out, HasSubstr("libfascia-swedish.so"));
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr("test_duplicate")));
}

TEST(HardeningCli, SymlinkLeavingThePluginFolderNeedsTheOption) {
  const std::string dir = temp_dir("links");
  chmod(dir.c_str(), 0755);
  fs::create_symlink(fs::canonical(test_plugin("good")), dir + "/libfascia-linked.so");
  const auto refused = run_fascia({"plugins", "--plugin-dir", dir});
  EXPECT_THAT(refused.err, HasSubstr("refusing to load a plugin through a symbolic link that "
                                     "leaves the plugin folder"));
  EXPECT_THAT(refused.out, HasSubstr("5 plugins"));
  const auto allowed = run_fascia({"plugins", "--plugin-dir", dir, "--allow-plugin-symlinks"});
  EXPECT_EQ(allowed.err, "");
  EXPECT_THAT(allowed.out, HasSubstr("6 plugins"));
}

TEST(HardeningCli, EachPluginProblemIsPrintedOnce) {
  const std::string dir = plugin_folder("once", {"wrong_abi"});
  const auto run = run_fascia({"plugins", "--plugin-dir", dir});
  EXPECT_EQ(count(run.err, "libfascia-test_wrong_abi.so"), 1u) << run.err;
}

TEST(HardeningCli, WhatIfStateFromDevZeroIsACleanInvalidInputError) {
  // On main: reads until std::bad_alloc (exit 4).
  const auto start = std::chrono::steady_clock::now();
  const auto run = run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "/dev/zero", "--set", "flare.active=true"});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "/dev/zero: error: file is too large (more than 4194304 bytes)\n");
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(HardeningCli, OversizedStandardInputIsRefusedWithoutReadingItAll) {
  const std::string huge(5u << 20, ' ');
  for (const std::string command : {"evaluate", "what-if"}) {
    std::vector<std::string> args = {command, "--protocol", "protocols/fibromyalgia.yaml",
                                     "--state", "-"};
    if (command == "what-if") args.insert(args.end(), {"--set", "flare.active=true"});
    const auto run = run_fascia(args, huge);
    EXPECT_EQ(run.exit_code, 3) << command;
    EXPECT_EQ(run.out, "") << command;
    EXPECT_EQ(run.err, "<stdin>: error: file is too large (more than 4194304 bytes)\n") << command;
  }
}

TEST(HardeningCli, OversizedSetValueIsAUsageError) {
  const auto run = run_fascia({"what-if", "--protocol", "protocols/fibromyalgia.yaml", "--state",
                               "protocols/examples/fibromyalgia-flare.yaml", "--set",
                               "notes=" + std::string(9000, 'x')});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "fascia: error: --set 'notes=...' is too long (9006 characters; the limit "
            "is 8192)\n");
}

TEST(HardeningCli, ProtocolWithOldMacLineEndingsValidates) {
  // On main: "the protocol file is empty" at 1:1.
  std::string text = read_text(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
  for (auto& c : text)
    if (c == '\n') c = '\r';
  const std::string file = temp_dir("cr") + "/fibromyalgia-cr.yaml";
  std::ofstream(file, std::ios::binary) << text;
  const auto run = run_fascia({"validate", file});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, file + ": valid, 0 warnings\n");
}

TEST(HardeningCli, EngineReservedRuleIdsAreALoadErrorNamingTheForm) {
  std::string text = read_text(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
  const std::string from = "- id: caps.high-sensitivity";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  const std::string file = temp_dir("reserved") + "/reserved.yaml";
  for (const std::string id : {"client.pressure_tolerance", "swedish.pressure-clamped",
                               "stages.foundation.pressure_max"}) {
    std::string changed = text;
    changed.replace(at, from.size(), "- id: " + id);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << changed;
    const auto run = run_fascia({"validate", file});
    EXPECT_EQ(run.exit_code, 3) << id;
    EXPECT_THAT(run.err, HasSubstr("error: rule id '" + id + "' has the form '")) << id;
    EXPECT_THAT(run.err, HasSubstr("', which the engine reserves for its own adjustments; choose "
                                   "another id"))
        << id;
  }
}

}  // namespace
}  // namespace fascia::test
