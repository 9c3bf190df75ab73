#pragma once
// The one internal-error diagnostic and the one guard of the public entry
// points: whatever escapes the engine's code (a bug, std::bad_alloc) becomes
// a located diagnostic, never an exception in the caller's hands.

#include <fascia/diagnostic.hpp>

#include <exception>
#include <string_view>

namespace fascia::detail {

// "internal error: WHAT; please report this with the input that caused it"
// at `where` (a file name, or what was being done), code internal_error.
Diagnostic internal_error(std::string_view where, const std::exception* e);

// body(), or failure(Diagnostics{internal_error}) when it throws anything.
// `where` is a view: the string is built only on the error path (a literal
// such as "<engine>" cost about 12 instructions a call as a std::string).
template <class Body, class Failure>
auto guarded(std::string_view where, Body&& body, Failure&& failure) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return failure(Diagnostics{internal_error(where, &e)});
  } catch (...) {
    return failure(Diagnostics{internal_error(where, nullptr)});
  }
}

}  // namespace fascia::detail
