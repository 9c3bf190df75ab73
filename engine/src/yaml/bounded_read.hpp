#pragma once
// The one bounded reader for every input the engine and the CLI read:
// protocol, state, test and scenario files, standard input (`--state -`,
// `what-if --state -`). It never reads more than one byte past the limit,
// whatever the input is (a huge file, a pipe, /dev/zero), so refusing an
// oversized input takes milliseconds and constant memory.

#include <fascia/diagnostic.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace fascia::detail {

// Why an input was not read: its code (DiagnosticCode::cannot_read for a
// missing, unreadable or folder path and a read error; invalid_input for an
// input over the limit) and its message.
struct ReadProblem {
  DiagnosticCode code = DiagnosticCode::cannot_read;
  std::string message;
};

// Reads `fd` to its end into `text`, at most `limit` bytes. Returns nullopt
// when done, or the problem: "file is too large (more than LIMIT bytes)",
// or a read error ("cannot read: ...").
std::optional<ReadProblem> read_fd_bounded(int fd, std::size_t limit, std::string& text);

// Reads the file `path` whole (at most `limit` bytes) into `text`. A
// regular file larger than the limit is refused from its size, before any
// read; a folder is refused by name. Returns nullopt when done, or the
// problem, worded for "PATH: error: PROBLEM" (it does not repeat PATH).
std::optional<ReadProblem> read_file_bounded(const std::string& path, std::size_t limit,
                                             std::string& text);

// "file is too large (SIZE bytes; the limit is LIMIT bytes)"; with no size
// (a pipe, a device), "file is too large (more than LIMIT bytes)". The limit
// is Limits::max_file_bytes.
std::string input_too_large_message(std::optional<std::size_t> size, std::size_t limit);

}  // namespace fascia::detail
