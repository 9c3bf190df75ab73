#include "plugin_host/search_path.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace fascia::detail {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> find_default_plugin_dirs() {
  std::vector<std::string> dirs;
  Dl_info dl{};
  // The address of this function lies in the binary that holds the engine:
  // libfascia.so normally, the executable when linked statically.
  if (dladdr(reinterpret_cast<void*>(&find_default_plugin_dirs), &dl) == 0 || !dl.dli_fname)
    return dirs;
  std::error_code ec;
  fs::path binary = fs::canonical(fs::path(dl.dli_fname), ec);
  if (ec) binary = fs::absolute(fs::path(dl.dli_fname), ec);
  fs::path folder = binary.parent_path();
  dirs.push_back((folder / "fascia" / "plugins").lexically_normal().string());
  if (folder.filename() == "bin")
    dirs.push_back(
        (folder.parent_path() / "lib" / "fascia" / "plugins").lexically_normal().string());
  return dirs;
}

}  // namespace

std::vector<std::string> default_plugin_dirs() {
  // The binary that holds the engine stays where it was loaded from: its
  // folder is resolved once a process (a cold start of `fascia evaluate`
  // asked twice, each time reading the links of every folder above it).
  static const std::vector<std::string> dirs = find_default_plugin_dirs();
  return dirs;
}

std::vector<std::string> plugin_dirs_from_env() {
  std::vector<std::string> dirs;
  const char* value = std::getenv("FASCIA_PLUGIN_PATH");
  if (!value) return dirs;
  std::string_view rest(value);
  while (true) {
    auto colon = rest.find(':');
    auto item = rest.substr(0, colon);
    if (!item.empty()) dirs.emplace_back(item);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return dirs;
}

}  // namespace fascia::detail
