// The server side of `fascia serve` (serve_module.hpp says why it is a
// module): create the server, say where it listens, run until stopped.
#include "serve_module.hpp"
#include "exit_codes.hpp"

#include <exception>
#include <iostream>

extern "C" __attribute__((visibility("default"))) int fascia_cli_serve_run(
    const fascia::cli::ServeCall* call) noexcept {
  using namespace fascia::cli;
  try {
    const auto& run_options = *call->options;
    fascia::Diagnostics problems;
    auto server = fascia::serve::Server::create(run_options, problems);
    call->print_diagnostics(problems);
    if (!server) return exit_invalid_input;
    const auto colon = run_options.listen.rfind(':');
    std::cerr << "fascia serve: listening on " << (run_options.tls_cert.empty() ? "http" : "https")
              << "://" << run_options.listen.substr(0, colon) << ':' << server->port()
              << (run_options.auth_config.empty() ? " (no authentication)" : "") << std::endl;
    server->run();
    std::cerr << "fascia serve: stopped" << std::endl;
    return exit_ok;
  } catch (const std::exception& e) {
    std::cerr << "fascia: error: internal error: " << e.what() << '\n';
    return exit_internal;
  }
}
