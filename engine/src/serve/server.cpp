// The HTTP/1.1 transport of fascia serve, on Boost.Beast + Asio (optionally
// TLS via OpenSSL): keep-alive, header/body size limits, header and body
// read deadlines (a client that trickles bytes is dropped), a connection
// limit, graceful drain on SIGTERM/SIGINT, log reopen on SIGHUP. What a
// request gets is decided by Service (service.cpp).
#include <fascia/serve.hpp>

#include "service.hpp"
#include "util.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace fascia::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  virtual void shutdown_if_idle() = 0;
};

struct Server::Impl {
  ServerOptions options;
  Service service;
  net::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc};
  net::steady_timer drain_timer{ioc};
  std::atomic<bool> draining{false};
  std::mutex sessions_mutex;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
  std::atomic<int> live_sessions{0};
  std::optional<net::thread_pool> worker_pool;  // handles POST requests (run())
  net::thread_pool& workers() { return *worker_pool; }
  std::thread watcher;
  std::mutex watcher_mutex;
  std::condition_variable watcher_cv;
  bool watcher_stop = false;

  void accept();
  void begin_drain();
  void wait_for_drain(Clock::time_point deadline);
  void signal_wait();
};

namespace {

std::string sanitized(std::string_view path) {
  std::string out;
  for (char c : path.substr(0, 200)) out += (c > 32 && c < 127) ? c : '?';
  return out;
}

template <class Stream>
class Session : public SessionBase {
 public:
  Session(Server::Impl& impl, Stream stream) : impl_(impl), stream_(std::move(stream)) {
    ++impl_.live_sessions;
    ++impl_.service.metrics().open_connections;
  }
  ~Session() override {
    --impl_.service.metrics().open_connections;
    --impl_.live_sessions;
  }

  void start() {
    if constexpr (std::is_same_v<Stream, tcp_stream_type>) {
      read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(impl_.options.header_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = shared()](beast::error_code ec) {
        if (!ec) self->read();
      });
    }
  }

  void shutdown_if_idle() override {
    net::post(stream_.get_executor(), [self = shared()] {
      if (!self->busy_) beast::get_lowest_layer(self->stream_).socket().close();
    });
  }

 private:
  using tcp_stream_type = beast::tcp_stream;
  std::shared_ptr<Session> shared() {
    return std::static_pointer_cast<Session>(shared_from_this());
  }

