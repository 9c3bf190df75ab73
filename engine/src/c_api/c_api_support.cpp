// Errors, the exception guard and caller-owned strings of the C API.
#include "c_api/c_api_support.hpp"

#include "documents/json_path.hpp"

#include <fascia/limits.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace fascia::c_api {

namespace {

using Json = nlohmann::ordered_json;

const char* status_name(fascia_status code) {
  switch (code) {
    case FASCIA_OK:
      return "ok";
    case FASCIA_ERROR_ARGUMENT:
      return "argument";
    case FASCIA_ERROR_INVALID_INPUT:
      return "invalid_input";
    case FASCIA_ERROR_IO:
      return "io";
    case FASCIA_ERROR_OUT_OF_MEMORY:
      return "out_of_memory";
    case FASCIA_ERROR_INTERNAL:
      return "internal";
  }
  return "internal";
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

// The status of a failure: the first error whose code is not about the
// input itself decides (Diagnostic::code, never the message's wording).
fascia_status classify(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::error) continue;
    switch (d.code) {
      case DiagnosticCode::internal_error:
        return FASCIA_ERROR_INTERNAL;
      case DiagnosticCode::out_of_memory:
        return FASCIA_ERROR_OUT_OF_MEMORY;
      case DiagnosticCode::cannot_read:
        return FASCIA_ERROR_IO;
      case DiagnosticCode::invalid_input:
      case DiagnosticCode::safety_floor:
        break;
    }
  }
  return FASCIA_ERROR_INVALID_INPUT;
}

}  // namespace

std::string diagnostics_json(const Diagnostics& diagnostics, const Input& input) {
  Json list = Json::array();
  const documents::JsonPathFinder finder(input.text, input.file);
  for (const auto& d : diagnostics)
    list.push_back({{"severity", severity_name(d.severity)},
                    {"file", d.location.file},
                    {"line", d.location.line},
                    {"column", d.location.column},
                    {"path", finder.path(d)},
                    {"message", d.message}});
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

fascia_status fail(fascia_error** out, fascia_status code, const Diagnostics& diagnostics,
                   const Input& input) {
  if (!out) return code;
  *out = nullptr;
  try {
    auto error = std::make_unique<fascia_error>();
    error->code = code;
    for (const auto& d : diagnostics) {
      if (!error->message.empty()) error->message += '\n';
      error->message += d.to_string();
    }
    error->json = std::string("{\"status\":\"") + status_name(code) +
                  "\",\"diagnostics\":" + diagnostics_json(diagnostics, input) + "}";
    *out = error.release();
  } catch (...) {
  }
  return code;
}

fascia_status fail(fascia_error** out, fascia_status code, const std::string& message) {
  return fail(out, code, Diagnostics{{Severity::error, SourceLocation{"fascia", 0, 0}, message}});
}

fascia_status fail(fascia_error** out, const Diagnostics& diagnostics, const Input& input) {
  return fail(out, classify(diagnostics), diagnostics, input);
}

fascia_status missing(fascia_error** error, const char* what) {
  return fail(error, FASCIA_ERROR_ARGUMENT, std::string(what) + " must not be NULL");
}

fascia_status unknown_flags(fascia_error** error, unsigned flags, unsigned known,
                            const char* names) {
  return fail(error, FASCIA_ERROR_ARGUMENT,
              "unknown flag bits " + std::to_string(flags & ~known) + "; this library (C API " +
                  std::to_string(FASCIA_C_API_VERSION) + ") knows " + names + " for this call");
}

std::string text_for_paths(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(Limits{}.max_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got > Limits{}.max_file_bytes) return {};
  text.resize(got);
  return text;
}

char* copy_out(std::string_view text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

}  // namespace fascia::c_api
