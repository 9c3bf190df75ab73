#include "yaml/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fascia::detail {

std::string input_too_large_message(std::optional<std::size_t> size, std::size_t limit) {
  if (size)
    return "file is too large (" + std::to_string(*size) + " bytes; the limit is " +
           std::to_string(limit) + " bytes)";
  return "file is too large (more than " + std::to_string(limit) + " bytes)";
}

std::optional<std::string> read_fd_bounded(int fd, std::size_t limit, std::string& text) {
  text.clear();
  char chunk[1 << 16];
  while (true) {
    // One byte past the limit is the most ever read.
    const std::size_t want = std::min(sizeof chunk, limit + 1 - text.size());
    const ssize_t got = ::read(fd, chunk, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::string("cannot read: ") + std::strerror(errno);
    }
    if (got == 0) return std::nullopt;
    text.append(chunk, static_cast<std::size_t>(got));
    if (text.size() > limit) {
      text.clear();
      text.shrink_to_fit();
      return input_too_large_message(std::nullopt, limit);
    }
  }
}

std::optional<std::string> read_file_bounded(const std::string& path, std::size_t limit,
                                             std::string& text) {
  // O_NONBLOCK: opening a FIFO without a writer must not hang; cleared after.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  // The message follows "PATH: error: ", so it does not repeat the path.
  if (fd < 0) return std::string("cannot read the file: ") + std::strerror(errno);
  struct stat st {};
  std::optional<std::string> problem;
  if (::fstat(fd, &st) != 0) {
    problem = std::string("cannot read the file: ") + std::strerror(errno);
  } else if (S_ISDIR(st.st_mode)) {
    problem = "cannot read the file: it is a directory";
  } else if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limit) {
    problem = input_too_large_message(static_cast<std::size_t>(st.st_size), limit);
  } else {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
    problem = read_fd_bounded(fd, limit, text);
    if (problem && problem->rfind("cannot read: ", 0) == 0)
      problem = "cannot read the file: " + problem->substr(std::strlen("cannot read: "));
  }
  ::close(fd);
  return problem;
}

}  // namespace fascia::detail
