// Hot reload under load. Eight threads evaluate a client state with a
// fascia::ProtocolStore while the protocol file is replaced underneath them
// again and again: atomically by rename with new versions, by a broken
// (half-written) file that must be refused while the old version stays, and
// rewritten in place. Every result must be a complete recommendation, equal
// byte for byte to the reference output of the version it names.
//   fascia_hot_reload [--rounds N] [PROTOCOL [STATE]]
#include <fascia/engine.hpp>
#include <fascia/protocol_store.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int evaluator_threads = 8;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// How a deployment should replace a file: write beside it, rename over it.
void replace_atomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  write_file(temporary, text);
  fs::rename(temporary, path);
}

// How it should not, but sometimes does: rewrite in place, slowly.
void rewrite_in_place(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text.substr(0, text.size() / 2) << std::flush;
  std::this_thread::sleep_for(2ms);
  out << text.substr(text.size() / 2);
}

// `text` with the first `from` replaced by `to` (which must be there).
std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in the protocol");
  return text.replace(at, from.size(), to);
}

// The "sha256" of the "protocol" object of a recommendation, or "".
std::string protocol_sha256(const std::string& json) {
  const std::string key = "\"sha256\":\"";
  const auto at = json.find(key);
  if (at == std::string::npos) return {};
  return json.substr(at + key.size(), 64);
}

struct Version {
  std::string text;
  std::string version;
  std::string expected;       // the reference recommendation
  std::atomic<long> seen{0};  // evaluations that named it
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 40;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--rounds" && i + 1 < argc)
      rounds = std::stoi(argv[++i]);
    else
      paths.push_back(argv[i]);
  }
  const fs::path protocol_path =
      paths.size() > 0 ? paths[0] : FASCIA_PROTOCOL_DIR "/fibromyalgia.yaml";
  const fs::path state_path =
      paths.size() > 1 ? paths[1] : FASCIA_PROTOCOL_DIR "/examples/fibromyalgia-client.json";
  const std::string state = read_file(state_path);

  // Three versions of the protocol, and a file cut in half.
  const std::string original = read_file(protocol_path);
  std::map<std::string, Version> versions;  // by sha256
  std::vector<std::string> texts = {original,
                                    with(with(original, "version: 1.0.0", "version: 1.0.1"),
                                         "duration_minutes: 60", "duration_minutes: 50"),
                                    with(with(original, "version: 1.0.0", "version: 1.1.0"),
                                         "duration_minutes: 60", "duration_minutes: 45")};
  const std::string broken = original.substr(0, original.size() / 2);

  // Reference outputs, one version at a time, single-threaded, from the
  // path the store will read (recommendations name their source file).
  const fs::path dir =
      fs::temp_directory_path() / ("fascia-hot-reload-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path live = dir / "protocol.yaml";
  fascia::Engine engine;
  engine.load_plugins();
  std::vector<std::string> shas;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    write_file(live, texts[i]);
    auto protocol = engine.load_protocol(live.string());
    if (!protocol) {
      for (const auto& d : protocol.diagnostics()) std::cerr << d.to_string() << '\n';
      return 1;
    }
    Version& v = versions[protocol.value()->sha256()];
    v.text = texts[i];
    v.version = protocol.value()->version();
    v.expected = protocol.value()->evaluate_json(state).value();
    shas.push_back(protocol.value()->sha256());
  }

  // The live file, served by a store.
  write_file(live, texts[0]);
  auto opened = fascia::ProtocolStore::open(live.string());
  if (!opened) {
    for (const auto& d : opened.diagnostics()) std::cerr << d.to_string() << '\n';
    return 1;
  }
  fascia::ProtocolStore& store = *opened.value();

  std::atomic<bool> stop{false};
  std::atomic<long> evaluations{0}, failures{0}, mismatches{0};
  std::mutex report_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < evaluator_threads; ++t)
    threads.emplace_back([&] {
      while (!stop.load()) {
        auto result = store.evaluate_json(state);
        ++evaluations;
        if (!result) {
          ++failures;
          continue;
        }
        const std::string& json = result.value();
        auto v = versions.find(protocol_sha256(json));
        if (v == versions.end() || json != v->second.expected) {
          if (++mismatches == 1) {
            std::lock_guard lock(report_mutex);
            std::cerr << "incomplete or mismatched result: " << json.substr(0, 300) << '\n';
          }
          continue;
        }
        ++v->second.seen;
      }
    });

  // A watcher polls the file, as a service would on a timer.
  std::atomic<long> reloads{0}, refused{0};
  std::thread watcher([&] {
    while (!stop.load()) {
      auto r = store.reload_if_changed();
      if (r.changed) ++reloads;
      std::this_thread::sleep_for(1ms);
    }
  });

  // The deployer.
  int problems = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string& text = texts[static_cast<std::size_t>(round) % texts.size()];
    if (round % 5 == 4)
      rewrite_in_place(live, text);
    else
      replace_atomically(live, text);
    std::this_thread::sleep_for(15ms);
    if (round % 4 == 3) {
      // A broken file: refused with the reason, the served version unchanged.
      store.reload_if_changed();  // catch up with the watcher first
      const std::string before = store.current()->sha256();
      replace_atomically(live, broken);
      auto r = store.reload();
      if (r.ok || r.diagnostics.empty() || store.current()->sha256() != before) {
        std::cerr << "a broken protocol file was not refused\n";
        ++problems;
      } else {
        ++refused;
        if (refused == 1)
          std::cout << "broken file refused, still serving " << store.current()->version() << ": "
                    << r.diagnostics.front().to_string() << '\n';
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  replace_atomically(live, texts[0]);
  store.reload();
  std::this_thread::sleep_for(20ms);
  stop = true;
  for (auto& t : threads) t.join();
  watcher.join();
  fs::remove_all(dir);

  std::cout << evaluations << " evaluations from " << evaluator_threads << " threads, "
            << store.generation() << " versions swapped in (" << reloads << " by the watcher), "
            << refused << " broken files refused\n";
  for (const auto& sha : shas) {
    const Version& v = versions[sha];
    std::cout << "  version " << v.version << " (sha256 " << sha.substr(0, 12) << "...): " << v.seen
              << " complete results\n";
    if (v.seen == 0) {
      std::cerr << "version " << v.version << " was never served\n";
      ++problems;
    }
  }
  std::cout << failures << " failed, " << mismatches << " incomplete or mismatched\n";
  if (failures || mismatches || problems) return 1;
  std::cout << "OK: every result was complete and named the version it came from\n";
  return 0;
}
