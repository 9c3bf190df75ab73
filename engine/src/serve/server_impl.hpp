#pragma once
// The state of a running server (Server::Impl), shared by the listener and
// signal handling (server.cpp) and the connections (http_session.hpp).

#include <fascia/serve.hpp>

#include "inline_runs.hpp"
#include "service.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace fascia::serve {

class SessionBase : public std::enable_shared_from_this<SessionBase>, public DeadlineListener {
 public:
  virtual void shutdown_if_idle() = 0;
};

struct Server::Impl {
  using Clock = std::chrono::steady_clock;
  ServerOptions options;
  Service service;
  boost::asio::io_context ioc;
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor acceptor{ioc};
  boost::asio::signal_set signals{ioc};
  boost::asio::steady_timer drain_timer{ioc};
  std::atomic<bool> draining{false};
  std::mutex sessions_mutex;
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
  std::atomic<int> live_sessions{0};
  // POST requests run inline on an I/O thread when one of these slots is
  // free (I/O threads - 1 of them, inline_runs.hpp), else on the worker pool.
  std::optional<InlineRuns> inline_runs;
  std::optional<boost::asio::thread_pool> worker_pool;
  boost::asio::thread_pool& workers() { return *worker_pool; }
  // The watchdog of inline requests, ticking while any runs (strand: one
  // timer, started from any thread).
  boost::asio::strand<boost::asio::io_context::executor_type> timers{ioc.get_executor()};
  boost::asio::steady_timer watchdog{ioc};
  Clock::duration watchdog_tick{};
  boost::asio::steady_timer access_log_timer{ioc};
  std::thread watcher;
  std::mutex watcher_mutex;
  std::condition_variable watcher_cv;
  bool watcher_stop = false;

  void accept();
  void begin_drain();
  void wait_for_drain(Clock::time_point deadline);
  void signal_wait();
  void start_watchdog();
  void watchdog_wait();
  // Writes one access-log line (request_log) and arranges the flush of
  // the buffered ones.
  void log_request(std::string_view line);
};

}  // namespace fascia::serve
