#pragma once
// Deciding whether a file may be loaded as a plugin, before dlopen runs any
// of its code: where it really is (symlinks), who can write it and its
// folder, and whether its bytes are a complete shared library for this CPU.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fascia::detail {

// The largest plugin file the host reads (and hashes) before loading it.
inline constexpr std::uint64_t max_plugin_file_bytes = 256ull << 20;

// `path` made absolute and canonical. On failure, nullopt with `error` set
// to a message for the file (not found, symlink loop, dangling symlink...)
// and `where` to the name to report it at.
std::optional<std::string> resolve_plugin_path(const std::string& path, std::string& where,
                                               std::string& error);

// For a file found in the plugin folder `folder` (canonical): when it is
// a symbolic link whose target (`canonical_target`) lies outside the folder,
// the message refusing it; otherwise nullopt.
std::optional<std::string> symlink_leaving_folder(const std::string& entry,
                                                  const std::string& folder,
                                                  const std::string& canonical_target);

// A plugin file that passed check_plugin_file, kept open: its SHA-256 is
// read from this descriptor (the file that was checked and loaded, whatever
// the path names later) the first time a protocol pins the plugin. Only a
// pin needs it, so a start that pins nothing reads no more of a plugin than
// its headers (the five bundled plugins are 333 KB).
class CheckedPluginFile {
 public:
  explicit CheckedPluginFile(int fd) noexcept : fd_(fd) {}
  ~CheckedPluginFile();
  CheckedPluginFile(const CheckedPluginFile&) = delete;
  CheckedPluginFile& operator=(const CheckedPluginFile&) = delete;
  // The lowercase hex SHA-256 of the file's bytes, read once (thread-safe).
  // Empty when they cannot be read, with `error` set to why.
  const std::string& sha256(std::string& error) const;

 private:
  int fd_;
  mutable std::once_flag once_;
  mutable std::string sha256_;
  mutable std::string error_;
};

// Checks a canonical file: a regular file, not writable by other users, in
// a folder not writable by other users, at most max_plugin_file_bytes, a
// complete ELF shared library for this machine (elf_problem, on its first
// 4 KB and its size). Returns the file, still open, or null with `error` set.
std::shared_ptr<const CheckedPluginFile> check_plugin_file(const std::string& file,
                                                           std::string& error);

}  // namespace fascia::detail
