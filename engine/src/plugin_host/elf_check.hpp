#pragma once
// The ELF checks made on a plugin file's bytes before dlopen. dlopen maps
// the file and trusts its headers: a partly copied library (a deploy in
// progress) makes it fault with SIGBUS when it touches a page past the end
// of the file, and a library for another CPU gets glibc's misleading "No such
// file or directory". Checking the headers first turns both into messages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fascia::detail {

// The e_machine value of the code this engine runs (EM_X86_64, ...), or
// EM_NONE when unknown (then the machine is not checked).
unsigned host_elf_machine() noexcept;

// The problem with a file of `size` bytes beginning with `head` as a shared
// library for this process, or nullopt: the size, the ELF identification
// (magic, class, byte order), the type (ET_DYN), the machine, the program
// headers and every segment with bytes in the file (each PT_LOAD among them)
// lying inside the file, the section header table inside the file, and at
// least one PT_LOAD. The program header table must lie in `head` (linkers
// put it right after the ELF header; check_plugin_file gives the first
// 4 KiB).
std::optional<std::string> elf_problem(std::string_view head, std::uint64_t size);

}  // namespace fascia::detail
