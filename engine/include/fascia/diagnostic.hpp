#pragma once
// Located problems: every error the engine reports about an input names the
// file, line and column of the offending YAML node or expression character.

#include <fascia/export.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fascia {

// One-based line and column. line == 0 means "no position known" (for
// example a whole-file problem such as "file not found").
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  // "file:line:col", "file:line" or "file" depending on what is known.
  FASCIA_API std::string to_string() const;
  bool operator==(const SourceLocation&) const = default;
};

enum class Severity : std::uint8_t { error, warning, note };

// What kind of problem a diagnostic is, for programs that act on it (the C
// API's status codes, the CLI's exit codes) without reading its message.
enum class DiagnosticCode : std::uint8_t {
  invalid_input,   // the input breaks a rule; the message says which and how to fix it
  cannot_read,     // a file could not be read (missing, a folder, no permission, I/O error)
  out_of_memory,   // memory ran out while reading or evaluating
  internal_error,  // a bug in fascia or a plugin; please report it with the input
  safety_floor,    // a protocol whose rules would break a safety floor (a lint warning)
};

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation location;
  std::string message;
  DiagnosticCode code = DiagnosticCode::invalid_input;
  // The client-state fields the problem is about, as `--set` paths
  // ("flare.severity", "as_of", "observations.NAME", "last.pressure" for the
  // newest history entry, "history[0].date" for an older one); empty when the
  // problem is not about a client-state field. Programs read this, never
  // the message, to say which input caused a problem.
  std::vector<std::string> fields = {};

  // "FILE:LINE:COL: error: MESSAGE", the one-line form used on stderr.
  FASCIA_API std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

FASCIA_API bool has_errors(const Diagnostics& diagnostics);

// The one exception type of the C++ API. It carries every diagnostic found
// in one pass; what() is the diagnostics joined by newlines.
class FASCIA_API Error : public std::runtime_error {
 public:
  explicit Error(Diagnostics diagnostics);
  const Diagnostics& diagnostics() const noexcept { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

// A value or the diagnostics that explain why there is none. Warnings may
// accompany a value. Nothing in the library throws for bad input: loaders
// return an Outcome; value_or_throw() is for callers that prefer exceptions.
template <class T>
class Outcome {
 public:
  Outcome(T value, Diagnostics diagnostics = {})
      : value_(std::move(value)), diagnostics_(std::move(diagnostics)) {}
  static Outcome failure(Diagnostics diagnostics) { return Outcome(std::move(diagnostics)); }

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Diagnostics& diagnostics() const noexcept { return diagnostics_; }

  T& value() & {
    if (!value_) throw Error(diagnostics_);
    return *value_;
  }
  const T& value() const& {
    if (!value_) throw Error(diagnostics_);
    return *value_;
  }
  T value_or_throw() && {
    if (!value_) throw Error(std::move(diagnostics_));
    return std::move(*value_);
  }

 private:
  explicit Outcome(Diagnostics diagnostics) : diagnostics_(std::move(diagnostics)) {}
  std::optional<T> value_;
  Diagnostics diagnostics_;
};

}  // namespace fascia
