// The HTTP/1.1 transport of fascia serve, on Boost.Beast + Asio (optionally
// TLS via OpenSSL): the listener, a connection limit, graceful drain on
// SIGTERM/SIGINT, log reopen on SIGHUP, the watchdog of inline requests and
// the access log's flush. A connection is a Session (http_session.hpp);
// what a request gets is decided by Service (service.cpp).
#include <fascia/serve.hpp>

#include "http_session.hpp"
#include "server_impl.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <algorithm>

namespace fascia::serve {

using Clock = std::chrono::steady_clock;

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, TcpSocket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || draining) return;
      return accept();
    }
    if (service.metrics().open_connections.load() >= options.max_connections) {
      service.metrics().connection_rejected();
      beast::error_code ignored;
      socket.close(ignored);
      return accept();
    }
    std::shared_ptr<SessionBase> session;
    if (tls) {
      auto s = std::make_shared<Session<beast::ssl_stream<TcpStream>>>(
          *this, beast::ssl_stream<TcpStream>(TcpStream(std::move(socket)), *tls));
      session = s;
      s->start();
    } else {
      auto s = std::make_shared<Session<TcpStream>>(*this, TcpStream(std::move(socket)));
      session = s;
      s->start();
    }
    {
      std::lock_guard lock(sessions_mutex);
      for (auto it = sessions.begin(); it != sessions.end();)
        it = it->expired() ? sessions.erase(it) : std::next(it);
      sessions.insert(session);
    }
    accept();
  });
}

void Server::Impl::start_watchdog() {
  net::post(timers, [this] { watchdog_wait(); });
}

// Ticks while any request runs inline; a request past its deadline is
// answered 503 by its connection (on whichever I/O thread is free).
void Server::Impl::watchdog_wait() {
  watchdog.expires_after(watchdog_tick);
  watchdog.async_wait(net::bind_executor(timers, [this](beast::error_code ec) {
    if (ec) return;
    if (inline_runs->expired(Clock::now())) watchdog_wait();
  }));
}

void Server::Impl::log_request(std::string_view line) {
  if (!service.log_request(line)) return;
  net::post(timers, [this] {
    access_log_timer.expires_after(AccessLog::flush_delay);
    access_log_timer.async_wait(
        net::bind_executor(timers, [this](beast::error_code) { service.flush_request_log(); }));
  });
}

void Server::Impl::begin_drain() {
  if (draining.exchange(true)) return;
  service.log("fascia serve: draining in-flight requests, then stopping");
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  {
    std::lock_guard lock(sessions_mutex);
    for (const auto& weak : sessions)
      if (auto s = weak.lock()) s->shutdown_if_idle();
  }
  {
    std::lock_guard lock(watcher_mutex);
    watcher_stop = true;
  }
  watcher_cv.notify_all();
  wait_for_drain(Clock::now() + options.drain_timeout);
}

void Server::Impl::wait_for_drain(Clock::time_point deadline) {
  if (live_sessions.load() == 0 || Clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this, deadline](beast::error_code) { wait_for_drain(deadline); });
}

void Server::Impl::signal_wait() {
  signals.async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      service.decision_log().reopen();
      service.log("fascia serve: SIGHUP: decision log reopened");
      return signal_wait();
    }
    begin_drain();
  });
}

std::unique_ptr<Server> Server::create(ServerOptions options, Diagnostics& problems) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (!impl->service.init(options, problems)) return nullptr;
  try {
    if (!options.tls_cert.empty() || !options.tls_key.empty()) {
      if (options.tls_cert.empty() || options.tls_key.empty()) {
        problems.push_back({Severity::error, {}, "--tls-cert and --tls-key go together"});
        return nullptr;
      }
      impl->tls.emplace(ssl::context::tls_server);
      impl->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      impl->tls->use_certificate_chain_file(options.tls_cert);
      impl->tls->use_private_key_file(options.tls_key, ssl::context::pem);
    }
  } catch (const std::exception& e) {
    problems.push_back({Severity::error,
                        {options.tls_cert, 0, 0},
                        std::string("cannot use the TLS certificate or key: ") + e.what()});
    return nullptr;
  }
  const auto colon = options.listen.rfind(':');
  std::string host = colon == std::string::npos ? options.listen : options.listen.substr(0, colon);
  const std::string port = colon == std::string::npos ? "8080" : options.listen.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    tcp::resolver resolver(impl->ioc);
    const auto endpoints = resolver.resolve(host, port, tcp::resolver::passive);
    const tcp::endpoint endpoint = *endpoints.begin();
    impl->acceptor.open(endpoint.protocol());
    impl->acceptor.set_option(net::socket_base::reuse_address(true));
    impl->acceptor.bind(endpoint);
    impl->acceptor.listen(net::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    problems.push_back(
        {Severity::error, {}, "cannot listen on " + options.listen + ": " + e.what()});
    return nullptr;
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  {
    std::lock_guard lock(impl_->watcher_mutex);
    impl_->watcher_stop = true;
  }
  impl_->watcher_cv.notify_all();
  if (impl_->watcher.joinable()) impl_->watcher.join();
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  Impl& impl = *impl_;
  if (impl.options.handle_signals) {
    impl.signals.add(SIGTERM);
    impl.signals.add(SIGINT);
    impl.signals.add(SIGHUP);
    impl.signal_wait();
  }
  impl.watcher = std::thread([&impl] {
    std::unique_lock lock(impl.watcher_mutex);
    while (!impl.watcher_cv.wait_for(lock, impl.options.reload_interval,
                                     [&] { return impl.watcher_stop; })) {
      lock.unlock();
      impl.service.folder().poll();
      lock.lock();
    }
  });
  impl.accept();
  const int n = impl.options.threads > 0 ? impl.options.threads
                                         : int(std::max(1u, std::thread::hardware_concurrency()));
  impl.worker_pool.emplace(std::size_t(n));
  if (n > 1) impl.inline_runs.emplace(std::size_t(n - 1));
  // The inline watchdog's tick: a 503 comes at most a tenth of the deadline
  // (and at most 10 ms) late.
  impl.watchdog_tick =
      std::clamp<Clock::duration>(impl.options.request_deadline / 10, std::chrono::milliseconds(1),
                                  std::chrono::milliseconds(10));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  // Requests past their deadline may still be running: let them finish
  // (their sessions are gone) before the service they use goes away.
  impl.worker_pool->join();
  impl.service.flush_request_log();
  {
    std::lock_guard lock(impl.watcher_mutex);
    impl.watcher_stop = true;
  }
  impl.watcher_cv.notify_all();
  if (impl.watcher.joinable()) impl.watcher.join();
}

void Server::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->begin_drain(); });
}

void Server::reopen_logs() { impl_->service.decision_log().reopen(); }

}  // namespace fascia::serve
