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

namespace {

// read_fd_bounded(), with `read_error` before the system's message. Reads
// straight into `text`, without a bounce buffer (every 4 KB of fresh memory
// is a page fault, 10-70 us each on the VMs we measure start-up on): the
// first read asks for `expected` + 1 bytes (a regular file's size: that
// read and one at the end of the file, in the room left, do it), later ones
// for the room `text` has, or 16 KB more when it is full.
std::optional<ReadProblem> read_all(int fd, std::size_t limit, std::string& text,
                                    const char* read_error, std::size_t expected = 0) {
  constexpr std::size_t more = std::size_t{1} << 14;
  text.clear();
  std::size_t step = expected > 0 ? expected + 1 : more;
  while (true) {
    // One byte past the limit is the most ever read.
    const std::size_t used = text.size();
    const std::size_t want = std::min(step, limit + 1 - used);
    text.resize(used + want);
    const ssize_t got = ::read(fd, text.data() + used, want);
    text.resize(used + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    if (got < 0) {
      if (errno == EINTR) continue;
      return ReadProblem{DiagnosticCode::cannot_read,
                         read_error + std::string(std::strerror(errno))};
    }
    if (got == 0) return std::nullopt;
    if (text.size() > limit) {
      text.clear();
      text.shrink_to_fit();
      return ReadProblem{DiagnosticCode::invalid_input,
                         input_too_large_message(std::nullopt, limit)};
    }
    const std::size_t room = text.capacity() - text.size();
    step = room > 0 ? room : more;
  }
}

ReadProblem cannot_read_file(std::string why) {
  return ReadProblem{DiagnosticCode::cannot_read, "cannot read the file: " + std::move(why)};
}

}  // namespace

std::optional<ReadProblem> read_fd_bounded(int fd, std::size_t limit, std::string& text) {
  return read_all(fd, limit, text, "cannot read: ");
}

std::optional<ReadProblem> read_file_bounded(const std::string& path, std::size_t limit,
                                             std::string& text) {
  // O_NONBLOCK: opening a FIFO without a writer must not hang; cleared after.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  // The message follows "PATH: error: ", so it does not repeat the path.
  if (fd < 0) return cannot_read_file(std::strerror(errno));
  struct stat st {};
  std::optional<ReadProblem> problem;
  if (::fstat(fd, &st) != 0) {
    problem = cannot_read_file(std::strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    problem = cannot_read_file("it is a directory");
  } else if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limit) {
    problem = ReadProblem{DiagnosticCode::invalid_input,
                          input_too_large_message(static_cast<std::size_t>(st.st_size), limit)};
  } else {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    const std::size_t expected = S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
    problem = read_all(fd, limit, text, "cannot read the file: ", expected);
  }
  ::close(fd);
  return problem;
}

}  // namespace fascia::detail
