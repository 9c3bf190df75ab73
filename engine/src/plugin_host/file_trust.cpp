#include "plugin_host/file_trust.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/sha256.hpp"
#include "plugin_host/elf_check.hpp"
#include "plugin_host/messages.hpp"

namespace fascia::detail {

namespace fs = std::filesystem;

namespace {

// A group that holds only its owner (the "user private group" convention,
// the default umask 002 setups rely on) may have write access.
bool is_private_group(uid_t uid, gid_t gid) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> pw_buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd pw{};
  passwd* pw_result = nullptr;
  if (getpwuid_r(uid, &pw, pw_buf.data(), pw_buf.size(), &pw_result) != 0 || !pw_result)
    return false;
  if (pw.pw_gid != gid) return false;
  size = sysconf(_SC_GETGR_R_SIZE_MAX);
  std::vector<char> gr_buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  group gr{};
  group* gr_result = nullptr;
  if (getgrgid_r(gid, &gr, gr_buf.data(), gr_buf.size(), &gr_result) != 0 || !gr_result)
    return false;
  if (std::string_view(gr.gr_name) != pw.pw_name) return false;
  for (char** m = gr.gr_mem; m && *m; ++m)
    if (std::string_view(*m) != pw.pw_name) return false;
  return true;
}

bool writable_by_others(const struct stat& st) {
  if (st.st_mode & S_IWOTH) return true;
  return (st.st_mode & S_IWGRP) && !is_private_group(st.st_uid, st.st_gid);
}

std::string errno_text(int error) { return std::generic_category().message(error); }

// What elf_problem sees of a plugin file: its program header table is there
// (a linker puts it right after the 64-byte ELF header; about 800 bytes).
constexpr std::size_t head_bytes = 4096;

// Reads up to `size` bytes at `offset` (fewer only at the end of the file).
ssize_t read_at(int fd, char* data, std::size_t size, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::pread(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return static_cast<ssize_t>(done);
}

// Hashes an open file from its start in chunks, refusing more than
// max_plugin_file_bytes (one chunk past the limit is the most ever read).
// Nothing holds the whole file, and the chunk is small: every 4 KB of fresh
// memory is a page fault, 10-30 us each on the VMs we measure cold starts on
// (a 64 KB chunk and the bundled plugins read whole were 33 of a start's 320
// faults).
bool hash_file(int fd, std::string& hex, std::string& error) {
  std::array<char, 16384> chunk;
  Sha256 hash;
  std::uint64_t size = 0;
  while (true) {
    ssize_t got = read_at(fd, chunk.data(), chunk.size(), size);
    if (got < 0) {
      error = errno_text(errno);
      return false;
    }
    if (got == 0) break;
    hash.update(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    size += static_cast<std::uint64_t>(got);
    if (size > max_plugin_file_bytes) {
      error = plugin_msg::too_large(size, max_plugin_file_bytes);
      return false;
    }
  }
  hex = hash.hex();
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

std::optional<std::string> resolve_plugin_path(const std::string& path, std::string& where,
                                               std::string& error) {
  std::error_code ec;
  where = path;
  fs::path absolute = fs::absolute(fs::path(path), ec);
  if (ec) {
    error = plugin_msg::cannot_resolve(ec.message());
    return std::nullopt;
  }
  where = absolute.string();
  // Canonical: no symlink or '..' can make two names for one library, and
  // dlopen never searches its own path list.
  fs::path canonical = fs::canonical(absolute, ec);
  if (!ec) return canonical.string();
  if (ec == std::errc::too_many_symbolic_link_levels) {
    error = plugin_msg::symlink_loop();
  } else if (ec == std::errc::no_such_file_or_directory) {
    std::error_code link_ec;
    if (fs::is_symlink(fs::symlink_status(absolute, link_ec))) {
      fs::path target = fs::read_symlink(absolute, link_ec);
      error = plugin_msg::dangling_symlink(link_ec ? std::string("?") : target.string());
    } else {
      error = plugin_msg::file_not_found();
    }
  } else {
    error = plugin_msg::cannot_resolve(ec.message());
  }
  return std::nullopt;
}

std::optional<std::string> symlink_leaving_folder(const std::string& entry,
                                                  const std::string& folder,
                                                  const std::string& canonical_target) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(entry, ec))) return std::nullopt;
  const fs::path target(canonical_target);
  if (target.parent_path() == fs::path(folder)) return std::nullopt;
  return plugin_msg::symlink_outside(canonical_target, folder);
}

CheckedPluginFile::~CheckedPluginFile() {
  if (fd_ >= 0) ::close(fd_);
}

const std::string& CheckedPluginFile::sha256(std::string& error) const {
  std::call_once(once_, [this] {
    if (!hash_file(fd_, sha256_, error_)) sha256_.clear();
  });
  if (sha256_.empty()) error = error_;
  return sha256_;
}

std::shared_ptr<const CheckedPluginFile> check_plugin_file(const std::string& file,
                                                           std::string& error) {
  // One descriptor for the checks, the load's record and the bytes hashed
  // for a pin. O_NONBLOCK: opening a FIFO must not wait for a writer.
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return nullptr;
  }
  // Loading a file runs its code: check who can write it before dlopen.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return nullptr;
  }
  if (!S_ISREG(st.st_mode)) {
    error = plugin_msg::not_regular_file();
    return nullptr;
  }
  if (writable_by_others(st)) {
    error = plugin_msg::writable_file(st.st_mode & 07777, file);
    return nullptr;
  }
  const std::string dir = fs::path(file).parent_path().string();
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return nullptr;
  }
  if (writable_by_others(dir_st)) {
    error = plugin_msg::writable_folder(dir, dir_st.st_mode & 07777);
    return nullptr;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_plugin_file_bytes) {
    error = plugin_msg::too_large(size, max_plugin_file_bytes);
    return nullptr;
  }
  std::array<char, head_bytes> head;
  const ssize_t got = read_at(fd.get(), head.data(), head.size(), 0);
  if (got < 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return nullptr;
  }
  if (auto problem =
          elf_problem(std::string_view(head.data(), static_cast<std::size_t>(got)), size)) {
    error = std::move(*problem);
    return nullptr;
  }
  return std::make_shared<const CheckedPluginFile>(fd.release());
}

}  // namespace fascia::detail
