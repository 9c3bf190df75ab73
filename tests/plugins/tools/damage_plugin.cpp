// Makes broken copies of a real plugin library for the loader tests (run at
// build time by CMake):
//   damage_plugin truncate N IN OUT   the first N bytes of IN (a copy still
//                                     in progress during a deploy)
//   damage_plugin machine M IN OUT    IN with its ELF e_machine set to M (a
//                                     library built for another CPU)
#include <elf.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: damage_plugin truncate|machine N IN OUT\n");
    return 2;
  }
  const std::string mode = argv[1];
  const unsigned long n = std::strtoul(argv[2], nullptr, 10);
  std::ifstream in(argv[3], std::ios::binary);
  if (!in.is_open()) {
    std::fprintf(stderr, "damage_plugin: cannot open %s\n", argv[3]);
    return 1;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < sizeof(Elf64_Ehdr)) {
    std::fprintf(stderr, "damage_plugin: cannot read %s\n", argv[3]);
    return 1;
  }
  if (mode == "truncate") {
    if (n < bytes.size()) bytes.resize(n);
  } else if (mode == "machine") {
    const auto machine = static_cast<std::uint16_t>(n);
    std::memcpy(bytes.data() + offsetof(Elf64_Ehdr, e_machine), &machine, sizeof machine);
  } else {
    std::fprintf(stderr, "damage_plugin: unknown mode %s\n", mode.c_str());
    return 2;
  }
  std::ofstream out(argv[4], std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return 1;
  out.close();
  chmod(argv[4], 0755);
  return 0;
}
