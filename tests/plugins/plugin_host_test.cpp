// Loading plugins: every failure stage has its own exact message, tested
// with a real shared library broken in that way.

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using detail::PluginHost;
using ::testing::ElementsAre;

std::string canonical(const std::string& path) { return fs::canonical(path).string(); }

// A private folder under /tmp, mode 0755, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "fascia-plugin-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = fs::canonical(pattern);
    chmod(path_.c_str(), 0755);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string copy(const std::string& from, const std::string& name) const {
    fs::path to = path_ / name;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    chmod(to.c_str(), 0755);
    return to.string();
  }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// One error diagnostic: "FILE: error: MESSAGE".
std::string only_error(const Diagnostics& d) {
  if (d.size() != 1) {
    std::string all = std::to_string(d.size()) + " diagnostics:";
    for (const auto& x : d) all += "\n  " + x.to_string();
    return all;
  }
  EXPECT_EQ(d[0].severity, Severity::error);
  EXPECT_EQ(d[0].location.line, 0u);
  return d[0].to_string();
}

TEST(PluginHost, LoadsTheBundledPlugins) {
  PluginHost host;
  Diagnostics d = host.load_directory(FASCIA_PLUGIN_BUILD_DIR);
  ASSERT_TRUE(d.empty()) << d[0].to_string();
  std::vector<std::string> names;
  for (const auto& p : host.plugins()) {
    names.push_back(p.name);
    EXPECT_EQ(p.version, "1.0.0");
    EXPECT_EQ(p.abi_version, FASCIA_PLUGIN_ABI_VERSION);
    EXPECT_EQ(p.built_against, "0.1.0");
    EXPECT_EQ(p.file, canonical(bundled_plugin(p.name)));
    EXPECT_THAT(p.techniques, ElementsAre(p.name));
  }
  EXPECT_THAT(names, ElementsAre("deep_tissue", "home_program", "myofascial_release", "swedish",
                                 "trigger_point"));
  std::vector<std::string> ids;
  for (const auto& t : host.techniques()) ids.push_back(t->info.id);
  EXPECT_EQ(ids, names);  // one technique per bundled plugin, same name

  auto swedish = host.find_technique("swedish");
  ASSERT_TRUE(swedish);
  EXPECT_TRUE(swedish->info.flare_safe);
  EXPECT_EQ(swedish->info.max_pressure, 10);
  EXPECT_EQ(swedish->plugin->description.name, "swedish");
  EXPECT_EQ(host.find_plugin("swedish"), swedish->plugin);
  EXPECT_FALSE(host.find_technique("shiatsu"));
  EXPECT_FALSE(host.find_plugin("shiatsu"));
  EXPECT_EQ(host.find_home_template("self_mfr")->info.id, "myofascial_release");
  EXPECT_EQ(host.find_home_template("foam_roller")->info.id, "home_program");
  EXPECT_FALSE(host.find_home_template("sauna"));
}

TEST(PluginHost, InSessionTechniquesAlwaysDeclarePressureMax) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(test_plugin("good")).empty());
  auto echo = host.find_technique("test_echo");
  ASSERT_TRUE(echo);
  ASSERT_FALSE(echo->parameter_schema.empty());
  const ConfigField& field = echo->parameter_schema.front();
  EXPECT_EQ(field.name, "pressure_max");
  EXPECT_EQ(field.type, ConfigType::integer);
  EXPECT_EQ(field.min, 1.0);
  EXPECT_EQ(field.max, 9.0);  // the technique's max_pressure
  // Home techniques have no pressure.
  const auto& home = technique("home_program");
  for (const auto& f : home.parameter_schema) EXPECT_NE(f.name, "pressure_max");
}

