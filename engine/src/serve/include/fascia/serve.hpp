#pragma once
// fascia serve as a library: the engine behind an HTTP/1.1 server that
// speaks CDS Hooks 2.0 and fascia's JSON API (CONTRACT.md, "serve").
//
//   fascia::serve::ServerOptions options;
//   options.protocols_dir = "protocols";
//   fascia::Diagnostics problems;
//   auto server = fascia::serve::Server::create(options, problems);
//   if (!server) { /* print problems */ }
//   server->run();   // until stop() (or SIGTERM/SIGINT with handle_signals)
//
// Link fascia::serve (Boost.Beast, OpenSSL); libfascia itself stays free of
// both. docs/serve.md describes the endpoints, the FHIR mapping, the
// authentication config and the decision log.

#include <fascia/diagnostic.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fascia::serve {

struct ServerOptions {
  std::string protocols_dir;              // every *.yaml but *.test.yaml, not recursive
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 = any free port
  std::vector<std::string> plugin_dirs;
  std::string fhir_map;           // empty: the bundled default mapping
  std::string auth_config;        // empty: no authentication
  std::string tls_cert, tls_key;  // both or neither (PEM files)
  std::string decision_log;       // empty: no decision log
  std::string web_root;           // empty: the bundled web folder if found
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds header_timeout{10000};  // also the keep-alive idle time
  std::chrono::milliseconds body_timeout{10000};
  std::chrono::milliseconds request_deadline{2000};
  std::chrono::milliseconds reload_interval{1000};  // protocol folder polling
  std::chrono::milliseconds drain_timeout{10000};
  int max_connections = 1024;
  int threads = 0;             // 0: one per core
  bool handle_signals = true;  // SIGTERM/SIGINT drain and stop, SIGHUP reopens logs
  // One line per request (and per event) goes here; default: stderr.
  std::function<void(const std::string&)> log;
};

// Exported from libfascia-serve.so (the build hides everything else).
#define FASCIA_SERVE_API __attribute__((visibility("default")))

class FASCIA_SERVE_API Server {
 public:
  // Loads the protocols (a broken file is reported in `problems` and not
  // served), the FHIR mapping and the auth config, and binds the listening
  // socket. nullptr when the server cannot start (`problems` says why).
  static std::unique_ptr<Server> create(ServerOptions options, Diagnostics& problems);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (useful with port 0).
  unsigned short port() const;
  // Serves until stop() or a signal; in-flight requests are drained.
  void run();
  // Thread-safe; returns at once.
  void stop();
  // Reopens the decision log (log rotation); thread-safe.
  void reopen_logs();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fascia::serve
