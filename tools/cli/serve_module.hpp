#pragma once
// `fascia serve` runs the server from a module of its own,
// libfascia-serve-command.so (serve_module.cpp), which the CLI opens only
// for that command: the server links OpenSSL, and loading libssl and
// libcrypto at start cost every other command about 5 ms of CPU (a C++
// program that only links them: 5.5 -> 10.6 ms, busy machine) and 5 M
// instructions. This is the one function between the two, built together.

#include <fascia/diagnostic.hpp>
#include <fascia/serve.hpp>

namespace fascia::cli {

struct ServeCall {
  const serve::ServerOptions* options = nullptr;
  void (*print_diagnostics)(const Diagnostics&) = nullptr;  // the CLI's printer
};

// The symbol the CLI looks up in the module.
inline constexpr const char* serve_module_file = "libfascia-serve-command.so";
inline constexpr const char* serve_module_entry = "fascia_cli_serve_run";
using ServeEntry = int (*)(const ServeCall*);

}  // namespace fascia::cli