TEST(PluginHost, LoadingTheSameFileTwiceIsANoOp) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(test_plugin("good")).empty());
  EXPECT_TRUE(host.load_file(test_plugin("good")).empty());
  // Another spelling of the same path is the same file.
  std::string dotted =
      std::string(FASCIA_TEST_PLUGIN_DIR) + "/good/../good/./libfascia-test_good.so";
  EXPECT_TRUE(host.load_file(dotted).empty());
  TempDir dir;
  fs::path link = fs::path(dir.str()) / "libfascia-link.so";
  fs::create_symlink(test_plugin("good"), link);
  EXPECT_TRUE(host.load_file(link.string()).empty());
  EXPECT_EQ(host.plugins().size(), 1u);
}

TEST(PluginHost, RelativePathsAreMadeAbsolute) {
  PluginHost host;
  std::string relative = fs::relative(test_plugin("good"), fs::current_path()).string();
  ASSERT_TRUE(fs::path(relative).is_relative());
  ASSERT_TRUE(host.load_file(relative).empty());
  EXPECT_EQ(host.find_plugin("test_good")->description.file, canonical(test_plugin("good")));
}

TEST(PluginHost, MissingFile) {
  PluginHost host;
  std::string file = std::string(FASCIA_TEST_PLUGIN_DIR) + "/libfascia-nowhere.so";
  EXPECT_EQ(only_error(host.load_file(file)), file + ": error: plugin file not found");
}

TEST(PluginHost, NotARegularFile) {
  PluginHost host;
  TempDir dir;
  fs::create_directory(dir.str() + "/libfascia-folder.so");
  EXPECT_EQ(only_error(host.load_file(dir.str() + "/libfascia-folder.so")),
            dir.str() +
                "/libfascia-folder.so: error: not a regular file: a plugin is a shared "
                "library (lib*.so)");
}

TEST(PluginHost, NotALibrary) {
  PluginHost host;
  std::string file = canonical(test_plugin("not_a_library"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: not a shared library (no ELF header): a plugin is a lib*.so built "
                "with fascia_add_plugin(); remove this file from the plugin folder");
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, EmptyFileIsNotALibrary) {
  PluginHost host;
  TempDir dir;
  std::string file = dir.str() + "/libfascia-empty.so";
  { std::ofstream out(file); }
  chmod(file.c_str(), 0644);
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: not a complete shared library: the file has only 0 bytes, less "
                "than an ELF header; is it still being copied? copy it again");
}

