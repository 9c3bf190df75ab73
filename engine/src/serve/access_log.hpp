#pragma once
// The access log of fascia serve when no log callback is given: one line
// per request (method, path, status, microseconds, decision id) to stderr,
// written in blocks. stderr is unbuffered, so a line per request would be a
// write() per request; here the lines wait in memory until a block is full
// or the server's flush timer (at most `flush_delay` later) writes them
// with one write(). Other lines (start, reload, drain) go out at once,
// after the waiting ones, so the order is kept.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace fascia::serve {

class AccessLog {
 public:
  static constexpr std::chrono::milliseconds flush_delay{20};
  static constexpr std::size_t block_bytes = 16 << 10;

  // Adds a request's line; true when no flush is arranged: the caller
  // then calls timed_flush() within flush_delay.
  bool add(std::string_view line);
  // Writes the waiting lines (the flush timer).
  void timed_flush();
  // Writes the waiting lines, then `line` (if any) and a newline, at once.
  void flush(std::string_view line = {});

 private:
  void write_locked(std::string_view text);
  std::mutex mutex_;
  std::string pending_;
  bool flush_arranged_ = false;
};

}  // namespace fascia::serve
