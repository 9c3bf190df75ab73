// Hot reload: ProtocolStore swaps whole versions of a protocol (and of the
// plugin folder) under running evaluations, names the version each result
// used, and keeps the old version when the new file is broken.
#include "embedding_support.hpp"

#include <fascia/protocol_store.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Two versions of the bundled protocol that recommend different sessions.
struct Versions {
  std::string v1 = read_file(kBundledProtocol);
  std::string v2 = with(with(v1, "version: 1.0.0", "version: 1.0.1"), "duration_minutes: 60",
                        "duration_minutes: 50");
  std::string broken = v1.substr(0, v1.size() / 2);
};

std::string state_text() { return read_file(kExamples + "/fibromyalgia-client.json"); }

std::unique_ptr<ProtocolStore> open_store(const fs::path& file, EngineOptions options = {}) {
  options.use_environment = false;
  auto opened = ProtocolStore::open(file.string(), std::move(options));
  if (!opened) throw std::runtime_error(opened.diagnostics().front().to_string());
  return std::move(opened).value_or_throw();
}

TEST(ProtocolStoreTest, ServesTheFileAndNamesItsVersion) {
  TemporaryFolder dir;
  const Versions versions;
  write_file(dir / "p.yaml", versions.v1);
  auto store = open_store(dir / "p.yaml");
  const auto protocol = store->current();
  EXPECT_EQ(protocol->version(), "1.0.0");
  EXPECT_EQ(store->generation(), 0u);
  const std::string json = store->evaluate_json(state_text()).value();
  EXPECT_THAT(json, HasSubstr(R"("protocol":{"id":"fibromyalgia","version":"1.0.0","sha256":")" +
                              protocol->sha256() + "\""));
}

TEST(ProtocolStoreTest, OpenFailsWithTheReason) {
  TemporaryFolder dir;
  write_file(dir / "p.yaml", Versions().broken);
  auto opened = ProtocolStore::open((dir / "p.yaml").string());
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.diagnostics().front().to_string(), HasSubstr((dir / "p.yaml").string()));
  EXPECT_FALSE(ProtocolStore::open((dir / "missing.yaml").string()).ok());
}

TEST(ProtocolStoreTest, ReloadOfTheSameBytesKeepsTheVersion) {
  TemporaryFolder dir;
  write_file(dir / "p.yaml", Versions().v1);
  auto store = open_store(dir / "p.yaml");
  const auto before = store->current();
  const ReloadResult result = store->reload();
  EXPECT_TRUE(result.ok);
  EXPECT_FALSE(result.changed);
  EXPECT_EQ(store->current(), before);
  EXPECT_EQ(store->generation(), 0u);
}

TEST(ProtocolStoreTest, ReplacedFileSwapsInWholeAndOldHoldersKeepTheOld) {
  TemporaryFolder dir;
  const Versions versions;
  write_file(dir / "p.yaml", versions.v1);
  auto store = open_store(dir / "p.yaml");
  const auto old_version = store->current();
  const std::string old_json = old_version->evaluate_json(state_text()).value();

  replace_atomically(dir / "p.yaml", versions.v2);
  const ReloadResult result = store->reload();
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(result.changed);
  EXPECT_EQ(store->generation(), 1u);
  EXPECT_EQ(store->current()->version(), "1.0.1");
  const std::string new_json = store->evaluate_json(state_text()).value();
  EXPECT_THAT(new_json, HasSubstr(R"("version":"1.0.1")"));
  EXPECT_THAT(new_json, HasSubstr(R"("duration_minutes":50)"));
  // Whoever still holds the old version evaluates with it, unchanged.
  EXPECT_EQ(old_version->evaluate_json(state_text()).value(), old_json);
}

TEST(ProtocolStoreTest, BrokenFileKeepsTheOldVersionAndSaysWhy) {
  TemporaryFolder dir;
  const Versions versions;
  write_file(dir / "p.yaml", versions.v1);
  auto store = open_store(dir / "p.yaml");
  const auto before = store->current();

  replace_atomically(dir / "p.yaml", versions.broken);
  ReloadResult result = store->reload();
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.changed);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_THAT(result.diagnostics.front().to_string(), HasSubstr((dir / "p.yaml").string() + ":"));
  EXPECT_EQ(store->current(), before);
  EXPECT_TRUE(store->evaluate_json(state_text()).ok());

  // Polling repeats the failure while the file stays broken...
  result = store->reload_if_changed();
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.diagnostics.empty());
  // ...and picks up the fixed file.
  replace_atomically(dir / "p.yaml", versions.v2);
  result = store->reload_if_changed();
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(result.changed);
  EXPECT_EQ(store->current()->version(), "1.0.1");
}