TEST(PluginHost, NoEntryPoint) {
  PluginHost host;
  std::string file = canonical(test_plugin("no_entry"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: no entry point 'fascia_plugin_entry': is this a fascia plugin? "
                "(plugins define it with FASCIA_PLUGIN from <fascia/plugin.hpp>)");
}

TEST(PluginHost, WrongAbiVersion) {
  PluginHost host;
  std::string file = canonical(test_plugin("wrong_abi"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: wrong plugin ABI version: plugin was built for ABI 99 (fascia "
                "9.0.0), this engine supports ABI 2 (fascia 0.1.0); rebuild the plugin "
                "against fascia 0.1.0");
  EXPECT_FALSE(host.find_plugin("test_wrong_abi"));
}

// A real library built for ABI 1 (before Technique::inputs()): refused from
// its first two fields, with what changed and what to do.
TEST(PluginHost, PluginBuiltForAbi1) {
  PluginHost host;
  std::string file = canonical(test_plugin("abi1"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: wrong plugin ABI version: plugin was built for ABI 1 (fascia 0.1.0), "
                "this engine supports ABI 2 (fascia 0.1.0); rebuild the plugin against fascia "
                "0.1.0 (ABI 2 added Technique::inputs(): override it to declare the "
                "client-state fields and configuration keys adjust() reads; see "
                "plugins/README.md)");
  EXPECT_FALSE(host.find_plugin("test_abi1"));
}

TEST(PluginHost, InputsNamingUnknownFieldsAreRefused) {
  PluginHost host;
  std::string file = canonical(test_plugin("unknown_input"));
  const std::string prefix =
      file + ": error: plugin 'test_unknown_input': technique 'test_unknown_input': ";
  const std::string listed =
      "; declare fields by their path in the client state: the names are listed in "
      "fascia/plugin.hpp (TechniqueInputs) and plugins/README.md";
  std::vector<std::string> errors;
  for (const auto& d : host.load_file(file)) errors.push_back(d.to_string());
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                prefix +
                    "declares that adjust() reads client-state field 'pain.curent', which does "
                    "not exist (did you mean 'pain.current'?)" +
                    listed,
                prefix +
                    "declares that adjust() reads client-state field 'last.sorenes_24h', which "
                    "does not exist (did you mean 'last.soreness_24h'?)" +
                    listed,
                prefix + "declares that adjust() reads configuration key 'levle', which its "
                         "config_schema() does not declare (did you mean 'level'?); add it to "
                         "config_schema() or remove it from inputs()"}));
  EXPECT_FALSE(host.find_plugin("test_unknown_input"));
}

TEST(PluginHost, BundledTechniquesDeclareTheirInputs) {
  for (const auto& t : bundled_host().techniques())
    EXPECT_FALSE(t->inputs.everything) << t->info.id << " does not declare what adjust() reads";
}

TEST(PluginHost, EntryReturnsNull) {
  PluginHost host;
  std::string file = canonical(test_plugin("entry_null"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: the entry point 'fascia_plugin_entry' returned no plugin "
                "information (null); the plugin is broken, rebuild it with FASCIA_PLUGIN");
}

TEST(PluginHost, RegisterThrows) {
  PluginHost host;
  std::string file = canonical(test_plugin("register_throws"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: plugin 'test_register_throws' failed to register its techniques: "
                "trigger point map is missing");
  EXPECT_FALSE(host.find_plugin("test_register_throws"));
}

TEST(PluginHost, DuplicateTechniqueNamesBothPlugins) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(bundled_plugin("swedish")).empty());
  std::string file = canonical(test_plugin("duplicate_technique"));
  std::string swedish = canonical(bundled_plugin("swedish"));
  EXPECT_EQ(only_error(host.load_file(file)),
            file + ": error: technique 'swedish' from plugin 'test_duplicate' (" + file +
                ") is already provided by plugin 'swedish' (" + swedish + ")");
  EXPECT_FALSE(host.find_plugin("test_duplicate"));
  EXPECT_EQ(host.find_technique("swedish")->plugin->description.name, "swedish");
}

TEST(PluginHost, DuplicatePluginName) {
  PluginHost host;
  TempDir a, b;
  std::string first = a.copy(test_plugin("good"), "libfascia-good.so");
  std::string second = b.copy(test_plugin("good"), "libfascia-good.so");
  ASSERT_TRUE(host.load_file(first).empty());
  EXPECT_EQ(only_error(host.load_file(second)),
            second + ": error: plugin 'test_good' is already loaded from " + first +
                "; remove one of the two copies from the plugin folders");
}

TEST(PluginHost, RefusesAWorldWritablePlugin) {
  PluginHost host;
  TempDir dir;
  std::string file = dir.copy(test_plugin("good"), "libfascia-good.so");
  chmod(file.c_str(), 0777);
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: refusing to load a plugin writable by other users (mode 0777); "
                "fix with chmod go-w " +
                file);
  chmod(file.c_str(), 0646);
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: refusing to load a plugin writable by other users (mode 0646); "
                "fix with chmod go-w " +
                file);
  EXPECT_TRUE(host.plugins().empty());
  chmod(file.c_str(), 0755);
  EXPECT_TRUE(host.load_file(file).empty());
}

TEST(PluginHost, RefusesAPluginInAWorldWritableFolder) {
  PluginHost host;
  TempDir dir;
  std::string file = dir.copy(test_plugin("good"), "libfascia-good.so");
  chmod(dir.str().c_str(), 0777);
  EXPECT_EQ(only_error(host.load_file(file)),
            file + ": error: refusing to load a plugin from a folder writable by other users (" +
                dir.str() + ", mode 0777); fix with chmod go-w " + dir.str());
  chmod(dir.str().c_str(), 0755);
  EXPECT_TRUE(host.load_file(file).empty());
}

