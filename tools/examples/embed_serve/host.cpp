// A program that hosts fascia's HTTP service (fascia/serve.hpp) on a free
// loopback port, asks it for its CDS Hooks services and its what-if page
// with a plain socket, prints what it got and stops it. The same server as
// `fascia serve`, in someone else's process.
#include <fascia/serve.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

// GET path over HTTP/1.1 with "Connection: close"; the whole response.
std::string http_get(unsigned short port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;)
        response.append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  fascia::serve::ServerOptions options;
  options.protocols_dir = argc > 1 ? argv[1] : FASCIA_PROTOCOL_DIR;
  options.listen = "127.0.0.1:0";
  options.threads = 1;
  options.handle_signals = false;
  std::mutex log_mutex;
  options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::cerr << "log: " << line << '\n';
  };
  fascia::Diagnostics problems;
  auto server = fascia::serve::Server::create(options, problems);
  for (const auto& d : problems) std::cerr << d.to_string() << '\n';
  if (!server) return 1;
  std::thread running([&] { server->run(); });
  const std::string services = http_get(server->port(), "/cds-services");
  const std::string page = http_get(server->port(), "/");
  server->stop();
  running.join();
  const bool ok = services.rfind("HTTP/1.1 200", 0) == 0 &&
                  services.find("\"id\":\"fibromyalgia\"") != std::string::npos &&
                  page.find("<title>fascia what-if</title>") != std::string::npos;
  std::cout << services.substr(services.find("\r\n\r\n") + 4) << '\n';
  std::cout << (ok ? "OK: fascia::serve answered in this process" : "FAILED") << std::endl;
  return ok ? 0 : 1;
}
