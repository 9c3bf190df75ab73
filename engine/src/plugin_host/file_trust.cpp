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

// Reads an open file in chunks into `hash`, refusing more than
// max_plugin_file_bytes (one chunk past the limit is the most ever read),
// and keeps its first head_bytes in `head` for the ELF checks. Nothing holds
// the whole file, and the chunk is small: every 4 KB of fresh memory is a
// page fault, 10-30 us each on the VMs we measure cold starts on (a 64 KB
// chunk and the bundled plugins read whole were 33 of a start's 320 faults).
bool read_bounded(int fd, Sha256& hash, std::string& head, std::uint64_t& size,
                  std::string& error) {
  std::array<char, 16384> chunk;
  size = 0;
  while (true) {
    ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      error = plugin_msg::cannot_resolve(errno_text(errno));
      return false;
    }
    if (got == 0) return true;
    const std::string_view piece(chunk.data(), static_cast<std::size_t>(got));
    if (head.size() < head_bytes) head.append(piece.substr(0, head_bytes - head.size()));
    hash.update(piece);
    size += piece.size();
    if (size > max_plugin_file_bytes) {
      error = plugin_msg::too_large(size, max_plugin_file_bytes);
      return false;
    }
  }
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

std::optional<std::string> check_plugin_file(const std::string& file, std::string& error) {
  // One descriptor for the checks and the bytes hashed: what is checked is
  // what is hashed. O_NONBLOCK: opening a FIFO must not wait for a writer.
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return std::nullopt;
  }
  // Loading a file runs its code: check who can write it before dlopen.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    error = plugin_msg::not_regular_file();
    return std::nullopt;
  }
  if (writable_by_others(st)) {
    error = plugin_msg::writable_file(st.st_mode & 07777, file);
    return std::nullopt;
  }
  const std::string dir = fs::path(file).parent_path().string();
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0) {
    error = plugin_msg::cannot_resolve(errno_text(errno));
    return std::nullopt;
  }
  if (writable_by_others(dir_st)) {
    error = plugin_msg::writable_folder(dir, dir_st.st_mode & 07777);
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_plugin_file_bytes) {
    error = plugin_msg::too_large(static_cast<std::uint64_t>(st.st_size), max_plugin_file_bytes);
    return std::nullopt;
  }
  Sha256 hash;
  std::string head;
  std::uint64_t size = 0;
  if (!read_bounded(fd.get(), hash, head, size, error)) return std::nullopt;
  if (auto problem = elf_problem(head, size)) {
    error = std::move(*problem);
    return std::nullopt;
  }
  return hash.hex();
}

}  // namespace fascia::detail
