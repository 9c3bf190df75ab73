// fascia::Date through the std::chrono calendar (common/date.cpp): day
// counts, their inverse, and which texts are dates.
#include <fascia/client_state.hpp>

#include <gtest/gtest.h>

#include <cstdint>

namespace fascia::test {
namespace {

TEST(Date, CountsDaysFromTheEpoch) {
  EXPECT_EQ((Date{1970, 1, 1}.days_since_epoch()), 0);
  EXPECT_EQ((Date{2026, 11, 20}.days_since_epoch()), 20777);
  EXPECT_EQ((Date{1900, 3, 1}.days_since_epoch()), -25508);
  EXPECT_EQ((Date{2000, 3, 1}.days_since_epoch() - Date{2000, 2, 28}.days_since_epoch()), 2);
  EXPECT_EQ((Date{1900, 3, 1}.days_since_epoch() - Date{1900, 2, 28}.days_since_epoch()), 1);
}

TEST(Date, DayCountsGoBackToTheSameDate) {
  for (std::int64_t days = -25000; days <= 40000; days += 7) {  // 1901 to 2079
    const Date date = Date::from_days_since_epoch(days);
    ASSERT_EQ(date.days_since_epoch(), days) << date.to_string();
    ASSERT_EQ(Date::parse(date.to_string()), date) << days;
  }
  EXPECT_EQ((Date{2026, 12, 30}.plus_days(3)), (Date{2027, 1, 2}));
  EXPECT_EQ((Date{2024, 3, 1}.plus_days(-1)), (Date{2024, 2, 29}));
}

TEST(Date, ParsesOnlyRealDatesWrittenYYYYMMDD) {
  EXPECT_EQ(Date::parse("2026-11-20"), (Date{2026, 11, 20}));
  EXPECT_EQ(Date::parse("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(Date::parse("2000-02-29"), (Date{2000, 2, 29}));
  for (const char* text : {"2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
                           "2026-01-00", "1899-12-31", "2026-1-20", "2026/11/20", "26-11-20",
                           "2026-11-20T", "+026-11-20", "2026-11-2x", ""})
    EXPECT_FALSE(Date::parse(text).has_value()) << text;
}

}  // namespace
}  // namespace fascia::test
