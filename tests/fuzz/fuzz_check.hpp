#pragma once
// Invariant checks for the fuzz targets: a violated one aborts, which
// libFuzzer reports as a crash and saves the input. Used by the replay
// executables of the normal test suite too, where an abort fails the test.

#include <cstdio>
#include <cstdlib>

#define FASCIA_FUZZ_CHECK(cond, what)                                                         \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                   what, #cond);                                                              \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
