#pragma once
// Plain-language rendering of a recommendation for therapists: the session
// plan first, then what changed and why. Colour only when asked (a terminal).

#include <fascia/recommendation.hpp>

#include <string>

namespace fascia::cli {

struct Style {
  bool color = false;
  std::string bold(const std::string& s) const { return color ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
  std::string warn(const std::string& s) const { return color ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string alert(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
};

std::string format_param(const ParamValue& value);
std::string render_plan(const Recommendation& r, const std::string& protocol_title,
                        const Style& style);
std::string render_adjustments(const Recommendation& r, const Style& style);
std::string render_trace(const Recommendation& r, const Style& style);

}  // namespace fascia::cli
