#pragma once
// Plain-language rendering of a recommendation for therapists: the session
// plan first, then what changed and why. Colour only when asked (a terminal).

#include <fascia/engine.hpp>
#include <fascia/recommendation.hpp>

#include <map>
#include <string>

namespace fascia::cli {

struct Style {
  bool color = false;
  std::string bold(const std::string& s) const { return color ? "\x1b[1m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
  std::string warn(const std::string& s) const { return color ? "\x1b[33m" + s + "\x1b[0m" : s; }
  std::string alert(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string good(const std::string& s) const { return color ? "\x1b[32m" + s + "\x1b[0m" : s; }
};

// What people read instead of ids. Technique id -> display name ("swedish"
// -> "Swedish massage"); with add_protocol_titles also "stage:ID" and
// "frequency:ID" -> the protocol's titles, and "home:ID" -> the plugin's
// plain-language description of a home-programme item.
using TechniqueNames = std::map<std::string, std::string>;
TechniqueNames technique_names(const Engine& engine);
void add_protocol_titles(TechniqueNames& names, const Protocol& protocol);
std::string technique_name(const TechniqueNames& names, const std::string& id);
// The title of a stage, frequency or home item ("stage", "frequency", "home"),
// or the id when there is none.
std::string title_of(const TechniqueNames& names, const std::string& kind, const std::string& id);

std::string format_param(const ParamValue& value);
// "pressure up to 5, hold minutes 2"
std::string describe_parameters(const Params& params);
// "self_mfr: 5 minutes a day"; with names, the item's description instead of its id.
std::string describe_home_item(const HomeProgramItem& item);
std::string describe_home_item(const HomeProgramItem& item, const TechniqueNames& names);
// "Steps back to stage foundation", "Pressure at most 3"
std::string adjustment_headline(const Adjustment& a, const TechniqueNames& names);

// Wraps `text` at `width` columns; every line after the first starts with
// `indent` spaces (the first line is assumed to be indented by the caller).
std::string wrap(const std::string& text, std::size_t indent, std::size_t width = 100);

std::string render_plan(const Recommendation& r, const std::string& protocol_title,
                        const TechniqueNames& names, const Style& style);
std::string render_adjustments(const Recommendation& r, const TechniqueNames& names,
                               const Style& style);
std::string render_trace(const Recommendation& r, const Style& style);
// The trace entry of `rule` in `r`, or null when it was not traced.
const TraceEntry* find_trace(const Recommendation& r, const std::string& rule);
// "field = value, ..." of the values a trace entry's condition read.
std::string trace_values_text(const TraceEntry& t);

}  // namespace fascia::cli
