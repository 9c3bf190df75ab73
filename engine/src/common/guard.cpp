#include "common/guard.hpp"

namespace fascia::detail {

Diagnostic internal_error(std::string_view where, const std::exception* e) {
  return {Severity::error, SourceLocation{std::string(where), 0, 0},
          std::string("internal error: ") + (e ? e->what() : "unknown exception") +
              "; please report this with the input that caused it",
          DiagnosticCode::internal_error};
}

}  // namespace fascia::detail
