// The one did-you-mean rule (common/did_you_mean.hpp), used by the YAML
// reader, the state and --set readers, the CLI's test files and the
// expression checker alike.
#include "common/did_you_mean.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace fascia::test {
namespace {

using detail::closest_match;
using detail::max_spelling_distance;
using detail::spelling_distance;
using Words = std::vector<std::string>;

TEST(SpellingDistance, CountsEditsWithTranspositionsAsOneIgnoringCase) {
  EXPECT_EQ(spelling_distance("title", "title"), 0u);
  EXPECT_EQ(spelling_distance("Title", "title"), 0u);  // case is no edit
  EXPECT_EQ(spelling_distance("titel", "title"), 1u);  // adjacent transposition
  EXPECT_EQ(spelling_distance("pressure_mx", "pressure_max"), 1u);
  EXPECT_EQ(spelling_distance("tilte", "title"), 1u);
  EXPECT_EQ(spelling_distance("ca", "abc"), 3u);  // optimal string alignment, not Damerau
  EXPECT_EQ(spelling_distance("", "abc"), 3u);
  EXPECT_EQ(spelling_distance("kitten", "sitting"), 3u);
}

TEST(SpellingDistance, AllowsAThirdOfTheWordBetweenOneAndThreeEdits) {
  EXPECT_EQ(max_spelling_distance(""), 0u);
  EXPECT_EQ(max_spelling_distance("x"), 0u);
  EXPECT_EQ(max_spelling_distance("ix"), 1u);
  EXPECT_EQ(max_spelling_distance("hgh"), 1u);
  EXPECT_EQ(max_spelling_distance("hihg"), 1u);
  EXPECT_EQ(max_spelling_distance("sorenes"), 2u);
  EXPECT_EQ(max_spelling_distance("pain.curent"), 3u);
  EXPECT_EQ(max_spelling_distance("a_very_long_misspelt_key"), 3u);
}

TEST(ClosestMatch, SuggestsTheNearestCloseCandidate) {
  const std::vector<std::string> keys = {"id", "title", "techniques", "pressure_max"};
  EXPECT_EQ(closest_match("pressure_mx", keys), "pressure_max");
  EXPECT_EQ(closest_match("titel", keys), "title");
  EXPECT_EQ(closest_match("techniqeus", keys), "techniques");
  EXPECT_EQ(closest_match("Title", keys), "title");
  EXPECT_EQ(closest_match("ix", keys), "id");
  EXPECT_EQ(closest_match("hihg", Words{"low", "moderate", "high"}), "high");
  EXPECT_EQ(closest_match("lwo", Words{"low", "ok", "high"}), "low");
}

TEST(ClosestMatch, SuggestsNothingWhenNoCandidateIsClose) {
  const std::vector<std::string> keys = {"id", "title", "techniques", "pressure_max"};
  EXPECT_EQ(closest_match("duration", keys), "");
  EXPECT_EQ(closest_match("x", keys), "");  // too short to guess from
  EXPECT_EQ(closest_match("xyz", Words{"low", "moderate", "high"}), "");
  EXPECT_EQ(closest_match("tiitleee", keys), "");  // three edits in eight letters
  EXPECT_EQ(closest_match("anything", std::vector<std::string>{}), "");
}

TEST(ClosestMatch, TiesGoToTheEarliestCandidate) {
  EXPECT_EQ(closest_match("bat", Words{"cat", "hat"}), "cat");
  EXPECT_EQ(closest_match("bat", Words{"hat", "cat"}), "hat");
  // A nearer candidate later in the list still wins.
  EXPECT_EQ(closest_match("pain.curent", Words{"pain.baseline", "pain.current"}), "pain.current");
}

TEST(ClosestMatch, ViewsAndStringsFollowTheSameRule) {
  const std::vector<std::string_view> names = {"avg", "min", "max"};
  EXPECT_EQ(closest_match("avgg", names), "avg");
  EXPECT_EQ(closest_match("x", names), "");
}

TEST(Suggestions, AShortNameOfALongerCandidateSuggestsItWhenNothingIsClose) {
  using detail::suggestions;
  using Views = std::vector<std::string_view>;
  const Views paths = {"pain.current", "sleep_quality",  "last.soreness_24h",
                       "flare.active", "flare.severity", "flare.count_30d"};
  // The closest match first: nothing else is offered beside it.
  EXPECT_EQ(suggestions("pain.curent", paths), Views{"pain.current"});
  // A whole part between '.' or '_'.
  EXPECT_EQ(suggestions("sleep", paths), Views{"sleep_quality"});
  EXPECT_EQ(suggestions("soreness", paths), Views{"last.soreness_24h"});
  EXPECT_EQ(suggestions("flare", paths),
            (Views{"flare.active", "flare.severity", "flare.count_30d"}));
  // Not a part inside a word, not for words under three letters, and not
  // when more than three candidates hold it.
  EXPECT_EQ(suggestions("sever", paths), Views{});
  EXPECT_EQ(suggestions("ai", paths), Views{});
  EXPECT_EQ(suggestions("flare", Views{"flare.a", "flare.b", "flare.c", "flare.d"}), Views{});
}

}  // namespace
}  // namespace fascia::test
