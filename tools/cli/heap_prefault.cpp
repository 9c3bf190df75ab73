#include "heap_prefault.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace fascia::cli {

void prefault_heap(unsigned long bytes) {
#ifdef MADV_POPULATE_WRITE
  // Each later growth of the heap is at least `bytes`, and freeing does not
  // give it back (the trim would return the pages this maps).
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * bytes));
  // Two blocks larger than half the first heap (132 KB) make malloc grow the
  // heap by a block and the pad in one brk; freed, they return to the top.
  // Each below the 128 KB from which malloc maps a block of its own.
  // volatile: the compiler would drop a block that is only freed.
  void* volatile first = std::malloc(120 * 1024);
  void* volatile second = std::malloc(120 * 1024);
  std::free(second);
  std::free(first);
  const auto info = mallinfo2();
  const auto top = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const std::uintptr_t start = (top - info.arena) & ~(page - 1);
  if (info.arena == 0 || top <= start) return;
  const std::uintptr_t end = top - start > bytes ? start + bytes : top;
  madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_WRITE);
#else
  (void)bytes;
#endif
}

}  // namespace fascia::cli
