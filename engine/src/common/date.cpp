#include <fascia/client_state.hpp>

#include <chrono>
#include <cstdio>

namespace fascia {

namespace {

// The std::chrono calendar date of `date` (its fields as they are: a date
// built in code is not checked here).
std::chrono::year_month_day calendar_date(const Date& date) noexcept {
  return std::chrono::year_month_day{std::chrono::year{date.year},
                                     std::chrono::month{static_cast<unsigned>(date.month)},
                                     std::chrono::day{static_cast<unsigned>(date.day)}};
}

}  // namespace

std::int64_t Date::days_since_epoch() const noexcept {
  return std::chrono::sys_days{calendar_date(*this)}.time_since_epoch().count();
}

Date Date::from_days_since_epoch(std::int64_t days) noexcept {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return Date{static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
              static_cast<int>(static_cast<unsigned>(date.day()))};
}

std::optional<Date> Date::parse(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  // At most four digits: summed directly (std::from_chars costs more here,
  // and every state has a few dates).
  auto field = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  Date d;
  if (!field(0, 4, d.year) || !field(5, 2, d.month) || !field(8, 2, d.day)) return std::nullopt;
  if (d.year < 1900 || !calendar_date(d).ok()) return std::nullopt;
  return d;
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Date Date::plus_days(std::int64_t days) const noexcept {
  return from_days_since_epoch(days_since_epoch() + days);
}

const char* to_string(Sensitivity sensitivity) noexcept {
  switch (sensitivity) {
    case Sensitivity::low:
      return "low";
    case Sensitivity::moderate:
      return "moderate";
    case Sensitivity::high:
      return "high";
  }
  return "moderate";
}

}  // namespace fascia
