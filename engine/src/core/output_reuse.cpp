#include "core/output_reuse.hpp"

#include <charconv>

namespace fascia::detail {

void append_int(std::string& out, long long value) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

void set_date(std::string& out, const Date& d) {
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99) {
    out = d.to_string();
    return;
  }
  char buf[10];
  auto digits = [&](int at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      buf[at + i] = static_cast<char>('0' + value % 10);
  };
  digits(0, d.year, 4);
  buf[4] = '-';
  digits(5, d.month, 2);
  buf[7] = '-';
  digits(8, d.day, 2);
  set_if_changed(out, std::string_view(buf, sizeof buf));  // mostly the same day again
}

}  // namespace fascia::detail
