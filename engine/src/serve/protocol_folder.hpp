#pragma once
// The protocols a server serves: every protocol file of one folder, each in
// its own ProtocolStore (atomic hot reload). poll() picks up new, changed
// and removed files; a file that fails to load is reported with its located
// errors and not served (a changed file that breaks keeps its last good
// version until it is fixed or removed).

#include <fascia/engine.hpp>
#include <fascia/protocol_store.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fascia::serve {

// True for the files of a folder that are protocols: *.yaml / *.yml that are
// not protocol test files (*.test.yaml).
bool is_protocol_file_name(const std::string& name);

struct ServedProtocol {
  std::string file;
  std::shared_ptr<ProtocolStore> store;
};

class ProtocolFolder {
 public:
  using Report = std::function<void(const Diagnostics&)>;
  ProtocolFolder(std::string dir, EngineOptions options, Report report);

  // Scans the folder: loads new files, reloads changed ones, drops removed
  // ones. Serialised; safe to call while requests are served.
  void poll();

  // id -> store snapshot; lock-free for readers apart from one atomic load.
  using Map = std::map<std::string, ServedProtocol>;
  std::shared_ptr<const Map> protocols() const { return std::atomic_load(&map_); }
  std::shared_ptr<const Protocol> find(const std::string& id) const;

  std::uint64_t reloads() const { return reloads_.load(); }
  std::uint64_t load_errors() const { return load_errors_.load(); }
  const std::string& dir() const { return dir_; }

 private:
  struct FileState {
    std::int64_t mtime = 0;
    std::uintmax_t size = 0;
    std::uint64_t inode = 0;
    std::shared_ptr<ProtocolStore> store;  // null while broken
  };
  std::string dir_;
  EngineOptions options_;
  Report report_;
  std::mutex poll_mutex_;
  std::map<std::string, FileState> files_;  // by path
  std::shared_ptr<const Map> map_ = std::make_shared<Map>();
  std::atomic<std::uint64_t> reloads_{0}, load_errors_{0};
};

}  // namespace fascia::serve
