// Plugin files that would crash or hijack the process if dlopen saw them:
// each is a real file (built by CMake from a real plugin, see
// tests/plugins/CMakeLists.txt) refused before dlopen with its own message,
// while the other plugins of the folder still load.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "plugin_host/elf_check.hpp"
#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using detail::PluginFolderOptions;
using detail::PluginHost;
using ::testing::HasSubstr;

class Folder {
 public:
  Folder() {
    std::string pattern = (fs::temp_directory_path() / "fascia-trust-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = fs::canonical(pattern);
    chmod(path_.c_str(), 0755);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string copy(const std::string& from, const std::string& name) const {
    fs::path to = path_ / name;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    chmod(to.c_str(), 0755);
    return to.string();
  }
  std::string link(const std::string& target, const std::string& name) const {
    fs::create_symlink(target, path_ / name);
    return (path_ / name).string();
  }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

std::vector<std::string> texts(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.to_string());
  return out;
}

TEST(PluginFileTrust, TruncatedCopyIsRefusedBeforeDlopen) {
  // The first 3000 bytes of a real plugin: dlopen would fault (SIGBUS).
  PluginHost host;
  const std::string file = fs::canonical(test_plugin("truncated")).string();
  ASSERT_EQ(fs::file_size(file), 3000u);
  const auto d = texts(host.load_file(file));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0], HasSubstr(file + ": error: the file is truncated: it has 3000 bytes but its "));
  EXPECT_THAT(d[0], HasSubstr("; is it still being copied? copy it again"));
  EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginFileTrust, TruncatedCopyInAFolderDoesNotStopTheOthers) {
  Folder dir;
  dir.copy(test_plugin("truncated"), "libfascia-a_truncated.so");
  dir.copy(test_plugin("good"), "libfascia-b_good.so");
  PluginHost host;
  const auto d = texts(host.load_directory(dir.str()));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0],
              HasSubstr(dir.str() + "/libfascia-a_truncated.so: error: the file is truncated"));
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0].name, "test_good");
}

