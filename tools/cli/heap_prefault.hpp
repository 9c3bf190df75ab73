#pragma once
// Cold start (issue 16): the CLI takes its heap from the kernel in one step
// and has its pages mapped in one system call, instead of one page fault for
// each 4 KB page the protocol's reading first touches (about 70 a run of
// `fascia evaluate`). The CLI's own process only: the library sets no
// allocator options.

namespace fascia::cli {

// Grows the main heap to `bytes` and maps its pages; does nothing (the
// allocator then works as before) where the kernel cannot populate pages.
void prefault_heap(unsigned long bytes);

}  // namespace fascia::cli
