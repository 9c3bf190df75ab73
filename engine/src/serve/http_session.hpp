#pragma once
// One client connection of fascia serve (plain TCP or TLS): reads requests
// with Beast's parser under the header and body deadlines and size limits,
// hands each to Service, writes the answer, keeps the connection alive.
// Included by server.cpp only.
//
// Where a request runs. GET and HEAD (bounded work) are answered on the
// connection's strand. Every POST (evaluations, simulations, CDS Hooks
// calls) must be answered within --request-deadline-ms: 503 on time, even
// when a plugin hangs. Two ways, same guarantee:
// - inline, when a slot of Impl::inline_runs is free: on this I/O thread,
//   right after this handler returns, but outside the strand (net::defer
//   to the io_context runs it next on the same thread: no other thread is
//   woken, no hand-off). The strand stays free, so the inline watchdog
//   (Impl::watchdog_wait) can answer 503 from another I/O thread; there is
//   always one, since at most I/O threads - 1 requests run inline.
// - otherwise on the worker pool, with a timer of its own for the deadline
//   (each request then wakes a worker and, for the answer, an I/O thread).
// Either way the late result, when it comes, is dropped (tickets).

#include "response_head.hpp"
#include "server_impl.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace fascia::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
// A connection's executor is its strand, by its concrete type: Beast's
// default (beast::tcp_stream) erases it into net::any_io_executor, which
// costs a few thousand instructions per request in copies and dispatch.
using Strand = net::strand<net::io_context::executor_type>;
using TcpStream = beast::basic_stream<tcp, Strand>;
using TcpSocket = net::basic_stream_socket<tcp, Strand>;

// The path of an access-log line: printable ASCII, at most 200 characters.
inline void append_sanitized(std::string& out, std::string_view path) {
  for (char c : path.substr(0, 200)) out += (c > 32 && c < 127) ? c : '?';
}

template <class Stream>
class Session : public SessionBase {
  using Clock = std::chrono::steady_clock;

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

  void deadline_passed(std::uint64_t ticket) override {
    net::post(stream_.get_executor(), [self = shared(), ticket] { self->answer_late(ticket); });
  }

 private:
  using tcp_stream_type = TcpStream;
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
    // No body, or all of it came with the header (the common case): parsed
    // from the buffer by the same parser at once, without another
    // asynchronous read.
    beast::error_code parse_ec;
    while (!parser_->is_done() && buffer_.size() > 0) {
      const std::size_t used = parser_->put(buffer_.data(), parse_ec);
      buffer_.consume(used);
      if (parse_ec == http::error::need_more) parse_ec = {};
      if (parse_ec || used == 0) break;
    }
    if (parse_ec || parser_->is_done()) return on_read(parse_ec);
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
    auto& req = parser_->get();
    Request rq;
    rq.method = req.method_string();
    rq.target = req.target();
    rq.content_type = req[http::field::content_type];
    rq.authorization = req[http::field::authorization];
    rq.body = std::move(req.body());
    keep_alive_request_ = req.keep_alive();
    version_ = req.version();
    head_request_ = req.method() == http::verb::head;
    path_.assign(rq.target.substr(0, rq.target.find('?')));
    if (req.method() != http::verb::post) {  // cheap, bounded work: answered on the strand
      Response rs = handle(rq);
      return respond(std::move(rs));
    }
    const auto ticket = ++ticket_;
    const auto deadline = started_ + impl_.options.request_deadline;
    if (impl_.inline_runs) {
      if (auto claim = impl_.inline_runs->claim(shared(), ticket, deadline)) {
        if (claim->start_watchdog) impl_.start_watchdog();
        net::defer(impl_.ioc.get_executor(), [self = shared(), ticket, slot = claim->slot,
                                              rq = std::move(rq)]() mutable {
          Response rs = self->handle(rq);
          self->impl_.inline_runs->release(slot);
          net::defer(self->stream_.get_executor(), [self, ticket, rs = std::move(rs)]() mutable {
            self->answer(ticket, std::move(rs));
          });
        });
        return;
      }
    }
    deadline_timer_.expires_at(deadline);
    deadline_timer_.async_wait([self = shared(), ticket](beast::error_code timer_ec) {
      if (!timer_ec) self->answer_late(ticket);
    });
    net::post(impl_.workers(), [self = shared(), ticket, rq = std::move(rq)] {
      Response rs = self->handle(rq);
      net::post(self->stream_.get_executor(), [self, ticket, rs = std::move(rs)]() mutable {
        self->deadline_timer_.cancel();
        self->answer(ticket, std::move(rs));
      });
    });
  }

  // The result of POST request `ticket`; dropped when its deadline answered
  // already (and maybe the next request of this connection is being handled).
  void answer(std::uint64_t ticket, Response rs) {
    if (ticket != ticket_ || answered_ == ticket) return;
    answered_ = ticket;
    respond(std::move(rs));
  }

  void answer_late(std::uint64_t ticket) {
    if (ticket != ticket_ || answered_ == ticket) return;
    answered_ = ticket;
    impl_.service.metrics().deadline_exceeded();
    respond(impl_.service.error(503, "the request took longer than the deadline; try again later",
                                "deadline"));
  }

  Response handle(const Request& rq) {
    try {
      return impl_.service.handle(rq);
    } catch (const std::exception&) {
      return impl_.service.error(500, "internal error", "error");
    }
  }

  void respond(Response rs) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
    impl_.service.metrics().request(rs.route, rs.status, double(us) / 1e6);
    std::string line;
    line.reserve(128 + path_.size());
    line += method_name();
    line += ' ';
    if (rs.status == 404 || rs.route == "http")
      line += '-';
    else
      append_sanitized(line, path_);
    line += ' ';
    line += std::to_string(rs.status);
    line += ' ';
    line += std::to_string(us);
    line += "us decision_id=";
    line += rs.decision_id;
    impl_.log_request(line);
    keep_alive_ = keep_alive_request_ && !impl_.draining && rs.status != 413 && rs.status != 431 &&
                  !(rs.status == 400 && rs.route == "http");
    body_ = std::move(rs.body);
    write_response_head(response_head_, version_, rs, keep_alive_, body_.size());
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(response_head_), head_request_ ? net::const_buffer() : net::buffer(body_)};
    beast::get_lowest_layer(stream_).expires_after(impl_.options.body_timeout);
    net::async_write(stream_, buffers, [self = shared()](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      if (ec || !self->keep_alive_) return self->close();
      self->read();
    });
  }

  std::string_view method_name() const {
    return parser_ ? parser_->get().method_string() : std::string_view("-");
  }

  void fail(unsigned status, const std::string& message) {
    busy_ = true;
    started_ = Clock::now();
    keep_alive_request_ = false;
    version_ = 11;
    head_request_ = false;
    path_.assign(parser_ ? parser_->get().target() : std::string_view("-"));
    respond(impl_.service.error(status, message, "http"));
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
  std::string response_head_, body_;  // the response being written (the head's memory is reused)
  net::steady_timer deadline_timer_{stream_.get_executor()};
  std::uint64_t ticket_ = 0;    // the POST request being handled
  std::uint64_t answered_ = 0;  // the last one answered (by its result or the deadline)
  // The request being answered: what its response and log line need.
  bool keep_alive_request_ = false;
  unsigned version_ = 11;
  bool head_request_ = false;
  std::string path_;
  bool busy_ = false;
  bool keep_alive_ = false;
  Clock::time_point started_ = Clock::now();
};

}  // namespace fascia::serve
