#include "plugin_host/elf_check.hpp"

#include <elf.h>

#include <cstdint>
#include <cstring>

#include "plugin_host/messages.hpp"

namespace fascia::detail {

namespace {

#if UINTPTR_MAX > 0xffffffffu
using Ehdr = Elf64_Ehdr;
using Phdr = Elf64_Phdr;
constexpr unsigned char host_class = ELFCLASS64;
#else
using Ehdr = Elf32_Ehdr;
using Phdr = Elf32_Phdr;
constexpr unsigned char host_class = ELFCLASS32;
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char host_data = ELFDATA2LSB;
#else
constexpr unsigned char host_data = ELFDATA2MSB;
#endif

// offset + count * size within `file_size`, without overflow.
bool inside(std::uint64_t offset, std::uint64_t count, std::uint64_t size, std::uint64_t file_size,
            std::uint64_t& end) {
  if (size != 0 && count > (UINT64_MAX - offset) / size) {
    end = UINT64_MAX;
    return false;
  }
  end = offset + count * size;
  return end <= file_size;
}

}  // namespace

unsigned host_elf_machine() noexcept {
#if defined(__x86_64__)
  return EM_X86_64;
#elif defined(__aarch64__)
  return EM_AARCH64;
#elif defined(__i386__)
  return EM_386;
#elif defined(__arm__)
  return EM_ARM;
#elif defined(__riscv)
  return EM_RISCV;
#elif defined(__powerpc64__)
  return EM_PPC64;
#elif defined(__s390x__)
  return EM_S390;
#else
  return EM_NONE;
#endif
}

std::optional<std::string> elf_problem(std::string_view bytes, std::uint64_t size) {
  if (bytes.size() > size) bytes = bytes.substr(0, size);
  if (size < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
    if (size >= SELFMAG && std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
      return plugin_msg::not_elf();
    if (size < SELFMAG && std::memcmp(bytes.data(), ELFMAG, size) != 0)
      return plugin_msg::not_elf();
    return plugin_msg::too_short(size);
  }
  const auto ident = reinterpret_cast<const unsigned char*>(bytes.data());
  if (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64) return plugin_msg::not_elf();
  if (ident[EI_CLASS] != host_class) return plugin_msg::wrong_class(ident[EI_CLASS] == ELFCLASS64);
  if (ident[EI_DATA] != host_data) return plugin_msg::wrong_byte_order();
  if (size < sizeof(Ehdr)) return plugin_msg::too_short(size);

  Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  // The machine first: a library for another CPU is the common mistake,
  // and its own message says so whatever else differs.
  if (host_elf_machine() != EM_NONE && header.e_machine != host_elf_machine())
    return plugin_msg::foreign_machine(header.e_machine);
  if (header.e_type != ET_DYN) return plugin_msg::not_shared_library(header.e_type);

  std::uint64_t end = 0;
  if (header.e_phnum == 0) return plugin_msg::no_loadable_segment();
  if (header.e_phentsize != sizeof(Phdr)) return plugin_msg::not_elf();
  if (!inside(header.e_phoff, header.e_phnum, sizeof(Phdr), size, end))
    return plugin_msg::truncated(size, end, "program header table");
  if (end > bytes.size()) return plugin_msg::headers_too_far(end, bytes.size());
  bool loadable = false;
  for (std::uint64_t i = 0; i < header.e_phnum; ++i) {
    Phdr segment;
    std::memcpy(&segment, bytes.data() + header.e_phoff + i * sizeof(Phdr), sizeof segment);
    if (segment.p_type == PT_LOAD) loadable = true;
    if (segment.p_filesz == 0) continue;
    if (!inside(segment.p_offset, 1, segment.p_filesz, size, end))
      return plugin_msg::truncated(size, end,
                                   segment.p_type == PT_LOAD ? "loadable segment" : "segment");
  }
  if (!loadable) return plugin_msg::no_loadable_segment();
  if (header.e_shoff != 0 && header.e_shnum != 0 &&
      !inside(header.e_shoff, header.e_shnum, header.e_shentsize, size, end))
    return plugin_msg::truncated(size, end, "section header table");
  return std::nullopt;
}

}  // namespace fascia::detail
