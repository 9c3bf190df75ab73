// Pinning a plugin in a protocol: `plugins: {NAME: {version: C, sha256: H}}`
// loads only when the library file the engine loaded has exactly that
// SHA-256 (sha256sum's output). A mismatch is a load error at the pin naming
// the file, the expected and the actual hash.
#include <fascia/engine.hpp>
#include <fascia/plugin.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string good_plugin =
    std::string(FASCIA_TEST_PLUGIN_DIR) + "/good/libfascia-test_good.so";

// The reference implementation: coreutils, not the engine's own SHA-256.
std::string sha256sum(const std::string& file) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(("sha256sum '" + file + "'").c_str(), "r"),
                                             pclose);
  char buffer[65] = {};
  if (!pipe || std::fread(buffer, 1, 64, pipe.get()) != 64) return "sha256sum failed";
  return std::string(buffer, 64);
}

std::string errors_of(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) out += d.to_string() + "\n";
  return out;
}

// A copy of the test plugin in a new folder only its owner may write (the
// host refuses others'), removed with the folder at the end of the test.
struct PluginCopy {
  PluginCopy() {
    dir = (fs::temp_directory_path() / "fascia-pin-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    chmod(dir.c_str(), 0755);
    file = dir + "/libfascia-test_good.so";
    fs::copy_file(good_plugin, file);
    chmod(file.c_str(), 0755);
  }
  ~PluginCopy() { fs::remove_all(dir); }
  PluginCopy(const PluginCopy&) = delete;
  PluginCopy& operator=(const PluginCopy&) = delete;
  std::string dir, file;
};

Engine engine_with_good(const std::string& plugin_file) {
  EngineOptions options;
  options.use_environment = false;
  options.use_default_dirs = false;
  Engine engine(options);
  for (const auto& d : engine.load_plugin(plugin_file)) ADD_FAILURE() << d.to_string();
  return engine;
}

// A protocol using the test plugin's technique; `pin` is the plugins entry.
std::string protocol(const std::string& pin) {
  return "format: 1\n"
         "protocol: {id: pinned, version: 1.0.0, title: Pinned, conditions: [fibromyalgia]}\n"
         "plugins:\n"
         "  test_good: " +
         pin +
         "\n"
         "session: {duration_minutes: 60}\n"
         "stages:\n"
         "  - {id: only, techniques: [test_echo], pressure_max: 5}\n"
         "frequency:\n"
         "  start: weekly\n"
         "  ladder: [{id: weekly, interval_days: 7}]\n";
}

TEST(PluginPin, MatchingHashLoads) {
  const Engine engine = engine_with_good(good_plugin);
  const std::string hash = sha256sum(good_plugin);
  auto p =
      engine.parse_protocol(protocol("{version: \">=1.0.0\", sha256: " + hash + "}"), "p.yaml");
  EXPECT_TRUE(p.ok()) << errors_of(p.diagnostics());
  // sha256sum prints lowercase; uppercase copies from other tools work too.
  std::string upper = hash;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto q = engine.parse_protocol(protocol("{version: \"*\", sha256: \"" + upper + "\"}"), "p.yaml");
  EXPECT_TRUE(q.ok()) << errors_of(q.diagnostics());
  // The plain form is unchanged.
  auto r = engine.parse_protocol(protocol("\">=1.2.0\""), "p.yaml");
  EXPECT_TRUE(r.ok()) << errors_of(r.diagnostics());
}

TEST(PluginPin, MismatchNamesFileExpectedAndActual) {
  const Engine engine = engine_with_good(good_plugin);
  const std::string wrong(64, 'a');
  auto p =
      engine.parse_protocol(protocol("{version: \">=1.0.0\", sha256: " + wrong + "}"), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(errors_of(p.diagnostics()), "p.yaml:4:43: error: plugin 'test_good' file " +
                                            fs::canonical(good_plugin).string() +
                                            " does not match the pinned sha256: expected " + wrong +
                                            ", actual " + sha256sum(good_plugin) + "\n");
}

TEST(PluginPin, AModifiedLibraryIsRefused) {
  // A copy with one byte appended still loads as a library, but is not the
  // file the protocol was validated with.
  const PluginCopy plugin;
  const std::string& copy = plugin.file;
  const std::string original_hash = sha256sum(copy);
  std::ofstream(copy, std::ios::app | std::ios::binary) << '\0';
  const Engine engine = engine_with_good(copy);
  auto p =
      engine.parse_protocol(protocol("{version: \"*\", sha256: " + original_hash + "}"), "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(errors_of(p.diagnostics()), HasSubstr("does not match the pinned sha256: expected " +
                                                    original_hash + ", actual " + sha256sum(copy)));
}

TEST(PluginPin, TheHashIsOfTheFileThatWasLoadedNotOfWhatThePathNamesLater) {
  // The hash is read when a protocol first pins the plugin, from the file
  // the host checked and loaded (kept open), not by its path: a file put in
  // its place afterwards changes nothing, and every later pin sees the same.
  const PluginCopy plugin;
  const std::string& copy = plugin.file;
  const std::string loaded_hash = sha256sum(copy);
  const Engine engine = engine_with_good(copy);
  const std::string other = plugin.dir + "/other.so";
  fs::copy_file(good_plugin, other);
  std::ofstream(other, std::ios::app | std::ios::binary) << '\0';
  fs::rename(other, copy);  // a new file under the loaded one's name
  ASSERT_NE(sha256sum(copy), loaded_hash);
  for (int i = 0; i < 2; ++i) {
    auto p =
        engine.parse_protocol(protocol("{version: \"*\", sha256: " + loaded_hash + "}"), "p.yaml");
    EXPECT_TRUE(p.ok()) << errors_of(p.diagnostics());
  }
  auto q = engine.parse_protocol(protocol("{version: \"*\", sha256: " + sha256sum(copy) + "}"),
                                 "p.yaml");
  EXPECT_THAT(errors_of(q.diagnostics()), HasSubstr("actual " + loaded_hash));
}

TEST(PluginPin, MalformedPins) {
  const Engine engine = engine_with_good(good_plugin);
  EXPECT_EQ(
      errors_of(
          engine.parse_protocol(protocol("{version: \"*\", sha256: abc}"), "p.yaml").diagnostics()),
      "p.yaml:4:37: error: plugins.test_good.sha256 must be 64 hexadecimal digits (the "
      "output of sha256sum on the plugin file), got 'abc'\n");
  const std::string not_hex(64, 'g');
  EXPECT_THAT(
      errors_of(
          engine.parse_protocol(protocol("{version: \"*\", sha256: " + not_hex + "}"), "p.yaml")
              .diagnostics()),
      HasSubstr("p.yaml:4:37: error: plugins.test_good.sha256 must be 64 hexadecimal"));
  EXPECT_THAT(
      errors_of(engine.parse_protocol(protocol("{sha256: " + std::string(64, '0') + "}"), "p.yaml")
                    .diagnostics()),
      HasSubstr("p.yaml:4:14: error: missing required key 'version'"));
  EXPECT_THAT(
      errors_of(
          engine.parse_protocol(protocol("{version: \"*\", sha512: x}"), "p.yaml").diagnostics()),
      HasSubstr("p.yaml:4:29: error: unknown key 'sha512' in plugins.test_good; expected one of: "
                "version, sha256"));
}

void register_builtin(TechniqueRegistry& registry) {
  struct Builtin final : Technique {
    TechniqueInfo info() const override {
      TechniqueInfo i;
      i.id = "test_echo";
      i.display_name = "Built-in echo";
      return i;
    }
    void adjust(const TechniqueContext&, TechniqueResult&) const override {}
  };
  registry.add(std::make_unique<Builtin>());
}
FASCIA_PLUGIN_INFO(builtin_good, "test_good", "1.2.3", register_builtin);

TEST(PluginPin, ABuiltInPluginHasNoFileToPin) {
  EngineOptions options;
  options.use_environment = false;
  options.use_default_dirs = false;
  Engine engine(options);
  ASSERT_FALSE(has_errors(engine.add_plugin(builtin_good)));
  auto p = engine.parse_protocol(protocol("{version: \"*\", sha256: " + std::string(64, '0') + "}"),
                                 "p.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(errors_of(p.diagnostics()),
            "p.yaml:4:37: error: plugin 'test_good' is built into the program (<built-in>): "
            "there is no file to check the sha256 pin against\n");
}

}  // namespace
}  // namespace fascia::test
