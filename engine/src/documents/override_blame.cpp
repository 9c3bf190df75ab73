#include "documents/override_blame.hpp"

#include <algorithm>
#include <string>

namespace fascia::documents {

bool is_override_problem(const Diagnostic& d) {
  return d.location.file == "--set" || d.location.file.rfind("--set ", 0) == 0;
}

std::optional<std::size_t> override_behind(const Diagnostic& d,
                                           const std::vector<StateOverride>& overrides) {
  // By the problem's location and its fields (Diagnostic::fields), never its
  // message; the last override that matches wins, as the last --set does.
  std::optional<std::size_t> found;
  if (overrides.size() == 1) found = 0;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string& path = overrides[i].path;
    if (d.location.file == "--set " + path ||
        std::find(d.fields.begin(), d.fields.end(), path) != d.fields.end())
      found = i;
  }
  return found;
}

}  // namespace fascia::documents
