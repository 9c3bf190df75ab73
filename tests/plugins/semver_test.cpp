#include "plugin_host/semver.hpp"

#include <gtest/gtest.h>

namespace fascia::test {
using namespace fascia::detail;
namespace {

Version v(int a, int b, int c) { return Version{a, b, c}; }

VersionConstraint constraint(std::string_view text) {
  VersionConstraint c;
  std::string error;
  EXPECT_TRUE(parse_constraint(text, c, error)) << text << ": " << error;
  return c;
}

std::string constraint_error(std::string_view text) {
  VersionConstraint c;
  std::string error;
  EXPECT_FALSE(parse_constraint(text, c, error)) << text;
  return error;
}

TEST(Semver, ParsesStrictVersions) {
  EXPECT_EQ(parse_version("1.2.3"), v(1, 2, 3));
  EXPECT_EQ(parse_version("0.0.0"), v(0, 0, 0));
  EXPECT_EQ(parse_version("10.20.300"), v(10, 20, 300));
  for (const char* bad :
       {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.x", "v1.2.3", "1.2.3-beta",
        "1.2.3+build", " 1.2.3", "1..3", "-1.2.3", "99999999999.0.0"})
    EXPECT_FALSE(parse_version(bad)) << bad;
}

TEST(Semver, OrdersNumerically) {
  EXPECT_LT(v(1, 9, 0), v(1, 10, 0));
  EXPECT_LT(v(1, 0, 9), v(2, 0, 0));
  EXPECT_EQ(to_string(v(1, 10, 0)), "1.10.0");
}

TEST(Semver, Range) {
  auto c = constraint(">=1.0.0 <2.0.0");
  EXPECT_TRUE(satisfies(v(1, 0, 0), c));
  EXPECT_TRUE(satisfies(v(1, 99, 3), c));
  EXPECT_FALSE(satisfies(v(2, 0, 0), c));
  EXPECT_FALSE(satisfies(v(0, 9, 9), c));
  EXPECT_EQ(to_string(c), ">=1.0.0 <2.0.0");
}

TEST(Semver, ExactAndBare) {
  auto exact = constraint("=1.2.3");
  auto bare = constraint("1.2.3");
  for (const auto& c : {exact, bare}) {
    EXPECT_TRUE(satisfies(v(1, 2, 3), c));
    EXPECT_FALSE(satisfies(v(1, 2, 4), c));
    EXPECT_EQ(to_string(c), "=1.2.3");
  }
}

TEST(Semver, AnyVersion) {
  auto c = constraint("*");
  EXPECT_TRUE(satisfies(v(0, 0, 1), c));
  EXPECT_TRUE(satisfies(v(99, 0, 0), c));
  EXPECT_EQ(to_string(c), "*");
}

TEST(Semver, StrictBoundsAndSpacing) {
  auto c = constraint("  >1.0.0   <=1.5.0 ");
  EXPECT_FALSE(satisfies(v(1, 0, 0), c));
  EXPECT_TRUE(satisfies(v(1, 0, 1), c));
  EXPECT_TRUE(satisfies(v(1, 5, 0), c));
  EXPECT_FALSE(satisfies(v(1, 5, 1), c));
  auto spaced = constraint(">= 1.0.0 < 2.0.0");
  EXPECT_EQ(to_string(spaced), ">=1.0.0 <2.0.0");
}

TEST(Semver, Errors) {
  EXPECT_EQ(constraint_error(""), "empty version constraint: write \"*\" to accept any version");
  EXPECT_EQ(constraint_error("   "), "empty version constraint: write \"*\" to accept any version");
  EXPECT_EQ(constraint_error(">=1.0"),
            "'>=1.0' is not a version comparison: expected an operator (>=, >, <=, <, =) and a "
            "version MAJOR.MINOR.PATCH");
  EXPECT_EQ(constraint_error("^1.0.0"),
            "'^1.0.0': the operators ^ and ~ are not supported; write a range such as "
            "\">=1.0.0 <2.0.0\"");
  EXPECT_EQ(constraint_error("* >=1.0.0"), "'*' cannot be combined with other comparisons");
  EXPECT_EQ(constraint_error(">=2.0.0 <1.0.0"),
            "version constraint \">=2.0.0 <1.0.0\" can never be satisfied");
  EXPECT_EQ(constraint_error(">1.0.0 <1.0.1"),
            "version constraint \">1.0.0 <1.0.1\" can never be satisfied");
  EXPECT_EQ(constraint_error("=1.0.0 >=2.0.0"),
            "version constraint \"=1.0.0 >=2.0.0\" can never be satisfied");
  EXPECT_EQ(constraint_error(">="),
            "'>=' is not a version comparison: expected an operator (>=, >, <=, <, =) and a "
            "version MAJOR.MINOR.PATCH");
}

TEST(Semver, SatisfiableEdgeCases) {
  auto c = constraint(">=1.0.0 <=1.0.0");
  EXPECT_TRUE(satisfies(v(1, 0, 0), c));
  constraint(">1.0.0 <1.0.2");
  constraint("<0.0.1");
}

}  // namespace
}  // namespace fascia::test
