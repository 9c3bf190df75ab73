#include "documents/override_blame.hpp"

#include <string>

namespace fascia::cli {

bool is_override_problem(const Diagnostic& d) {
  return d.location.file == "--set" || d.location.file.rfind("--set ", 0) == 0;
}

std::optional<std::size_t> override_behind(const Diagnostic& d,
                                           const std::vector<StateOverride>& overrides) {
  std::optional<std::size_t> found;
  if (overrides.size() == 1) found = 0;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string& path = overrides[i].path;
    const std::string tail = path.substr(path.rfind('.') + 1);
    if (d.location.file == "--set " + path || d.message.rfind(path, 0) == 0 ||
        d.message.find("'" + path + "'") != std::string::npos ||
        d.message.find(" " + tail + " ") != std::string::npos)
      found = i;
  }
  return found;
}

}  // namespace fascia::cli