TEST(ProtocolStoreTest, MissingFileKeepsTheOldVersion) {
  TemporaryFolder dir;
  write_file(dir / "p.yaml", Versions().v1);
  auto store = open_store(dir / "p.yaml");
  fs::remove(dir / "p.yaml");
  const ReloadResult result = store->reload_if_changed();
  EXPECT_FALSE(result.ok);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_THAT(result.diagnostics.front().message, HasSubstr("cannot read"));
  EXPECT_EQ(store->current()->version(), "1.0.0");
}

TEST(ProtocolStoreTest, ReloadIfChangedOnlyReadsChangedFiles) {
  TemporaryFolder dir;
  const Versions versions;
  write_file(dir / "p.yaml", versions.v1);
  auto store = open_store(dir / "p.yaml");
  EXPECT_TRUE(store->reload_if_changed().ok);
  EXPECT_FALSE(store->reload_if_changed().changed);
  replace_atomically(dir / "p.yaml", versions.v2);
  EXPECT_TRUE(store->reload_if_changed().changed);
  EXPECT_FALSE(store->reload_if_changed().changed);
}

// The heart of it: evaluations never see a mix of two versions, and every
// result is byte for byte the single-threaded result of the version it names.
TEST(ProtocolStoreTest, EvaluationsDuringReloadsSeeOneWholeVersion) {
  TemporaryFolder dir;
  const Versions versions;
  const std::string state = state_text();
  // References from the same path: recommendations name their source file.
  std::map<std::string, std::string> expected;  // sha256 -> recommendation
  for (const auto* text : {&versions.v1, &versions.v2}) {
    write_file(dir / "p.yaml", *text);
    auto p = bundled_engine().load_protocol((dir / "p.yaml").string()).value();
    expected[p->sha256()] = p->evaluate_json(state).value();
  }
  write_file(dir / "p.yaml", versions.v1);
  auto store = open_store(dir / "p.yaml");

  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> seen_v1{0}, seen_v2{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      while (!stop.load()) {
        const auto protocol = store->current();
        const auto json = protocol->evaluate_json(state);
        const auto it = expected.find(protocol->sha256());
        if (!json.ok() || it == expected.end() || json.value() != it->second) ++bad;
        ++(protocol->version() == "1.0.0" ? seen_v1 : seen_v2);
      }
    });
  for (int round = 0; round < 12; ++round) {
    replace_atomically(dir / "p.yaml", round % 2 ? versions.v1 : versions.v2);
    EXPECT_TRUE(store->reload().ok);
    if (round % 3 == 2) {
      replace_atomically(dir / "p.yaml", versions.broken);
      EXPECT_FALSE(store->reload().ok);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(seen_v1.load(), 0);
  EXPECT_GT(seen_v2.load(), 0);
}

// Plugin folders: a symbolic link switched from v1/ to v2/ (the documented
// deployment) and reload_plugins() loads the new plugin through a fresh
// engine while evaluations still run on the old one.
TEST(ProtocolStoreTest, PluginFolderSwitchedUnderEvaluations) {
  TemporaryFolder dir;
  const fs::path plugins = FASCIA_EMBEDDING_PLUGIN_DIR;
  fs::create_directory_symlink(plugins / "v1", dir / "current");
  write_file(dir / "p.yaml", read_file(FASCIA_TEST_DATA_DIR "/versioned.yaml"));
  EngineOptions options;
  options.plugin_dirs = {(dir / "current").string()};
  options.use_default_dirs = false;
  auto store = open_store(dir / "p.yaml", options);
  const std::string state = read_file(FASCIA_TEST_DATA_DIR "/versioned-client.json");
  auto plugin_version = [&](const std::string& json) {
    if (json.find(R"("plugin":"test_versioned","plugin_version":"1.0.0")") != std::string::npos)
      return 1;
    if (json.find(R"("plugin":"test_versioned","plugin_version":"2.0.0")") != std::string::npos)
      return 2;
    return 0;
  };
  ASSERT_EQ(plugin_version(store->evaluate_json(state).value()), 1);

  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      while (!stop.load()) {
        const auto json = store->evaluate_json(state);
        const int v = json.ok() ? plugin_version(json.value()) : 0;
        // Version 1 caps its pressure at 3, version 2 at 4: a result must
        // be one plugin's whole answer.
        const bool whole =
            (v == 1 && json.value().find(R"("pressure_max":3)") != std::string::npos) ||
            (v == 2 && json.value().find(R"("pressure_max":4)") != std::string::npos);
        if (!whole) ++bad;
      }
    });

  // Reloading the protocol alone keeps the plugins it was loaded with.
  fs::create_directory_symlink(plugins / "v2", dir / "next");
  fs::rename(dir / "next", dir / "current");
  EXPECT_TRUE(store->reload().ok);
  EXPECT_EQ(plugin_version(store->evaluate_json(state).value()), 1);

  const ReloadResult result = store->reload_plugins();
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(result.changed);
  EXPECT_EQ(plugin_version(store->evaluate_json(state).value()), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace fascia::test
