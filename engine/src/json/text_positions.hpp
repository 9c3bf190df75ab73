#pragma once
// Line and column of any offset of a text, asked in any order, each in time
// bounded by a block (4 KiB) whatever the length of the lines: the
// positions of the problems the JSON state reader finds
// (core/state_json_reader_impl.hpp), which it may ask for backwards (a
// mapping's start after its members, dates at the end). The same
// positions as yaml::Locator: one-based, columns in code points (a tab one
// column), a byte order mark taking no column. Built at the first use.

#include "json/json_text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fascia::detail::json {

class TextPositions {
 public:
  explicit TextPositions(std::string_view text) noexcept : text_(text) {}

  struct Position {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
  };

  Position at(std::size_t offset) {
    if (blocks_.empty()) index();
    const std::size_t bom = skip_bom(text_);
    offset = std::clamp(offset, bom, text_.size());
    const Block& b = blocks_[offset / block_size];
    std::size_t line = b.lines_before, line_start = b.line_start;
    std::size_t continuation_to_line_start = b.continuation_to_line_start;
    std::size_t continuation = 0;  // from line_start to offset
    for (std::size_t i = offset / block_size * block_size; i < offset; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
        continuation_to_line_start = continuation = 0;
      } else if (i >= bom && is_continuation(text_[i])) {
        ++continuation;
      }
    }
    continuation += continuation_to_line_start;
    const std::size_t start = std::max(line_start, bom);
    return {static_cast<std::uint32_t>(line + 1),
            static_cast<std::uint32_t>(offset - start - continuation + 1)};
  }

 private:
  static constexpr std::size_t block_size = 4096;
  struct Block {
    std::size_t lines_before = 0;  // line breaks before the block
    std::size_t line_start = 0;    // start of the line the block starts in
    // continuation bytes from that line's start (after a byte order mark) to the block
    std::size_t continuation_to_line_start = 0;
  };

  static bool is_continuation(char c) noexcept {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
  }

  void index() {
    const std::size_t bom = skip_bom(text_);
    Block current;
    for (std::size_t i = 0; i <= text_.size(); ++i) {
      if (i % block_size == 0) blocks_.push_back(current);
      if (i == text_.size()) break;
      if (text_[i] == '\n') {
        ++current.lines_before;
        current.line_start = i + 1;
        current.continuation_to_line_start = 0;
      } else if (i >= bom && is_continuation(text_[i])) {
        ++current.continuation_to_line_start;
      }
    }
  }

  std::string_view text_;
  std::vector<Block> blocks_;
};

}  // namespace fascia::detail::json
