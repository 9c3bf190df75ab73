#include "access_log.hpp"

#include <unistd.h>

#include <cerrno>

namespace fascia::serve {

bool AccessLog::add(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (pending_.capacity() < block_bytes) pending_.reserve(block_bytes + 512);
  pending_.append(line);
  pending_ += '\n';
  if (pending_.size() >= block_bytes) {
    write_locked(pending_);
    pending_.clear();
  }
  if (flush_arranged_) return false;
  flush_arranged_ = true;
  return true;
}

void AccessLog::timed_flush() {
  std::lock_guard lock(mutex_);
  flush_arranged_ = false;
  if (pending_.empty()) return;
  write_locked(pending_);
  pending_.clear();
}

void AccessLog::flush(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (!line.empty()) {
    pending_.append(line);
    pending_ += '\n';
  }
  if (pending_.empty()) return;
  write_locked(pending_);
  pending_.clear();
}

void AccessLog::write_locked(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed or full stderr loses the log, never the service
    text.remove_prefix(std::size_t(n));
  }
}

}  // namespace fascia::serve
