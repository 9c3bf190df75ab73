#pragma once
// Shared helpers of the embedding tests: the bundled protocol and plugins,
// varied client states, and temporary folders with atomic file replacement.

#include <fascia/engine.hpp>

#include "state_maker.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fascia::test {

inline const std::string kBundledProtocol = FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml";
inline const std::string kExamples = FASCIA_SOURCE_DIR "/protocols/examples";

// An engine with the bundled plugins of the build tree (found beside
// libfascia, as from an install).
inline const Engine& bundled_engine() {
  static const Engine engine = [] {
    EngineOptions options;
    options.use_environment = false;
    Engine e(options);
    auto problems = e.load_plugins();
    if (has_errors(problems)) throw std::runtime_error(problems.front().to_string());
    return e;
  }();
  return engine;
}

inline std::shared_ptr<const Protocol> bundled_protocol() {
  static const auto protocol = bundled_engine().load_protocol(kBundledProtocol).value();
  return protocol;
}

// `count` varied valid states for the bundled protocol, one JSON line each.
inline std::vector<std::string> varied_states(int count) {
  fascia::bench::StateMaker maker;
  std::vector<std::string> out;
  for (int n = 1; n <= count; ++n) out.push_back(maker.next(n));
  return out;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Write beside, then rename over: readers see the old file or the new one.
inline void replace_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto temporary = path.string() + ".tmp";
  write_file(temporary, text);
  std::filesystem::rename(temporary, path);
}

// `text` with the first `from` replaced by `to` (which must be there).
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not found");
  return text.replace(at, from.size(), to);
}

// A fresh folder (mode 0700), removed with everything in it.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fascia-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace fascia::test
