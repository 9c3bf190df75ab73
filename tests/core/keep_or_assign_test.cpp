// keep_or_assign (core/keep_or_assign.hpp): what a reused Recommendation's
// texts and parameters hold after rendering over them is exactly the new
// value, whatever they held before (Reuse tests do this through the API;
// these cover the values the bundled plugins never return).
#include "core/keep_or_assign.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace fascia::test {
namespace {

using detail::keep_or_assign;

std::uint64_t bits(double d) { return std::bit_cast<std::uint64_t>(d); }

TEST(KeepOrAssign, NegativeZeroReplacesZero) {
  Params to = {{"pressure_max", 0.0}};
  keep_or_assign(to, Params{{"pressure_max", -0.0}});
  ASSERT_TRUE(std::holds_alternative<double>(to[0].value));
  EXPECT_TRUE(std::signbit(std::get<double>(to[0].value)));
  keep_or_assign(to, Params{{"pressure_max", 0.0}});
  EXPECT_EQ(bits(std::get<double>(to[0].value)), bits(0.0));
}

TEST(KeepOrAssign, ParamsEndEqualToTheSourceWhateverTheyHeld) {
  const std::vector<Params> values = {
      {},
      {{"a", std::monostate{}}},
      {{"a", true}, {"b", std::int64_t{4}}},
      {{"a", true}, {"b", std::int64_t{5}}},
      {{"a", false}, {"b", 4.0}},
      {{"a", std::string("long enough to be on the heap, not inline")}},
      {{"a", std::string("long enough to be on the heap, not inlinE")}},
      {{"a", std::vector<std::string>{"sixteen bytes or more", "q"}}},
      {{"a", std::vector<std::string>{"sixteen bytes or morE", "q"}}},
      {{"a", std::string("x")}, {"bb", std::vector<std::string>{"p", "q"}}},
      {{"a", std::string("y")}, {"bb", std::vector<std::string>{"p"}}},
      {{"a", std::string("y")}, {"bb", std::vector<std::string>{"q", "p"}}},
      {{"b", std::int64_t{4}}, {"a", true}, {"c", std::string("z")}},
  };
  for (const auto& before : values)
    for (const auto& after : values) {
      Params to = before;
      keep_or_assign(to, after);
      EXPECT_EQ(to, after);
    }
}

TEST(KeepOrAssign, TextsEndEqualToTheSource) {
  const std::vector<std::string> texts = {"",
                                          "a",
                                          "ab",
                                          "abcd",
                                          "abcdefgh",
                                          "abcdefghi",
                                          "abcdefgh-abcdefgh-abcdefgh",
                                          "abcdefgh-abcdefgh-abcdefgX",
                                          "Xbcdefgh-abcdefgh-abcdefgh",
                                          "abcdefgh-abcdefXh",
                                          "abcdefgh-abcdefgh",
                                          "abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh",
                                          "abcdefgh-abcdefgh-abcdXfgh-abcdefgh-abcdefgh"};
  for (const auto& before : texts)
    for (const auto& after : texts) {
      std::string to = before;
      keep_or_assign(to, after);
      EXPECT_EQ(to, after);
    }
}

TEST(KeepOrAssign, OverwriteIsAssignAlsoFromPartOfItself) {
  const std::vector<std::string> texts = {"", "a", "abcd", "abcdefgh-abcdefgh-abcdefgh",
                                          "a text long enough to be on the heap"};
  for (const auto& before : texts)
    for (const auto& after : texts) {
      std::string to = before;
      detail::overwrite(to, after);
      EXPECT_EQ(to, after);
    }
  std::string to = "a text long enough to be on the heap";
  detail::overwrite(to, std::string_view(to).substr(7, 11));
  EXPECT_EQ(to, "long enough");
}

TEST(KeepOrAssign, KeepOrSetIsSetParam) {
  const std::vector<Param> sets = {
      {"a", std::int64_t{1}}, {"b", -0.0}, {"a", 1.0}, {"c", true}, {"b", 0.0}, {"a", 1.0}};
  Params kept = {{"b", std::string("x")}}, set = kept;
  for (const auto& p : sets) {
    detail::keep_or_set(kept, p);
    set_param(set, p.name, p.value);
    ASSERT_EQ(kept.size(), set.size());
    for (std::size_t i = 0; i < set.size(); ++i) {
      EXPECT_EQ(kept[i].name, set[i].name);
      EXPECT_TRUE(detail::same_value(kept[i].value, set[i].value)) << p.name;
    }
  }
}

}  // namespace
}  // namespace fascia::test