TEST(PluginHost, GroupWritableOnlyForAPrivateGroup) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to change a file's group";
  PluginHost host;
  TempDir dir;
  std::string file = dir.copy(test_plugin("good"), "libfascia-good.so");
  // Group 100 is not root's private group: its members could replace the file.
  ASSERT_EQ(chown(file.c_str(), 0, 100), 0);
  chmod(file.c_str(), 0775);
  EXPECT_EQ(only_error(host.load_file(file)),
            file +
                ": error: refusing to load a plugin writable by other users (mode 0775); "
                "fix with chmod go-w " +
                file);
  // root:root is root's private group (no other members): umask 002 setups.
  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  EXPECT_TRUE(host.load_file(file).empty());
}

TEST(PluginHost, LoadDirectoryReportsEachFailureAndKeepsTheRest) {
  PluginHost host;
  TempDir dir;
  dir.copy(test_plugin("not_a_library"), "libfascia-b.so");
  dir.copy(test_plugin("good"), "libfascia-c.so");
  dir.copy(test_plugin("no_entry"), "libfascia-a.so");
  dir.copy(test_plugin("not_a_library"), "notes.txt");
  dir.copy(test_plugin("not_a_library"), "libfascia-d.so.1");
  dir.copy(test_plugin("not_a_library"), "fascia-e.so");
  Diagnostics d = host.load_directory(dir.str());
  ASSERT_EQ(d.size(), 2u);
  // In file-name order, whatever order the folder lists them in.
  EXPECT_THAT(d[0].to_string(), ::testing::StartsWith(dir.str() + "/libfascia-a.so: error: no "
                                                                  "entry point"));
  EXPECT_THAT(d[1].to_string(),
              ::testing::StartsWith(dir.str() + "/libfascia-b.so: error: not a shared library"));
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0].file, dir.str() + "/libfascia-c.so");
}

TEST(PluginHost, LoadDirectoryErrors) {
  PluginHost host;
  std::string missing = std::string(FASCIA_TEST_PLUGIN_DIR) + "/nowhere";
  EXPECT_EQ(only_error(host.load_directory(missing)), missing + ": error: plugin folder not found");
  std::string file = canonical(test_plugin("good"));
  EXPECT_EQ(only_error(host.load_directory(file)), file + ": error: not a folder");
  TempDir empty;
  EXPECT_TRUE(host.load_directory(empty.str()).empty());
}

TEST(PluginHost, AFailedPluginLeavesNothingBehind) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(bundled_plugin("swedish")).empty());
  EXPECT_FALSE(host.load_file(test_plugin("register_throws")).empty());
  EXPECT_FALSE(host.load_file(test_plugin("duplicate_technique")).empty());
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.techniques().size(), 1u);
  // A refused file is not remembered as loaded: trying again reports again.
  EXPECT_FALSE(host.load_file(test_plugin("duplicate_technique")).empty());
  // Without swedish loaded, the same plugin is fine.
  PluginHost other;
  EXPECT_TRUE(other.load_file(test_plugin("duplicate_technique")).empty());
  EXPECT_EQ(other.find_technique("swedish")->plugin->description.name, "test_duplicate");
}

TEST(PluginHost, TechniquesOutliveTheHost) {
  std::shared_ptr<const detail::TechniqueEntry> echo;
  {
    PluginHost host;
    ASSERT_TRUE(host.load_file(test_plugin("good")).empty());
    echo = host.find_technique("test_echo");
  }
  // The entry keeps the library loaded: its code is still callable.
  Adjusted r = run(*echo, typical_client(), {}, 4);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(as_int(r.param("pressure_max")), 4);
  EXPECT_EQ(echo->info.display_name, "Echo (test)");
}

