#pragma once
// Any input of the CLI by path or `-` (standard input), read whole with the
// engine's bounded reader: never more than the limit plus one byte, whatever
// the input (a pipe, /dev/zero, a huge file).

#include <fascia/diagnostic.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace fascia::cli {

// Reads `path` (standard input for "-") into `text`, at most `limit` bytes.
// Returns nullopt when done, or the problem, located at `name`.
std::optional<Diagnostic> read_bounded_input(const std::string& path, const std::string& name,
                                             std::size_t limit, std::string& text);

}  // namespace fascia::cli
