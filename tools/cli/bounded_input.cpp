#include "bounded_input.hpp"

#include "yaml/bounded_read.hpp"

#include <unistd.h>

#include <utility>

namespace fascia::cli {

std::optional<Diagnostic> read_bounded_input(const std::string& path, const std::string& name,
                                             std::size_t limit, std::string& text) {
  auto problem = path == "-" ? detail::read_fd_bounded(STDIN_FILENO, limit, text)
                             : detail::read_file_bounded(path, limit, text);
  if (!problem) return std::nullopt;
  return Diagnostic{Severity::error, SourceLocation{name, 0, 0}, std::move(problem->message),
                    problem->code};
}

}  // namespace fascia::cli
