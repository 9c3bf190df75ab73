#pragma once
// What the C API's files share: the handle structs behind fascia.h's opaque
// types, errors (with a JSON path per diagnostic), the exception guard and
// the caller-owned strings. Nothing here throws across extern "C": every
// entry point runs its body through guarded().

#include <fascia/fascia.h>
#include <fascia/engine.hpp>
#include <fascia/protocol.hpp>
#include <fascia/protocol_store.hpp>

#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

struct fascia_error {
  fascia_status code = FASCIA_ERROR_INTERNAL;
  std::string message;  // diagnostics, one per line
  std::string json;
};

struct fascia_engine {
  fascia::Engine engine;
  fascia::Diagnostics problems;  // plugin load problems
};

struct fascia_protocol {
  std::shared_ptr<const fascia::Protocol> protocol;
};

struct fascia_store {
  std::unique_ptr<fascia::ProtocolStore> store;
};

namespace fascia::c_api {

// The input a diagnostic may point into, to give each one a JSON path
// ("$.pain.current") next to its line and column: `text` named `file` in
// the diagnostics. Without it (or for another file) the path is "$".
struct Input {
  std::string_view text;
  std::string file;
};

// A protocol file's text, read again after a failure only to name each
// problem's path; empty when unreadable or larger than the loader accepts.
std::string text_for_paths(const char* path);

// {"severity", "file", "line", "column", "path", "message"} per diagnostic.
std::string diagnostics_json(const Diagnostics& diagnostics, const Input& input = {});

// Sets *out (when wanted) and returns `code`. Allocation failures here
// leave *out NULL: the code still says what happened.
fascia_status fail(fascia_error** out, fascia_status code, const Diagnostics& diagnostics,
                   const Input& input = {});
fascia_status fail(fascia_error** out, fascia_status code, const std::string& message);
// The status decided by the diagnostics' codes (invalid input, I/O...).
fascia_status fail(fascia_error** out, const Diagnostics& diagnostics, const Input& input = {});
fascia_status missing(fascia_error** error, const char* what);
fascia_status unknown_flags(fascia_error** error, unsigned flags, unsigned known,
                            const char* names);

// A malloc'ed copy for the caller (released with fascia_string_free).
char* copy_out(std::string_view text);

// Runs `body` (returning a fascia_status), turning any exception into an
// error. Clears *error first so that success leaves it NULL.
template <class F>
fascia_status guarded(fascia_error** error, F&& body) noexcept {
  if (error) *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, FASCIA_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, FASCIA_ERROR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(error, FASCIA_ERROR_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace fascia::c_api
