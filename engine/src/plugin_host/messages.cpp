#include "plugin_host/messages.hpp"

#include <elf.h>

#include <cstdio>

#include "plugin_host/elf_check.hpp"

namespace fascia::detail::plugin_msg {

std::string machine_name(unsigned machine) {
  switch (machine) {
    case EM_X86_64:
      return "x86-64";
    case EM_AARCH64:
      return "AArch64 (arm64)";
    case EM_386:
      return "i386";
    case EM_ARM:
      return "32-bit ARM";
    case EM_RISCV:
      return "RISC-V";
    case EM_PPC64:
      return "POWER (ppc64)";
    case EM_S390:
      return "IBM Z (s390x)";
  }
  return "ELF machine " + std::to_string(machine);
}

std::string file_not_found() { return "plugin file not found"; }
std::string cannot_resolve(const std::string& why) { return "cannot open plugin: " + why; }
std::string not_regular_file() {
  return "not a regular file: a plugin is a shared library (lib*.so)";
}
std::string writable_file(unsigned mode, const std::string& file) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return std::string("refusing to load a plugin writable by other users (mode ") + buf +
         "); fix with chmod go-w " + file;
}
std::string writable_folder(const std::string& dir, unsigned mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return "refusing to load a plugin from a folder writable by other users (" + dir + ", mode " +
         buf + "); fix with chmod go-w " + dir;
}
std::string dangling_symlink(const std::string& target) {
  return "plugin file is a symbolic link to " + target +
         ", which does not exist; fix or remove the link";
}
std::string symlink_loop() {
  return "plugin file is a symbolic link loop (it never reaches a file); fix or remove the link";
}
std::string symlink_outside(const std::string& target, const std::string& dir) {
  return "refusing to load a plugin through a symbolic link that leaves the plugin folder " + dir +
         " (it points to " + target +
         "); copy the library into the folder, or allow such links with "
         "--allow-plugin-symlinks (EngineOptions::allow_plugin_symlinks)";
}
std::string too_large(std::uint64_t size, std::uint64_t limit) {
  return "plugin file is too large (" + std::to_string(size) + " bytes; the limit is " +
         std::to_string(limit) + " bytes)";
}
std::string too_short(std::uint64_t size) {
  return "not a complete shared library: the file has only " + std::to_string(size) +
         " bytes, less than an ELF header; is it still being copied? copy it again";
}
std::string not_elf() {
  return "not a shared library (no ELF header): a plugin is a lib*.so built with "
         "fascia_add_plugin(); remove this file from the plugin folder";
}
std::string wrong_class(bool is_64_bit) {
  return std::string("plugin is a ") + (is_64_bit ? "64" : "32") + "-bit library, this system is " +
         (sizeof(void*) == 8 ? "64" : "32") + "-bit: rebuild the plugin for this system";
}
std::string wrong_byte_order() {
  return "plugin was built for a CPU with the other byte order: rebuild the plugin for this system";
}
std::string not_shared_library(unsigned type) {
  return "not a shared library (ELF type " + std::to_string(type) +
         "): build the plugin with fascia_add_plugin() (a MODULE library)";
}
std::string foreign_machine(unsigned machine) {
  return "plugin was built for another CPU (" + machine_name(machine) + "), this system is " +
         machine_name(host_elf_machine()) + ": rebuild the plugin for this system";
}
std::string truncated(std::uint64_t size, std::uint64_t needed, const char* what) {
  return std::string("the file is truncated: it has ") + std::to_string(size) + " bytes but its " +
         what + " needs " + std::to_string(needed) + "; is it still being copied? copy it again";
}
std::string headers_too_far(std::uint64_t end, std::uint64_t checked) {
  return "its program header table ends at byte " + std::to_string(end) + ", past the first " +
         std::to_string(checked) +
         " bytes that are checked; linkers put it after the ELF header: rebuild the plugin";
}
std::string no_loadable_segment() {
  return "not a loadable shared library (no loadable segment): rebuild the plugin";
}
std::string threw_while_loading(const std::string& what) {
  return "the plugin threw an exception while loading (from a static constructor): " + what +
         "; the plugin is broken: fix it or remove it from the plugin folder";
}
std::string cannot_load(const std::string& why) {
  return "cannot load plugin: " + why +
         "; it must be a shared library built for this system, with its dependencies "
         "installed (check with ldd)";
}
std::string no_entry_point() {
  return std::string("no entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL +
         "': is this a fascia plugin? (plugins define it with FASCIA_PLUGIN from "
         "<fascia/plugin.hpp>)";
}
std::string entry_returned_null() {
  return std::string("the entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL +
         "' returned no plugin information (null); the plugin is broken, rebuild it with "
         "FASCIA_PLUGIN";
}
std::string entry_threw(const std::string& what) {
  return std::string("the entry point '") + FASCIA_PLUGIN_ENTRY_SYMBOL + "' threw: " + what;
}
std::string wrong_abi(unsigned plugin_abi, const char* built_against) {
  const std::string running = std::to_string(FASCIA_PLUGIN_ABI_VERSION);
  std::string text =
      "wrong plugin ABI version: plugin was built for ABI " + std::to_string(plugin_abi) +
      " (fascia " + (built_against && *built_against ? built_against : "unknown") +
      "), this engine supports ABI " + running + " (fascia " + FASCIA_VERSION_STRING +
      "); rebuild the plugin against fascia " + FASCIA_VERSION_STRING;
  // What changed since the plugin's version, when it is an older one.
  if (plugin_abi == 1 && FASCIA_PLUGIN_ABI_VERSION == 2)
    text +=
        " (ABI 2 added Technique::inputs(): override it to declare the client-state fields "
        "and configuration keys adjust() reads; see plugins/README.md)";
  return text;
}
std::string no_name() {
  return "the plugin has no name: fascia_plugin_info.name must be set (FASCIA_PLUGIN does it)";
}
std::string bad_name(const std::string& name) {
  return "plugin name '" + name + "' is invalid: use lowercase letters, digits, '_' and '-'";
}
std::string no_version(const std::string& name) {
  return "plugin '" + name +
         "' has no version: fascia_plugin_info.version must be set (FASCIA_PLUGIN does it)";
}
std::string bad_version(const std::string& name, const std::string& version) {
  return "plugin '" + name + "' version '" + version +
         "' is not a semantic version MAJOR.MINOR.PATCH";
}
std::string duplicate_plugin(const std::string& name, const std::string& other_file) {
  return "plugin '" + name + "' is already loaded from " + other_file +
         "; remove one of the two copies from the plugin folders";
}
std::string no_register(const std::string& name) {
  return "plugin '" + name + "' has no register function";
}
std::string register_failed(const std::string& name, const std::string& why) {
  return "plugin '" + name + "' failed to register its techniques: " +
         (why.empty() ? std::string("(no message)") : why);
}
std::string no_techniques(const std::string& name) {
  return "plugin '" + name + "' registered no techniques";
}
std::string null_technique(const std::string& name) {
  return "plugin '" + name + "' registered a null technique";
}
std::string technique_threw(const std::string& plugin, const std::string& technique,
                            const char* method, const std::string& what) {
  return "plugin '" + plugin + "': technique '" + technique + "': " + method + "() threw: " + what;
}
std::string bad_technique_id(const std::string& plugin, const std::string& id) {
  return "plugin '" + plugin + "': technique id '" + id +
         "' is invalid: use lowercase letters, digits and '_'";
}
std::string bad_pressures(const std::string& plugin, const TechniqueInfo& info) {
  return "plugin '" + plugin + "': technique '" + info.id + "': default_pressure " +
         std::to_string(info.default_pressure) + " and max_pressure " +
         std::to_string(info.max_pressure) +
         " must satisfy 1 <= default_pressure <= max_pressure <= 10";
}
std::string technique_twice(const std::string& plugin, const std::string& id) {
  return "plugin '" + plugin + "' registers technique '" + id + "' twice";
}
std::string duplicate_technique(const std::string& id, const std::string& plugin,
                                const std::string& file, const std::string& other_plugin,
                                const std::string& other_file) {
  return "technique '" + id + "' from plugin '" + plugin + "' (" + file +
         ") is already provided by plugin '" + other_plugin + "' (" + other_file + ")";
}
std::string duplicate_template(const std::string& id, const std::string& technique,
                               const std::string& plugin, const std::string& other_technique,
                               const std::string& other_plugin) {
  return "home-program item '" + id + "' from technique '" + technique + "' of plugin '" + plugin +
         "' is already provided by technique '" + other_technique + "' of plugin '" + other_plugin +
         "'";
}
std::string schema_problem(const std::string& plugin, const std::string& technique,
                           const std::string& what) {
  return "plugin '" + plugin + "': technique '" + technique + "': " + what;
}
std::string folder_not_found() { return "plugin folder not found"; }
std::string not_a_folder() { return "not a folder"; }
std::string cannot_list(const std::string& why) { return "cannot list plugin folder: " + why; }

}  // namespace fascia::detail::plugin_msg
