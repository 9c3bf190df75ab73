#include "common/reader_messages.hpp"

#include "common/text.hpp"

namespace fascia::detail::reader_messages {

std::string file_too_large(std::size_t size, std::size_t limit) {
  return "file is too large (" + std::to_string(size) + " bytes; the limit is " +
         std::to_string(limit) + " bytes)";
}

std::string too_many_nodes(std::size_t limit) {
  return "too many YAML nodes (more than " + std::to_string(limit) + ")";
}

std::string nesting_too_deep(std::size_t limit) {
  return "nesting too deep (more than " + std::to_string(limit) + " levels)";
}

std::string string_too_long(std::size_t limit) {
  return "string too long (more than " + std::to_string(limit) + " characters)";
}

std::string duplicate_key(std::string_view key, std::size_t first_line) {
  return "duplicate key '" + shorten(key) + "' (first defined at line " +
         std::to_string(first_line) + ")";
}

}  // namespace fascia::detail::reader_messages
