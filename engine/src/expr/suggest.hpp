#pragma once
// "Did you mean" suggestions for misspelt names.

#include <string_view>
#include <vector>

namespace fascia::detail::expr {

// The candidate closest to `word` by edit distance (adjacent transpositions
// count as one edit), or an empty view when none is close enough. Ties go to
// the earliest candidate.
std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates);

}  // namespace fascia::detail::expr
