#pragma once
// The requests that run inline on the I/O threads (server.cpp): at most
// `capacity` at once, each with the time by which it must be answered. A
// watchdog (the server's deadline timer) calls expired() and answers 503
// for a request that outlasts its deadline, on another I/O thread, while
// the evaluation is still running.
//
// Why `capacity` is the number of I/O threads minus one: an inline request
// occupies its I/O thread until it returns, but never its connection's
// strand (it runs outside it), so the 503 can be written by any I/O thread
// that is free; keeping one I/O thread out of evaluations guarantees there
// is one, even if every inline request hangs in a plugin.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace fascia::serve {

// What a request's connection does when its deadline passes.
class DeadlineListener {
 public:
  virtual ~DeadlineListener() = default;
  // Answers request `ticket` 503 unless it was answered already;
  // thread-safe (posts to the connection's own strand).
  virtual void deadline_passed(std::uint64_t ticket) = 0;
};

class InlineRuns {
 public:
  using Clock = std::chrono::steady_clock;
  explicit InlineRuns(std::size_t capacity) : slots_(capacity) {}

  struct Claim {
    std::size_t slot = 0;
    bool start_watchdog = false;  // the watchdog was idle: the caller starts it
  };
  // A free slot for request `ticket` of `listener`, to be answered by
  // `deadline`; none when `capacity` requests run inline already.
  std::optional<Claim> claim(std::shared_ptr<DeadlineListener> listener, std::uint64_t ticket,
                             Clock::time_point deadline);
  void release(std::size_t slot);
  // Tells the listener of each request past its deadline at `now` (once per
  // request). false when no request runs inline: the watchdog stops, and
  // the next claim() starts it again.
  bool expired(Clock::time_point now);

 private:
  struct Slot {
    std::shared_ptr<DeadlineListener> listener;  // empty: the slot is free
    std::uint64_t ticket = 0;
    Clock::time_point deadline;
    bool told = false;
  };
  std::mutex mutex_;
  std::vector<Slot> slots_;
  bool watchdog_running_ = false;
};

}  // namespace fascia::serve
