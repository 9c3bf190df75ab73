#include "batch_input.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fascia::cli {

namespace {

// Soft limits of one block: two blocks and their output (about 2.6 KB a line
// for the bundled protocol) are in memory at a time, which keeps the peak
// RSS of `fascia batch` under 30 MB.
constexpr std::size_t block_lines = 1024;
constexpr std::size_t block_bytes = 2u << 20;
constexpr std::size_t read_size = 1u << 20;

}  // namespace

LineReader::LineReader(int fd, std::size_t max_line)
    : fd_(fd), max_line_(max_line), chunk_(read_size) {}

bool LineReader::next(Block& block) {
  block.first_number = next_number_;
  block.lines.clear();
  // The start of an unfinished line, copied: the block keeps the memory it
  // had (a few MB, which would otherwise be grown again for each block).
  block.bytes.assign(pending_);
  pending_.clear();
  line_start_ = 0;
  // A block holds at least one line: the start of a long line carried over
  // may already fill block_bytes (up to max_line is read before it is
  // dropped as too long).
  while (!eof_ && (block.lines.empty() ||
                   (block.lines.size() < block_lines && block.bytes.size() < block_bytes))) {
    const ssize_t n = ::read(fd_, chunk_.data(), chunk_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_ = std::strerror(errno);
    if (n <= 0) {
      eof_ = true;
      break;
    }
    split(block, chunk_.data(), static_cast<std::size_t>(n));
  }
  if (eof_) {  // a last line without '\n' is a line too
    if (skipping_) {
      push(block, {0, 0, true});
      skipping_ = false;
    } else if (block.bytes.size() > line_start_) {
      push(block, {line_start_, block.bytes.size() - line_start_, false});
      line_start_ = block.bytes.size();
    }
  }
  pending_.assign(block.bytes, line_start_);
  return !block.lines.empty();
}

void LineReader::push(Block& block, Block::Line line) {
  block.lines.push_back(line);
  ++next_number_;
}

void LineReader::split(Block& block, const char* data, std::size_t size) {
  std::size_t i = 0;
  while (i < size) {
    const auto* newline = static_cast<const char*>(std::memchr(data + i, '\n', size - i));
    const std::size_t end = newline ? static_cast<std::size_t>(newline - data) : size;
    if (!skipping_ && block.bytes.size() - line_start_ + (end - i) > max_line_) {
      block.bytes.resize(line_start_);  // drop what we had of it
      skipping_ = true;
    }
    if (!skipping_) block.bytes.append(data + i, end - i);
    if (!newline) return;
    if (skipping_) {
      push(block, {0, 0, true});
      skipping_ = false;
    } else {
      push(block, {line_start_, block.bytes.size() - line_start_, false});
      line_start_ = block.bytes.size();
    }
    i = end + 1;
  }
}

}  // namespace fascia::cli
