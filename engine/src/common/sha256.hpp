#pragma once
// SHA-256 (FIPS 180-4), small and self-contained: fingerprints the protocol
// text a recommendation was computed from and the plugin files loaded (a
// protocol may pin them).
//
// Hand-written rather than OpenSSL's SHA256(): a process that links
// libcrypto and calls it once starts about 5 ms later (OpenSSL 3's
// initialisation), against a `fascia evaluate` cold start of under 20 ms.
// Where the CPU has the SHA extensions (SHA-NI, checked once with CPUID)
// the blocks go through them; elsewhere, and under valgrind (which hides
// them), through the portable code. Figures in sha256.cpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fascia::detail {

// The two ways of compressing blocks, for tests and benchmarks.
enum class Sha256Engine { portable, sha_ni };

// A digest fed in pieces (a file read in chunks, without holding it whole).
class Sha256 {
 public:
  // `sha_ni` only where sha256_sha_ni_available() (elsewhere the portable code).
  explicit Sha256(Sha256Engine engine = Sha256Engine::sha_ni);
  Sha256& update(std::string_view data);
  // Lowercase hexadecimal digest (64 characters) of everything given.
  std::string hex();

 private:
  using Compress = void (*)(std::array<std::uint32_t, 8>&, const unsigned char*, std::size_t);
  Compress compress_;
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> pending_{};
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;
};

// Lowercase hexadecimal digest of `data` (64 characters), through the
// fastest way this CPU has.
std::string sha256_hex(std::string_view data);

// Whether this CPU (as CPUID reports it) has the SHA extensions and SSE4.1.
bool sha256_sha_ni_available() noexcept;
// The digest through one named way; `sha_ni` only where
// sha256_sha_ni_available() (elsewhere it runs the portable code).
std::string sha256_hex(std::string_view data, Sha256Engine engine);

}  // namespace fascia::detail