  void read() {
    if (impl_.draining) return close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(std::uint32_t(impl_.options.max_header_bytes));
    parser_->body_limit(impl_.options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(impl_.options.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit) return fail(431, "request header too large");
    if (ec == http::error::body_limit) return fail(413, "request body too large");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset)
      return close();
    if (ec) return fail(400, "malformed HTTP request");
    busy_ = true;
    started_ = Clock::now();
    auto& req = parser_->get();
    if (const auto length = parser_->content_length();
        length && *length > impl_.options.max_body_bytes)
      return fail(413, "request body too large");
    if (req[http::field::expect] == "100-continue") {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = shared(), cont](beast::error_code write_ec, std::size_t) {
                          if (write_ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    beast::get_lowest_layer(stream_).expires_after(impl_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) return fail(413, "request body too large");
    if (ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == http::error::partial_message)
      return close();
    if (ec) return fail(400, "malformed HTTP request");
    beast::get_lowest_layer(stream_).expires_never();
    auto& req = parser_->get();
    Request rq;
    rq.method = std::string(req.method_string());
    rq.target = std::string(req.target());
    rq.content_type = std::string(req[http::field::content_type]);
    rq.authorization = std::string(req[http::field::authorization]);
    rq.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    if (rq.method != "POST") {  // cheap, bounded work: answered on this I/O thread
      Response rs = handle(rq);
      const std::string path = rq.target.substr(0, rq.target.find('?'));
      return respond(std::move(rs), keep_alive, version, rq.method, path, rq.method == "HEAD");
    }
    // Evaluations, simulations and CDS Hooks calls run on the worker pool
    // while this session waits for whichever comes first: the answer or the
    // request deadline. A late evaluation (a slow plugin, a long simulation)
    // then answers 503 on time instead of holding the clinician's screen;
    // its result, when it comes, is dropped.
    const auto ticket = ++ticket_;
    const auto remaining = impl_.options.request_deadline - (Clock::now() - started_);
    deadline_timer_.expires_after(std::chrono::duration_cast<Clock::duration>(remaining));
    deadline_timer_.async_wait([self = shared(), ticket](beast::error_code timer_ec) {
      if (timer_ec || ticket != self->ticket_ || self->answered_ == ticket) return;
      self->answered_ = ticket;
      self->impl_.service.metrics().deadline_exceeded();
      Response late = self->impl_.service.error(
          503, "the request took longer than the deadline; try again later", "deadline");
      self->respond(std::move(late), self->pending_keep_alive_, self->pending_version_, "POST",
                    self->pending_path_);
    });
    pending_keep_alive_ = keep_alive;
    pending_version_ = version;
    pending_path_ = rq.target.substr(0, rq.target.find('?'));
    net::post(impl_.workers(), [self = shared(), ticket, rq = std::move(rq)] {
      Response rs = self->handle(rq);
      net::post(self->stream_.get_executor(), [self, ticket, rs = std::move(rs)]() mutable {
        // Dropped when the deadline answered already (and maybe the next
        // request of this connection is being handled).
        if (ticket != self->ticket_ || self->answered_ == ticket) return;
        self->answered_ = ticket;
        self->deadline_timer_.cancel();
        self->respond(std::move(rs), self->pending_keep_alive_, self->pending_version_, "POST",
                      self->pending_path_);
      });
    });
  }

  Response handle(const Request& rq) {
    try {
      return impl_.service.handle(rq);
    } catch (const std::exception&) {
      return impl_.service.error(500, "internal error", "error");
    }
  }

  void respond(Response rs, bool keep_alive, unsigned version, const std::string& method,
               const std::string& path, bool head = false) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
    impl_.service.metrics().request(rs.route, rs.status, double(us) / 1e6);
    impl_.service.log(
        method + " " + (rs.status == 404 || rs.route == "http" ? "-" : sanitized(path)) + " " +
        std::to_string(rs.status) + " " + std::to_string(us) + "us decision_id=" + rs.decision_id);
    res_.emplace();
    res_->version(version);
    res_->result(rs.status);
    res_->set(http::field::server, "fascia");
    if (!rs.content_type.empty()) res_->set(http::field::content_type, rs.content_type);
    res_->set("X-Decision-Id", rs.decision_id);
    res_->set(http::field::access_control_allow_origin, "*");
    res_->set(http::field::access_control_expose_headers, "X-Decision-Id");
    res_->set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : rs.headers) res_->set(k, v);
    keep_alive_ = keep_alive && !impl_.draining && rs.status != 413 && rs.status != 431 &&
                  !(rs.status == 400 && rs.route == "http");
    res_->keep_alive(keep_alive_);
    res_->body() = std::move(rs.body);
    res_->prepare_payload();
    if (head) res_->body().clear();
    beast::get_lowest_layer(stream_).expires_after(impl_.options.body_timeout);
    http::async_write(stream_, *res_, [self = shared()](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      if (ec || !self->keep_alive_) return self->close();
      self->read();
    });
  }

  void fail(unsigned status, const std::string& message) {
    busy_ = true;
    started_ = Clock::now();
    Response rs = impl_.service.error(status, message, "http");
    respond(std::move(rs), false, 11, parser_ ? std::string(parser_->get().method_string()) : "-",
            parser_ ? std::string(parser_->get().target()) : "-");
  }

  void close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, tcp_stream_type>) {
      // Lingering close: stop sending, then discard what the client still
      // sends (the rest of a refused body) for up to a second, so that our
      // response is not lost to a reset.
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return stream_.socket().close(ec);
      stream_.expires_after(std::chrono::seconds(1));
      linger();
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = shared()](beast::error_code) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->stream_).socket().close(ignored);
      });
    }
  }

  void linger() {
    if constexpr (std::is_same_v<Stream, tcp_stream_type>) {
      if (!scratch_) scratch_ = std::make_unique<char[]>(4096);
      stream_.async_read_some(net::buffer(scratch_.get(), 4096),
                              [self = shared()](beast::error_code ec, std::size_t) {
                                if (ec) {
                                  beast::error_code ignored;
                                  self->stream_.socket().close(ignored);
                                  return;
                                }
                                self->linger();
                              });
    }
  }

  Server::Impl& impl_;
  std::unique_ptr<char[]> scratch_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  net::steady_timer deadline_timer_{stream_.get_executor()};
  std::uint64_t ticket_ = 0;    // the request being handled
  std::uint64_t answered_ = 0;  // the last request answered (by its result or the deadline)
  bool pending_keep_alive_ = false;
  unsigned pending_version_ = 11;
  std::string pending_path_;
  bool busy_ = false;
  bool keep_alive_ = false;
  Clock::time_point started_ = Clock::now();
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
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
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls));
      session = s;
      s->start();
    } else {
      auto s =
          std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)));
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
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  // Requests past their deadline may still be running: let them finish
  // (their sessions are gone) before the service they use goes away.
  impl.worker_pool->join();
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
