#pragma once
// Messages the YAML loader (yaml/document.cpp) and the JSON reader
// (json/json_document.cpp) share, written once so that the same text gives
// the same message whichever reader took it.

#include <cstddef>
#include <string>
#include <string_view>

namespace fascia::detail::reader_messages {

std::string file_too_large(std::size_t size, std::size_t limit);
std::string too_many_nodes(std::size_t limit);
std::string nesting_too_deep(std::size_t limit);
std::string string_too_long(std::size_t limit);
std::string duplicate_key(std::string_view key, std::size_t first_line);
inline constexpr std::string_view too_many_errors = "too many errors; stopping here";

}  // namespace fascia::detail::reader_messages
