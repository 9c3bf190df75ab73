#pragma once
// SHA-256 (FIPS 180-4), small and self-contained: used to fingerprint the
// protocol text a recommendation was computed from.

#include <string>
#include <string_view>

namespace fascia::detail {

// Lowercase hexadecimal digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace fascia::detail