// Copies of the files (new inodes), so that no other test's loads count;
// plugins without unique (STB_GNU_UNIQUE) symbols, which glibc would keep
// loaded anyway.
TEST(PluginHost, AnAcceptedPluginStaysLoadedForTheProcessARefusedOneDoesNot) {
  TempDir dir;
  const std::string kept = dir.copy(test_plugin("adjust_throws"), "libfascia-kept.so");
  const std::string refused = dir.copy(test_plugin("wrong_abi"), "libfascia-refused.so");
  {
    PluginHost host;
    ASSERT_TRUE(host.load_file(kept).empty());
    EXPECT_FALSE(host.load_file(refused).empty());
  }
  void* still = dlopen(kept.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(still, nullptr) << "an accepted plugin was unloaded with its host";
  if (still) dlclose(still);
  void* gone = dlopen(refused.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(gone, nullptr) << "a refused plugin stayed loaded";
  if (gone) dlclose(gone);
}

TEST(PluginHost, DefaultDirsAreNextToTheEngineBinary) {
  // The test links the engine statically: the binary is build/bin/<test>.
  auto dirs = detail::default_plugin_dirs();
  ASSERT_EQ(dirs.size(), 2u);
  fs::path exe = fs::canonical("/proc/self/exe");
  EXPECT_EQ(dirs[0], (exe.parent_path() / "fascia" / "plugins").string());
  EXPECT_EQ(dirs[1], canonical(FASCIA_PLUGIN_BUILD_DIR));
}

TEST(PluginHost, DirsFromEnvironment) {
  setenv("FASCIA_PLUGIN_PATH", "/opt/a::relative/b:", 1);
  EXPECT_THAT(detail::plugin_dirs_from_env(), ElementsAre("/opt/a", "relative/b"));
  setenv("FASCIA_PLUGIN_PATH", "", 1);
  EXPECT_TRUE(detail::plugin_dirs_from_env().empty());
  unsetenv("FASCIA_PLUGIN_PATH");
  EXPECT_TRUE(detail::plugin_dirs_from_env().empty());
}

// ---------------------------------------------------------------------------
// In-process plugins (FASCIA_PLUGIN_INFO): the same checks without a file.

class Configurable final : public Technique {
 public:
  explicit Configurable(TechniqueInfo info, std::vector<ConfigField> config = {},
                        std::vector<PluginFunction> functions = {},
                        std::vector<HomeProgramTemplate> templates = {})
      : info_(std::move(info)),
        config_(std::move(config)),
        functions_(std::move(functions)),
        templates_(std::move(templates)) {}
  TechniqueInfo info() const override { return info_; }
  std::vector<ConfigField> config_schema() const override { return config_; }
  std::vector<PluginFunction> functions() const override { return functions_; }
  std::vector<HomeProgramTemplate> home_program_templates() const override { return templates_; }
  void adjust(const TechniqueContext&, TechniqueResult&) const override {}

 private:
  TechniqueInfo info_;
  std::vector<ConfigField> config_;
  std::vector<PluginFunction> functions_;
  std::vector<HomeProgramTemplate> templates_;
};

TechniqueInfo info_for(std::string id, int default_pressure = 3, int max_pressure = 10) {
  TechniqueInfo i;
  i.id = std::move(id);
  i.default_pressure = default_pressure;
  i.max_pressure = max_pressure;
  return i;
}

class InfoThrows final : public Technique {
 public:
  TechniqueInfo info() const override { return info_for("info_throws"); }
  std::vector<ConfigField> config_schema() const override {
    throw std::runtime_error("schema file missing");
  }
  void adjust(const TechniqueContext&, TechniqueResult&) const override {}
};

void register_valid(TechniqueRegistry& r) {
  r.add(std::make_unique<Configurable>(info_for("builtin_a")));
  r.add(std::make_unique<Configurable>(info_for("builtin_b")));
}
void register_bad_id(TechniqueRegistry& r) {
  r.add(std::make_unique<Configurable>(info_for("Deep-Tissue")));
}
void register_bad_pressures(TechniqueRegistry& r) {
  r.add(std::make_unique<Configurable>(info_for("too_hard", 8, 12)));
  r.add(std::make_unique<Configurable>(info_for("zero", 0, 5)));
  r.add(std::make_unique<Configurable>(info_for("inverted", 6, 4)));
}
void register_null(TechniqueRegistry& r) { r.add(nullptr); }
void register_nothing(TechniqueRegistry&) {}
void register_twice(TechniqueRegistry& r) {
  r.add(std::make_unique<Configurable>(info_for("twin")));
  r.add(std::make_unique<Configurable>(info_for("twin")));
}
void register_info_throws(TechniqueRegistry& r) { r.add(std::make_unique<InfoThrows>()); }
void register_bad_schema(TechniqueRegistry& r) {
  ConfigField no_values;
  no_values.name = "style";
  no_values.type = ConfigType::enumeration;
  ConfigField inverted;
  inverted.name = "minutes";
  inverted.type = ConfigType::integer;
  inverted.min = 10;
  inverted.max = 5;
  ConfigField bad_default;
  bad_default.name = "points";
  bad_default.type = ConfigType::integer;
  bad_default.max = 4;
  bad_default.default_value = std::int64_t{6};
  ConfigField bad_name;
  bad_name.name = "Hold Time";
  ConfigField twice = inverted;
  twice.min = 1;
  PluginFunction no_call;
  no_call.name = "ready";
  r.add(std::make_unique<Configurable>(
      info_for("bad_schema"),
      std::vector<ConfigField>{no_values, inverted, bad_default, bad_name, twice},
      std::vector<PluginFunction>{no_call}));
}
void register_template_clash(TechniqueRegistry& r) {
  TechniqueInfo info = info_for("rollers");
  info.kind = TechniqueKind::home;
  r.add(std::make_unique<Configurable>(info, std::vector<ConfigField>{},
                                       std::vector<PluginFunction>{},
                                       std::vector<HomeProgramTemplate>{{"foam_roller", "", {}}}));
}

FASCIA_PLUGIN_INFO(valid_plugin, "builtin", "2.0.1", register_valid);
FASCIA_PLUGIN_INFO(bad_id_plugin, "bad_id", "1.0.0", register_bad_id);
FASCIA_PLUGIN_INFO(bad_pressures_plugin, "bad_pressures", "1.0.0", register_bad_pressures);
FASCIA_PLUGIN_INFO(null_plugin, "null_technique", "1.0.0", register_null);
FASCIA_PLUGIN_INFO(empty_plugin, "empty", "1.0.0", register_nothing);
FASCIA_PLUGIN_INFO(twice_plugin, "twice", "1.0.0", register_twice);
FASCIA_PLUGIN_INFO(info_throws_plugin, "info_throws", "1.0.0", register_info_throws);
FASCIA_PLUGIN_INFO(bad_schema_plugin, "bad_schema", "1.0.0", register_bad_schema);
FASCIA_PLUGIN_INFO(template_clash_plugin, "template_clash", "1.0.0", register_template_clash);

std::vector<std::string> messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.to_string());
  return out;
}

