#pragma once
// Small text helpers every area of the engine shares.

#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace fascia::detail
