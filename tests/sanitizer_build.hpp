// Whether this test program was built with AddressSanitizer or
// ThreadSanitizer (CI's 10-asan and 20-tsan stages). Such builds run the
// same code several times slower: the heaviest tests take a sample of their
// generated cases there (the release ctest runs them all) and timing budgets
// scale. gcc defines __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__; clang
// answers __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FASCIA_SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FASCIA_SANITIZER_BUILD 1
#endif
#endif

namespace fascia::test {
#ifdef FASCIA_SANITIZER_BUILD
inline constexpr bool sanitizer_build = true;
#else
inline constexpr bool sanitizer_build = false;
#endif
}  // namespace fascia::test