TEST(PluginFileTrust, EveryTruncationPointIsRefusedWithoutCrashing) {
  // Cut a real plugin at many sizes: every cut is refused before dlopen.
  std::ifstream in(test_plugin("good"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_EQ(detail::elf_problem(bytes, bytes.size()), std::nullopt);
  // The file's first 4 KB are what check_plugin_file keeps for the checks.
  const std::string_view head = std::string_view(bytes).substr(0, 4096);
  EXPECT_EQ(detail::elf_problem(head, bytes.size()), std::nullopt);
  for (std::size_t size = 0; size < bytes.size(); size += 1 + size / 3) {
    auto problem = detail::elf_problem(std::string_view(bytes).substr(0, size), size);
    ASSERT_TRUE(problem) << "a cut at " << size << " bytes passes";
    problem = detail::elf_problem(head.substr(0, std::min(size, head.size())), size);
    ASSERT_TRUE(problem) << "a cut at " << size << " bytes passes with the head alone";
  }
  EXPECT_TRUE(detail::elf_problem(head, bytes.size() - 1));
}

TEST(PluginFileTrust, ProgramHeadersOutsideTheCheckedHeadAreRefused) {
  std::ifstream in(test_plugin("good"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A head that ends inside the program header table (64 bytes of ELF
  // header, then the table): the table is in the file but not checked.
  const auto problem = detail::elf_problem(std::string_view(bytes).substr(0, 100), bytes.size());
  ASSERT_TRUE(problem);
  EXPECT_THAT(*problem, HasSubstr("past the first 100 bytes that are checked"));
  EXPECT_THAT(*problem, HasSubstr("rebuild the plugin"));
}

TEST(PluginFileTrust, ForeignCpuHasItsOwnMessage) {
  PluginHost host;
  const std::string file = fs::canonical(test_plugin("foreign_machine")).string();
  const auto d = texts(host.load_file(file));
  ASSERT_EQ(d.size(), 1u);
#if defined(__x86_64__)
  EXPECT_EQ(d[0], file +
                      ": error: plugin was built for another CPU (AArch64 (arm64)), this system "
                      "is x86-64: rebuild the plugin for this system");
#else
  EXPECT_THAT(d[0], HasSubstr("plugin was built for another CPU"));
#endif
}

TEST(PluginFileTrust, StaticConstructorThrowingIsRefusedNamingTheFile) {
  Folder dir;
  // Sorted first, so the good plugin loads after it.
  const std::string thrower = dir.copy(test_plugin("static_ctor_throws"), "libfascia-a_throws.so");
  dir.copy(test_plugin("good"), "libfascia-b_good.so");
  PluginHost host;
  ASSERT_TRUE(host.load_directory(FASCIA_PLUGIN_BUILD_DIR).empty());
  const auto d = texts(host.load_directory(dir.str()));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], thrower +
                      ": error: the plugin threw an exception while loading (from a static "
                      "constructor): license server unreachable; the plugin is broken: fix it "
                      "or remove it from the plugin folder");
  EXPECT_TRUE(host.find_technique("swedish"));
  EXPECT_TRUE(host.find_technique("test_echo"));
  EXPECT_FALSE(host.find_technique("test_static_ctor_throws"));
}

TEST(PluginFileTrust, SymlinkLeavingTheFolderIsRefusedUnlessAllowed) {
  Folder dir;
  const std::string link =
      dir.link(fs::canonical(test_plugin("good")).string(), "libfascia-linked.so");
  PluginHost host;
  const auto d = texts(host.load_directory(dir.str()));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], link +
                      ": error: refusing to load a plugin through a symbolic link that leaves "
                      "the plugin folder " +
                      dir.str() + " (it points to " + fs::canonical(test_plugin("good")).string() +
                      "); copy the library into the folder, or allow such links with "
                      "--allow-plugin-symlinks (EngineOptions::allow_plugin_symlinks)");
  EXPECT_TRUE(host.plugins().empty());

  PluginHost allowing;
  PluginFolderOptions options;
  options.allow_symlinks_leaving_folder = true;
  EXPECT_TRUE(allowing.load_directory(dir.str(), options).empty());
  EXPECT_TRUE(allowing.find_technique("test_echo"));
}

TEST(PluginFileTrust, SymlinkInsideTheFolderLoads) {
  Folder dir;
  dir.copy(test_plugin("good"), "real.so.1");
  dir.link("real.so.1", "libfascia-good.so");
  PluginHost host;
  EXPECT_TRUE(host.load_directory(dir.str()).empty());
  EXPECT_TRUE(host.find_technique("test_echo"));
}

TEST(PluginFileTrust, SymlinkLoopAndDanglingLinkSayWhatTheyAre) {
  Folder dir;
  const std::string a = dir.link("libfascia-b.so", "libfascia-a.so");
  const std::string b = dir.link("libfascia-a.so", "libfascia-b.so");
  const std::string c = dir.link("/nonexistent/libfascia-gone.so", "libfascia-c.so");
  PluginHost host;
  const auto d = texts(host.load_directory(dir.str()));
  ASSERT_EQ(d.size(), 3u);
  const std::string loop =
      ": error: plugin file is a symbolic link loop (it never reaches a file); fix or remove the "
      "link";
  EXPECT_EQ(d[0], a + loop);
  EXPECT_EQ(d[1], b + loop);
  EXPECT_EQ(d[2], c + ": error: plugin file is a symbolic link to /nonexistent/libfascia-gone.so, "
                      "which does not exist; fix or remove the link");
}

TEST(PluginFileTrust, BundledPluginWinsOverADuplicateTechniqueNamingBothFiles) {
  // The folder a user adds is searched after the bundled one: its plugin
  // registering `swedish` is refused, and swedish stays the bundled one.
  PluginHost host;
  ASSERT_TRUE(host.load_directory(FASCIA_PLUGIN_BUILD_DIR).empty());
  const std::string impostor = fs::canonical(test_plugin("duplicate_technique")).string();
  const auto d = texts(host.load_directory(fs::path(impostor).parent_path().string()));
  ASSERT_EQ(d.size(), 1u);
  const std::string bundled = fs::canonical(bundled_plugin("swedish")).string();
  EXPECT_EQ(d[0], impostor + ": error: technique 'swedish' from plugin 'test_duplicate' (" +
                      impostor + ") is already provided by plugin 'swedish' (" + bundled + ")");
  EXPECT_EQ(host.find_technique("swedish")->plugin->description.file, bundled);
}

}  // namespace
}  // namespace fascia::test