TEST(BuiltinPlugins, Registers) {
  PluginHost host;
  ASSERT_TRUE(host.add_builtin(valid_plugin).empty());
  auto p = host.find_plugin("builtin");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->description.file, "<built-in>");
  EXPECT_EQ(p->description.version, "2.0.1");
  EXPECT_FALSE(p->library);
  EXPECT_THAT(p->description.techniques, ElementsAre("builtin_a", "builtin_b"));
  EXPECT_EQ(host.find_technique("builtin_b")->plugin, p);
  EXPECT_EQ(only_error(host.add_builtin(valid_plugin)),
            "<built-in>: error: plugin 'builtin' is already loaded from <built-in>; remove one "
            "of the two copies from the plugin folders");
}

TEST(BuiltinPlugins, InvalidTechniques) {
  PluginHost host;
  EXPECT_EQ(only_error(host.add_builtin(bad_id_plugin)),
            "<built-in>: error: plugin 'bad_id': technique id 'Deep-Tissue' is invalid: use "
            "lowercase letters, digits and '_'");
  EXPECT_THAT(messages(host.add_builtin(bad_pressures_plugin)),
              ElementsAre("<built-in>: error: plugin 'bad_pressures': technique 'too_hard': "
                          "default_pressure 8 and max_pressure 12 must satisfy 1 <= "
                          "default_pressure <= max_pressure <= 10",
                          "<built-in>: error: plugin 'bad_pressures': technique 'zero': "
                          "default_pressure 0 and max_pressure 5 must satisfy 1 <= "
                          "default_pressure <= max_pressure <= 10",
                          "<built-in>: error: plugin 'bad_pressures': technique 'inverted': "
                          "default_pressure 6 and max_pressure 4 must satisfy 1 <= "
                          "default_pressure <= max_pressure <= 10"));
  EXPECT_EQ(only_error(host.add_builtin(null_plugin)),
            "<built-in>: error: plugin 'null_technique' registered a null technique");
  EXPECT_EQ(only_error(host.add_builtin(empty_plugin)),
            "<built-in>: error: plugin 'empty' registered no techniques");
  EXPECT_EQ(only_error(host.add_builtin(twice_plugin)),
            "<built-in>: error: plugin 'twice' registers technique 'twin' twice");
  EXPECT_EQ(only_error(host.add_builtin(info_throws_plugin)),
            "<built-in>: error: plugin 'info_throws': technique 'info_throws': config_schema() "
            "threw: schema file missing");
  EXPECT_THAT(
      messages(host.add_builtin(bad_schema_plugin)),
      ElementsAre(
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': config key 'style' "
          "is an enumeration without values",
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': config key "
          "'minutes' has min 10 above max 5",
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': default of config "
          "key 'points' must be at most 4, got 6",
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': config key 'Hold "
          "Time' has an invalid name: use lowercase letters, digits and '_'",
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': config key "
          "'minutes' is declared twice",
          "<built-in>: error: plugin 'bad_schema': technique 'bad_schema': function 'ready' "
          "has no implementation"));
  EXPECT_TRUE(host.plugins().empty());
}

