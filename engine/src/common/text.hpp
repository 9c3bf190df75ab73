#pragma once
// Small text helpers every area of the engine shares.

#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// `text` for a message: at most 60 bytes, cut on a UTF-8 boundary, with
// "..." when cut.
std::string shorten(std::string_view text);

}  // namespace fascia::detail
