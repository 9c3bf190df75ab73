#pragma once
// Small helpers of the server: identifiers, hashes, times, the 400 body.

#include <fascia/diagnostic.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace fascia::serve {

// A random UUID (version 4), lower case: decision ids and card uuids.
std::string new_uuid();
// Lower-case hex SHA-256 of `data` (decision-log inputs, static tokens),
// through OpenSSL, which the server links for TLS anyway (and which uses
// SHA-NI where the CPU has it). The engine's own, fascia::detail::sha256_hex
// (common/sha256.hpp), exists because the CLI and libfascia do not load
// OpenSSL; serve sees no engine internals (CONTRIBUTING.md). Both give
// the FIPS 180-4 digest.
std::string sha256_hex(std::string_view data);
// Now as RFC 3339 UTC with milliseconds ("2026-12-02T07:13:17.123Z").
std::string utc_now();
// Today's date (UTC) as YYYY-MM-DD.
std::string utc_today();

// {"errors": [{"line", "column", "path", "message"}], "decision_id": ...}
// for the diagnostics of a JSON request body; only errors are listed. The
// paths are the engine's (documents/json_path.hpp), as in the C API.
std::string errors_body(const Diagnostics& diagnostics, std::string_view body,
                        const std::string& decision_id);
// The same for one problem with no position.
std::string error_body(const std::string& message, const std::string& decision_id,
                       const std::string& path = "$");

}  // namespace fascia::serve

namespace fascia::serve {

// The byte range [first, second) of the value of top-level member `key`
// of the JSON object `text`; {npos, npos} when absent.
std::pair<std::size_t, std::size_t> member_span(std::string_view text, std::string_view key);
// Moves diagnostics about text that starts at byte `offset` of `whole` so
// that their lines and columns point into `whole`.
void shift_locations(Diagnostics& diagnostics, std::string_view whole, std::size_t offset);
// line:column (one-based) of byte `offset` of `text`.
std::pair<std::uint32_t, std::uint32_t> line_column(std::string_view text, std::size_t offset);

}  // namespace fascia::serve
