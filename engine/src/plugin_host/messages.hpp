#pragma once
// Every message the plugin host produces while loading, in one place. Load
// messages do not repeat the file: the diagnostic's location carries it
// ("FILE: error: MESSAGE"). Each says what is wrong and what to do.

#include <fascia/plugin.hpp>

#include <cstdint>
#include <string>

namespace fascia::detail::plugin_msg {

// Finding and trusting the file.
std::string file_not_found();
std::string dangling_symlink(const std::string& target);
std::string symlink_loop();
std::string symlink_outside(const std::string& target, const std::string& dir);
std::string cannot_resolve(const std::string& why);
std::string not_regular_file();
std::string writable_file(unsigned mode, const std::string& file);
std::string writable_folder(const std::string& dir, unsigned mode);
std::string too_large(std::uint64_t size, std::uint64_t limit);

// The ELF checks made before dlopen.
std::string too_short(std::uint64_t size);
std::string not_elf();
std::string wrong_class(bool is_64_bit);
std::string wrong_byte_order();
std::string not_shared_library(unsigned type);
std::string foreign_machine(unsigned machine);
std::string truncated(std::uint64_t size, std::uint64_t needed, const char* what);
std::string headers_too_far(std::uint64_t end, std::uint64_t checked);
std::string no_loadable_segment();

// dlopen and the entry point.
std::string cannot_load(const std::string& why);
std::string threw_while_loading(const std::string& what);
std::string no_entry_point();
std::string entry_returned_null();
std::string entry_threw(const std::string& what);
std::string wrong_abi(unsigned plugin_abi, const char* built_against);

// Registration.
std::string no_name();
std::string bad_name(const std::string& name);
std::string no_version(const std::string& name);
std::string bad_version(const std::string& name, const std::string& version);
std::string duplicate_plugin(const std::string& name, const std::string& other_file);
std::string no_register(const std::string& name);
std::string register_failed(const std::string& name, const std::string& why);
std::string no_techniques(const std::string& name);
std::string null_technique(const std::string& name);
std::string technique_threw(const std::string& plugin, const std::string& technique,
                            const char* method, const std::string& what);
std::string bad_technique_id(const std::string& plugin, const std::string& id);
std::string bad_pressures(const std::string& plugin, const TechniqueInfo& info);
std::string technique_twice(const std::string& plugin, const std::string& id);
std::string duplicate_technique(const std::string& id, const std::string& plugin,
                                const std::string& file, const std::string& other_plugin,
                                const std::string& other_file);
std::string duplicate_template(const std::string& id, const std::string& technique,
                               const std::string& plugin, const std::string& other_technique,
                               const std::string& other_plugin);
std::string schema_problem(const std::string& plugin, const std::string& technique,
                           const std::string& what);

// Folders.
std::string folder_not_found();
std::string not_a_folder();
std::string cannot_list(const std::string& why);

// The name of an ELF machine number ("x86-64", "AArch64", ...) or
// "machine N".
std::string machine_name(unsigned machine);

}  // namespace fascia::detail::plugin_msg
