#pragma once
// The one "did you mean" rule of the engine, for misspelt keys, ids, state
// paths, expression names and values alike (issue 12: the YAML reader and
// the expression checker each had their own).
//
// The rule: the distance is the optimal string alignment distance
// (insertions, deletions, substitutions and adjacent transpositions count
// one edit each), comparing letters without regard to case. A candidate is
// close enough when its distance is at most a third of the word's length,
// at least 1 and at most 3 edits. Words of one character get no suggestion
// (everything is close to them). Of several close candidates the
// nearest wins; ties go to the earliest. A word of three or more letters
// with no close candidate may be a short name of a longer one: the
// candidates that hold it as a whole part between '.' or '_' ("sleep" in
// "sleep_quality", "soreness" in "last.soreness_24h") are suggested when
// there are one to three of them. tests/common/did_you_mean_test.cpp pins
// the rule.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

// Optimal string alignment distance between `a` and `b`, ignoring ASCII case.
std::size_t spelling_distance(std::string_view a, std::string_view b);

// The most edits a suggestion for `word` may be away from it; 0 for words
// too short to get one.
std::size_t max_spelling_distance(std::string_view word) noexcept;

// The candidate closest to `word` under the rule above, or empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates);

// Every suggestion for `word` under the whole rule: the closest match, or
// else the one to three candidates holding `word` as a whole part; empty
// when there is none.
std::vector<std::string_view> suggestions(std::string_view word,
                                          const std::vector<std::string_view>& candidates);

}  // namespace fascia::detail
