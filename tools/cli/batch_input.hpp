#pragma once
// The input side of `fascia batch`: standard input split into numbered lines,
// a block of a few thousand at a time. A line longer than the limit is
// dropped as it is read (never buffered whole) and marked too long, so it
// still gets its own output line.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::cli {

// One block of input lines: views into `bytes`, or a line that was too long.
struct Block {
  struct Line {
    std::size_t begin = 0;
    std::size_t size = 0;
    bool too_long = false;
  };
  std::string bytes;
  std::vector<Line> lines;
  std::size_t first_number = 1;  // line number of lines[0]

  // The line without its '\n' (and a '\r' before it).
  std::string_view text(const Line& line) const {
    std::string_view t(bytes.data() + line.begin, line.size);
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    return t;
  }
};

// Splits a file descriptor into lines, block by block.
class LineReader {
 public:
  LineReader(int fd, std::size_t max_line);

  // Fills `block` with the next lines; false when the input is exhausted
  // (or unreadable: see error()).
  bool next(Block& block);
  const std::string& error() const noexcept { return error_; }

 private:
  void push(Block& block, Block::Line line);
  void split(Block& block, const char* data, std::size_t size);

  int fd_;
  std::size_t max_line_;
  std::vector<char> chunk_;
  std::string pending_;
  std::size_t line_start_ = 0;
  std::size_t next_number_ = 1;
  bool skipping_ = false;
  bool eof_ = false;
  std::string error_;
};

}  // namespace fascia::cli
