// fascia serve: the engine as a CDS Hooks service and a JSON API
// (fascia::serve, docs/serve.md).
#include "commands.hpp"
#include "exit_codes.hpp"
#include "serve_module.hpp"

#include <dlfcn.h>

#include <fascia/recommendation.hpp>
#include <fascia/serve.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace fascia::cli {

namespace {
struct ServeArgs {
  serve::ServerOptions options;
  long header_timeout_ms = 10000, body_timeout_ms = 10000, deadline_ms = 2000,
       reload_interval_ms = 1000, drain_timeout_ms = 10000;
};

// The module lies beside libfascia, in the build tree and in an install, and
// is opened by its full path: a bare name is looked up through the RUNPATH of
// the code that calls dlopen, which under AddressSanitizer is the runtime's
// interceptor, not this program.
std::string serve_module_path() {
  Dl_info info{};
  const auto anchor =
      static_cast<const char* (*)(TraceEntry::Outcome) noexcept>(&fascia::to_string);
  if (dladdr(reinterpret_cast<void*>(anchor), &info) != 0 && info.dli_fname) {
    const std::string library = info.dli_fname;
    const auto slash = library.rfind('/');
    if (slash != std::string::npos) return library.substr(0, slash + 1) + serve_module_file;
  }
  return serve_module_file;
}
}  // namespace

Command add_serve_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<ServeArgs>();
  auto& o = args->options;
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve the protocols of a folder over HTTP: CDS Hooks 2.0 and the JSON API");
  cmd->footer(
      "Loads every protocol of the folder (*.yaml but *.test.yaml; a broken file is reported\n"
      "and not served), reloads changed files, and serves until SIGTERM or SIGINT, then\n"
      "drains in-flight requests and exits 0. SIGHUP reopens the decision log.\n"
      "Endpoints: GET /cds-services, POST /cds-services/{id}[/feedback],\n"
      "POST /v1/protocols/{id}/evaluate|what-if|simulate, GET /v1/protocols, /healthz,\n"
      "/metrics, and static files from the web root at /. See docs/serve.md.\n\n"
      "Example:\n  fascia serve --protocols protocols --listen 127.0.0.1:8080 \\\n"
      "      --decision-log decisions.jsonl\n"
      "  curl -s localhost:8080/cds-services");
  cmd->add_option("--protocols", o.protocols_dir, "Folder of protocol YAML files")->required();
  cmd->add_option("--listen", o.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--fhir-map", o.fhir_map,
                  "FHIR R4 -> client state mapping (YAML); default: the bundled "
                  "fhir/default-map.yaml");
  cmd->add_option("--auth-config", o.auth_config,
                  "Who may call: JWT issuers and their JWKS, static tokens (YAML); default: "
                  "no authentication");
  cmd->add_option("--tls-cert", o.tls_cert, "TLS certificate chain (PEM)");
  cmd->add_option("--tls-key", o.tls_key, "TLS private key (PEM)");
  cmd->add_option("--decision-log", o.decision_log, "Append one JSON line per decision here");
  cmd->add_option("--web-root", o.web_root,
                  "Static files served at / (default: the bundled web page)");
  cmd->add_option("--max-body", o.max_body_bytes, "Largest request body in bytes (else 413)")
      ->capture_default_str();
  cmd->add_option("--max-header", o.max_header_bytes, "Largest request header in bytes (else 431)")
      ->capture_default_str();
  cmd->add_option("--header-timeout-ms", args->header_timeout_ms,
                  "Time to receive a request header, and keep-alive idle time")
      ->capture_default_str();
  cmd->add_option("--body-timeout-ms", args->body_timeout_ms, "Time to receive a request body")
      ->capture_default_str();
  cmd->add_option("--request-deadline-ms", args->deadline_ms,
                  "A request that takes longer is answered 503")
      ->capture_default_str();
  cmd->add_option("--max-connections", o.max_connections, "Open connections at most")
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "I/O threads (0: one per core)")->capture_default_str();
  cmd->add_option("--reload-interval-ms", args->reload_interval_ms,
                  "How often the protocols folder is checked for changes")
      ->capture_default_str();
  cmd->add_option("--drain-timeout-ms", args->drain_timeout_ms,
                  "On SIGTERM, how long in-flight requests may take")
      ->capture_default_str();
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            auto run_options = args->options;
            run_options.plugin_dirs = common.plugin_dirs;
            run_options.header_timeout = std::chrono::milliseconds(args->header_timeout_ms);
            run_options.body_timeout = std::chrono::milliseconds(args->body_timeout_ms);
            run_options.request_deadline = std::chrono::milliseconds(args->deadline_ms);
            run_options.reload_interval = std::chrono::milliseconds(args->reload_interval_ms);
            run_options.drain_timeout = std::chrono::milliseconds(args->drain_timeout_ms);
            // Kept loaded until the process exits.
            const std::string module_file = serve_module_path();
            void* module = dlopen(module_file.c_str(), RTLD_NOW | RTLD_LOCAL);
            auto* entry =
                module ? reinterpret_cast<ServeEntry>(dlsym(module, serve_module_entry)) : nullptr;
            if (!entry) {
              const char* why = dlerror();
              std::cerr << "fascia: error: internal error: cannot load the server (" << module_file
                        << "): " << (why ? why : "no entry point") << '\n';
              return exit_internal;
            }
            const ServeCall call{&run_options, &print_diagnostics};
            return entry(&call);
          }};
}

}  // namespace fascia::cli
