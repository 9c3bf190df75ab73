#include "protocol_folder.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <system_error>

namespace fascia::serve {

namespace fs = std::filesystem;

bool is_protocol_file_name(const std::string& name) {
  auto ends_with = [&](const std::string& s) {
    return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (name.empty() || name[0] == '.') return false;
  if (ends_with(".test.yaml") || ends_with(".test.yml")) return false;
  return ends_with(".yaml") || ends_with(".yml");
}

ProtocolFolder::ProtocolFolder(std::string dir, EngineOptions options, Report report)
    : dir_(std::move(dir)), options_(std::move(options)), report_(std::move(report)) {}

std::shared_ptr<const Protocol> ProtocolFolder::find(const std::string& id) const {
  auto map = protocols();
  auto it = map->find(id);
  if (it == map->end()) return nullptr;
  return it->second.store->current();
}

void ProtocolFolder::poll() {
  std::lock_guard lock(poll_mutex_);
  std::set<std::string> seen;
  bool changed = false;
  std::error_code ec;
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_protocol_file_name(name)) continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    paths.push_back(it->path().string());
  }
  if (ec) {
    report_({Diagnostic{
        Severity::error, {dir_, 0, 0}, "cannot read the protocols folder: " + ec.message()}});
    return;
  }
  for (const auto& path : paths) {
    seen.insert(path);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    const std::int64_t mtime = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    auto& f = files_[path];
    const bool same = f.mtime == mtime && f.size == std::uintmax_t(st.st_size) &&
                      f.inode == std::uint64_t(st.st_ino);
    if (same) continue;
    const bool first = f.mtime == 0 && f.size == 0 && f.inode == 0;
    f.mtime = mtime;
    f.size = std::uintmax_t(st.st_size);
    f.inode = std::uint64_t(st.st_ino);
    if (!f.store) {
      auto opened = ProtocolStore::open(path, options_);
      if (!opened) {
        ++load_errors_;
        report_(opened.diagnostics());
        continue;
      }
      f.store = std::shared_ptr<ProtocolStore>(std::move(opened.value()));
      if (!first) ++reloads_;
      changed = true;
      continue;
    }
    auto result = f.store->reload();
    if (!result.ok) {
      ++load_errors_;
      report_(result.diagnostics);
    } else if (result.changed) {
      ++reloads_;
      changed = true;
    }
  }
  for (auto it = files_.begin(); it != files_.end();) {
    if (!seen.count(it->first)) {
      changed = changed || it->second.store != nullptr;
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  if (!changed) return;
  // Rebuild the id map whenever a store came, went or changed version (an
  // edited file may change its protocol id).
  auto map = std::make_shared<Map>();
  for (const auto& [path, f] : files_) {
    if (!f.store) continue;
    const std::string id = f.store->current()->id();
    auto [it, inserted] = map->emplace(id, ServedProtocol{path, f.store});
    if (!inserted) {
      report_({Diagnostic{Severity::error,
                          {path, 0, 0},
                          "protocol id '" + id + "' is already served from " + it->second.file +
                              "; this file is not served"}});
    }
  }
  std::atomic_store(&map_, std::shared_ptr<const Map>(std::move(map)));
}

}  // namespace fascia::serve
