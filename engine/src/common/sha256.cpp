#include "common/sha256.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FASCIA_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

// Cost of hashing the five bundled plugin files (333 KB) and the protocol
// (15 KB), 5,440 blocks, at every `fascia evaluate`, Release build, AMD EPYC
// (2026-12-02):
//   the former portable code: 4,100 instructions a block, 22.3 M in all
//     (42 % of the cold start's instructions);
//   this portable code: 3,440 a block, 18.7 M (nettle's x86-64 assembly,
//     for comparison, takes 2,990);
//   SHA-NI: 0.30 ms for the 333 KB of plugins (about 1.9 cycles a byte).
// Valgrind hides SHA-NI from CPUID, so callgrind counts the portable code.

namespace fascia::detail {

namespace {

using State = std::array<std::uint32_t, 8>;

alignas(16) constexpr std::array<std::uint32_t, 64> round_constants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr State initial_state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// ---- portable ----

constexpr std::uint32_t rotate_right(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

std::uint32_t load_big_endian(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// One round; the caller rotates the roles of the eight words instead of
// moving them (d and h are the two that change).
inline void sha_round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d,
                      std::uint32_t e, std::uint32_t f, std::uint32_t g, std::uint32_t& h,
                      std::uint32_t constant_plus_word) {
  const std::uint32_t t1 = h + (rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25)) +
                           (g ^ (e & (f ^ g))) + constant_plus_word;
  d += t1;
  h = t1 + (rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22)) +
      ((a & b) | (c & (a | b)));
}

void compress_portable(State& state, const unsigned char* data, std::size_t blocks) {
  for (; blocks > 0; --blocks, data += 64) {
    // The message schedule in a window of 16 words, updated in place.
    std::array<std::uint32_t, 16> w;
    for (std::size_t j = 0; j < 16; ++j) w[j] = load_big_endian(data + 4 * j);
    auto [a, b, c, d, e, f, g, h] = state;
    for (std::size_t i = 0; i < 64; i += 16) {
      if (i > 0) {
        for (std::size_t j = 0; j < 16; ++j) {
          const std::uint32_t w15 = w[(j + 1) & 15];
          const std::uint32_t w2 = w[(j + 14) & 15];
          w[j] += (rotate_right(w2, 17) ^ rotate_right(w2, 19) ^ (w2 >> 10)) + w[(j + 9) & 15] +
                  (rotate_right(w15, 7) ^ rotate_right(w15, 18) ^ (w15 >> 3));
        }
      }
      const std::uint32_t* k = round_constants.data() + i;
      for (std::size_t j = 0; j < 16; j += 8) {
        sha_round(a, b, c, d, e, f, g, h, k[j] + w[j]);
        sha_round(h, a, b, c, d, e, f, g, k[j + 1] + w[j + 1]);
        sha_round(g, h, a, b, c, d, e, f, k[j + 2] + w[j + 2]);
        sha_round(f, g, h, a, b, c, d, e, k[j + 3] + w[j + 3]);
        sha_round(e, f, g, h, a, b, c, d, k[j + 4] + w[j + 4]);
        sha_round(d, e, f, g, h, a, b, c, k[j + 5] + w[j + 5]);
        sha_round(c, d, e, f, g, h, a, b, k[j + 6] + w[j + 6]);
        sha_round(b, c, d, e, f, g, h, a, k[j + 7] + w[j + 7]);
      }
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

// ---- SHA-NI (x86-64) ----

#if FASCIA_SHA256_X86
bool cpu_has_sha_ni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3_and_sse41 = (ecx & bit_SSSE3) && (ecx & bit_SSE4_1);
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return ssse3_and_sse41 && (ebx & bit_SHA);
}

// The state is kept as the two halves sha256rnds2 works on, ABEF and CDGH;
// four rounds use one group of four message words.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_sha_ni(State& state,
                                                                 const unsigned char* data,
                                                                 std::size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data()));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data() + 4));
  dcba = _mm_shuffle_epi32(dcba, 0xB1);              // CDAB
  hgfe = _mm_shuffle_epi32(hgfe, 0x1B);              // EFGH
  __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);     // ABEF
  __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);  // CDGH

  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i m[4];  // the last four groups of message words
    for (std::size_t group = 0; group < 16; ++group) {
      __m128i words;
      if (group < 4) {
        words = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * group)), byte_swap);
      } else {
        const __m128i& back4 = m[group & 3];
        const __m128i& back3 = m[(group + 1) & 3];
        const __m128i& back2 = m[(group + 2) & 3];
        const __m128i& back1 = m[(group + 3) & 3];
        words = _mm_sha256msg2_epu32(
            _mm_add_epi32(_mm_sha256msg1_epu32(back4, back3), _mm_alignr_epi8(back1, back2, 4)),
            back1);
      }
      m[group & 3] = words;
      const __m128i sum = _mm_add_epi32(
          words, _mm_load_si128(reinterpret_cast<const __m128i*>(&round_constants[4 * group])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sum);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(sum, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }

  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data() + 4), _mm_alignr_epi8(dchg, feba, 8));
}
#endif

using Compress = void (*)(State&, const unsigned char*, std::size_t);

Compress compress_for(Sha256Engine engine) {
#if FASCIA_SHA256_X86
  if (engine == Sha256Engine::sha_ni && sha256_sha_ni_available()) return compress_sha_ni;
#else
  (void)engine;
#endif
  return compress_portable;
}

}  // namespace

Sha256::Sha256(Sha256Engine engine) : compress_(compress_for(engine)), state_(initial_state) {}

Sha256& Sha256::update(std::string_view data) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t size = data.size();
  total_ += size;
  if (pending_size_ > 0) {  // complete the block begun by the last piece
    const std::size_t take = std::min(size, pending_.size() - pending_size_);
    std::copy_n(bytes, take, pending_.data() + pending_size_);
    pending_size_ += take;
    bytes += take;
    size -= take;
    if (pending_size_ < pending_.size()) return *this;
    compress_(state_, pending_.data(), 1);
    pending_size_ = 0;
  }
  compress_(state_, bytes, size / 64);
  pending_size_ = size % 64;
  std::copy_n(bytes + size / 64 * 64, pending_size_, pending_.data());
  return *this;
}

std::string Sha256::hex() {
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian number.
  std::array<unsigned char, 128> tail{};
  std::copy_n(pending_.data(), pending_size_, tail.data());
  tail[pending_size_] = 0x80;
  const std::size_t tail_size = pending_size_ + 1 + 8 <= 64 ? 64 : 128;
  const std::uint64_t bits = total_ * 8;
  for (std::size_t i = 0; i < 8; ++i)
    tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  compress_(state_, tail.data(), tail_size / 64);

  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const std::uint32_t word : state_)
    for (int shift = 28; shift >= 0; shift -= 4) out += digits[(word >> shift) & 0xF];
  return out;
}

bool sha256_sha_ni_available() noexcept {
#if FASCIA_SHA256_X86
  static const bool available = cpu_has_sha_ni();
  return available;
#else
  return false;
#endif
}

std::string sha256_hex(std::string_view data, Sha256Engine engine) {
  return Sha256(engine).update(data).hex();
}

std::string sha256_hex(std::string_view data) { return Sha256().update(data).hex(); }

}  // namespace fascia::detail
