// Fuzzes the CLI's input readers on bytes they read from a file descriptor,
// as from standard input or a file: the bounded reader (`--state -`,
// `what-if --state FILE`), the batch line splitter, the test-file and
// scenario readers, and `--set PATH=VALUE` splitting. The first byte picks
// the reader. Invariants: never more than the limit is kept, a refused
// input says why, lines are reassembled exactly, every diagnostic is
// located in the file it read.
#include "batch_input.hpp"
#include "scenario.hpp"
#include "test_file.hpp"
#include "yaml/bounded_read.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

// An anonymous in-memory file holding `bytes`, positioned at its start.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes) : fd_(memfd_create("fascia-fuzz", MFD_CLOEXEC)) {
    FASCIA_FUZZ_CHECK(fd_ >= 0, "memfd_create works");
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      FASCIA_FUZZ_CHECK(n > 0, "writing the input works");
      done += static_cast<std::size_t>(n);
    }
    ::lseek(fd_, 0, SEEK_SET);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  int fd() const { return fd_; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

constexpr std::size_t small_limit = 4096;

void bounded(std::string_view input) {
  MemoryFile file(input);
  std::string text;
  const auto problem = fascia::detail::read_fd_bounded(file.fd(), small_limit, text);
  if (input.size() > small_limit) {
    FASCIA_FUZZ_CHECK(problem && problem->code == fascia::DiagnosticCode::invalid_input &&
                          problem->message.find("too large") != std::string::npos,
                      "an input over the limit is refused as too large");
    FASCIA_FUZZ_CHECK(text.empty(), "a refused input keeps nothing");
  } else {
    FASCIA_FUZZ_CHECK(!problem, "an input within the limit reads");
    FASCIA_FUZZ_CHECK(text == input, "the bytes read are the input");
  }
  ::lseek(file.fd(), 0, SEEK_SET);
  std::string whole;
  const auto file_problem = fascia::detail::read_file_bounded(file.path(), small_limit, whole);
  FASCIA_FUZZ_CHECK(bool(file_problem) == (input.size() > small_limit),
                    "a file reads exactly when it is within the limit");
}

void lines(std::string_view input) {
  constexpr std::size_t max_line = 64;
  MemoryFile file(input);
  fascia::cli::LineReader reader(file.fd(), max_line);
  fascia::cli::Block block;
  std::size_t expected_number = 1;
  std::size_t kept = 0;
  while (reader.next(block)) {
    FASCIA_FUZZ_CHECK(block.first_number == expected_number, "lines are numbered in order");
    for (const auto& line : block.lines) {
      if (line.too_long) continue;
      FASCIA_FUZZ_CHECK(line.size <= max_line + 2, "a kept line is within the limit");
      const std::string_view text = block.text(line);
      FASCIA_FUZZ_CHECK(text.find('\n') == std::string_view::npos, "a line has no line break");
      FASCIA_FUZZ_CHECK(input.find(text) != std::string_view::npos, "a line is part of the input");
      kept += text.size();
    }
    expected_number += block.lines.size();
  }
  FASCIA_FUZZ_CHECK(reader.error().empty(), "reading memory never fails");
  FASCIA_FUZZ_CHECK(kept <= input.size(), "no more bytes than the input");
}

template <class Read>
void yaml_file(std::string_view input, Read read) {
  MemoryFile file(input);
  fascia::Diagnostics diagnostics;
  const bool ok = read(file.path(), diagnostics);
  if (!ok) FASCIA_FUZZ_CHECK(fascia::has_errors(diagnostics), "a refused file says why");
  for (const auto& d : diagnostics) {
    FASCIA_FUZZ_CHECK(!d.message.empty(), "every diagnostic has a message");
    FASCIA_FUZZ_CHECK(d.message.size() < 4096, "messages are bounded");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      bounded(input);
      break;
    case 1:
      lines(input);
      break;
    case 2:
      yaml_file(input, [](const std::string& path, fascia::Diagnostics& d) {
        fascia::cli::TestFile out;
        return fascia::cli::read_test_file(path, out, d);
      });
      break;
    default:
      yaml_file(input, [](const std::string& path, fascia::Diagnostics& d) {
        fascia::documents::Scenario out;
        return fascia::documents::read_scenario(path, out, d);
      });
      break;
  }
  return 0;
}
