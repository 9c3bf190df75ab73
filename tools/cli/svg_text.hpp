#pragma once
// Text in the CLI's SVG charts (history_svg.cpp, timeline_svg.cpp): numbers
// and escaped labels, written the same way in both.

#include <cstdio>
#include <string>

namespace fascia::cli {

// One decimal place, without a trailing ".0": 4, 4.5, 12.3.
inline std::string svg_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// Text for an SVG attribute or element: < > & " escaped.
inline std::string svg_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

}  // namespace fascia::cli