TEST(BuiltinPlugins, HomeTemplateIdsAreUniqueAcrossPlugins) {
  PluginHost host;
  ASSERT_TRUE(host.load_file(bundled_plugin("home_program")).empty());
  EXPECT_EQ(only_error(host.add_builtin(template_clash_plugin)),
            "<built-in>: error: home-program item 'foam_roller' from technique 'rollers' of "
            "plugin 'template_clash' is already provided by technique 'home_program' of plugin "
            "'home_program'");
}

int fails_silently(void*, char*, std::size_t) noexcept { return 3; }
int never_called(void*, char*, std::size_t) noexcept { return 0; }

TEST(BuiltinPlugins, InfoStructChecks) {
  PluginHost host;
  fascia_plugin_info info{FASCIA_PLUGIN_ABI_VERSION, FASCIA_VERSION_STRING, "quiet", "1.0.0",
                          &fails_silently};
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: plugin 'quiet' failed to register its techniques: (no message)");
  info.register_techniques = nullptr;
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: plugin 'quiet' has no register function");
  info.register_techniques = &never_called;
  info.version = "1.0";
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: plugin 'quiet' version '1.0' is not a semantic version "
            "MAJOR.MINOR.PATCH");
  info.version = nullptr;
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: plugin 'quiet' has no version: fascia_plugin_info.version must "
            "be set (FASCIA_PLUGIN does it)");
  info.name = "Quiet Plugin";
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: plugin name 'Quiet Plugin' is invalid: use lowercase letters, "
            "digits, '_' and '-'");
  info.name = "";
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: the plugin has no name: fascia_plugin_info.name must be set "
            "(FASCIA_PLUGIN does it)");
  info.abi_version = 0;
  info.engine_version = nullptr;
  EXPECT_EQ(only_error(host.add_builtin(info)),
            "<built-in>: error: wrong plugin ABI version: plugin was built for ABI 0 (fascia "
            "unknown), this engine supports ABI 2 (fascia 0.1.0); rebuild the plugin against "
            "fascia 0.1.0");
}

}  // namespace
}  // namespace fascia::test
