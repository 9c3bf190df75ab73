#include "human_output.hpp"

#include <fascia/client_state.hpp>

#include <cstdio>
#include <sstream>

namespace fascia::cli {

TechniqueNames technique_names(const Engine& engine) {
  TechniqueNames names;
  for (const auto& t : engine.techniques()) {
    names[t.info.id] = t.info.display_name;
    for (const auto& h : t.home_program)
      if (!h.description.empty()) names["home:" + h.id] = h.description;
  }
  return names;
}

void add_protocol_titles(TechniqueNames& names, const Protocol& protocol) {
  for (const auto& st : protocol.stages())
    if (!st.title.empty()) names["stage:" + st.id] = st.title;
  for (const auto& f : protocol.frequencies())
    if (!f.title.empty()) names["frequency:" + f.id] = f.title;
}

std::string title_of(const TechniqueNames& names, const std::string& kind, const std::string& id) {
  auto it = names.find(kind + ":" + id);
  return it == names.end() ? id : it->second;
}

std::string technique_name(const TechniqueNames& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

std::string format_param(const ParamValue& value) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return "-";
        else if constexpr (std::is_same_v<T, bool>)
          return x ? "yes" : "no";
        else if constexpr (std::is_same_v<T, std::int64_t>)
          return std::to_string(x);
        else if constexpr (std::is_same_v<T, double>) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", x);
          return buf;
        } else if constexpr (std::is_same_v<T, std::string>)
          return x;
        else {
          std::string out;
          for (const auto& s : x) out += (out.empty() ? "" : ", ") + s;
          return out;
        }
      },
      value);
}

namespace {

std::string spaced(std::string name) {
  for (auto& c : name)
    if (c == '_') c = ' ';
  return name;
}

void line(std::string& out, const Style& st, const std::string& label, const std::string& value) {
  std::string padded = label;
  padded.resize(16, ' ');
  out += "  " + st.bold(padded) + wrap(value, 18) + "\n";
}

}  // namespace

std::string describe_parameters(const Params& params) {
  std::string out;
  for (const auto& p : params) {
    out += out.empty() ? "" : ", ";
    const std::string& n = p.name;
    const std::string suffix = "_minutes";
    if (n == "pressure_max")
      out += "pressure up to " + format_param(p.value) + " of 10";
    else if (n.size() > suffix.size() &&
             n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
      out +=
          spaced(n.substr(0, n.size() - suffix.size())) + " " + format_param(p.value) + " minutes";
    else
      out += spaced(n) + " " + format_param(p.value);
  }
  return out;
}

std::string describe_home_item(const HomeProgramItem& item) {
  std::string details;
  for (const auto& p : item.parameters) {
    const std::string v = format_param(p.value);
    std::string text;
    if (p.name == "minutes_per_day")
      text = v + " minutes a day";
    else if (p.name == "every_minutes")
      text = "every " + v + " minutes";
    else if (p.name == "entries_per_day")
      text = v + (v == "1" ? " entry" : " entries") + " a day";
    else if (p.name == "times_per_day")
      text = v + " times a day";
    else if (p.name == "times_per_week")
      text = v + " times a week";
    else
      text = spaced(p.name) + ": " + v;
    details += (details.empty() ? "" : ", ") + text;
  }
  return details.empty() ? item.id : item.id + ": " + details;
}

std::string describe_home_item(const HomeProgramItem& item, const TechniqueNames& names) {
  std::string text = describe_home_item(item);
  const std::string title = title_of(names, "home", item.id);
  if (title == item.id) return text;
  const std::string details =
      text.size() > item.id.size() + 2 ? text.substr(item.id.size() + 2) : "";
  return details.empty() ? title : title + " (" + details + ")";
}

std::string adjustment_headline(const Adjustment& a, const TechniqueNames& names) {
  const std::string v = format_param(a.value);
  switch (a.kind) {
    case AdjustmentKind::pressure_cap:
      return "Pressure at most " + v;
    case AdjustmentKind::technique_added:
      return "Adds " + technique_name(names, v);
    case AdjustmentKind::technique_held:
      return "Holds " + technique_name(names, v);
    case AdjustmentKind::stage_advanced:
      return "Moves up to stage " + title_of(names, "stage", v);
    case AdjustmentKind::stage_held:
      return "Stays in stage " + title_of(names, "stage", v);
    case AdjustmentKind::stage_regressed:
      return "Steps back to stage " + title_of(names, "stage", v);
    case AdjustmentKind::frequency_changed:
      return "Frequency now " + title_of(names, "frequency", v);
    case AdjustmentKind::duration_changed:
      return "Session of " + v + " minutes";
    case AdjustmentKind::postponed:
      return "Postpone by " + v + " days";
    case AdjustmentKind::referral:
      return "Refer to " + v;
    case AdjustmentKind::home_program:
      return "Home program: " + title_of(names, "home", v);
    case AdjustmentKind::check_in:
      return "Check in";
    case AdjustmentKind::note:
      return "Note";
    case AdjustmentKind::frequency_held:
      return "Keeps frequency " + spaced(v);
  }
  return to_string(a.kind);
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
  std::istringstream words(text);
  std::string out, word;
  std::size_t column = indent;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > width) {
      // Appended in two steps: `"\n" + std::string(...)` trips a false
      // -Wrestrict in g++ 12 (GCC bug 105329).
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  return out;
}

std::string render_plan(const Recommendation& r, const std::string& protocol_title,
                        const TechniqueNames& names, const Style& st) {
  const auto& s = r.session;
  std::string out;
  out += st.bold(protocol_title + " " + r.provenance.protocol_version) + " - client " +
         r.client_id + ", session of " + r.as_of + "\n\n";
  out += st.bold("Session plan") + "\n";
  line(out, st, "Stage", title_of(names, "stage", s.stage));
  if (s.techniques.empty()) line(out, st, "Techniques", st.alert("none (every technique is held)"));
  for (std::size_t i = 0; i < s.techniques.size(); ++i) {
    const auto& t = s.techniques[i];
    line(out, st, i == 0 ? "Techniques" : "",
         technique_name(names, t.id) + ": " + describe_parameters(t.parameters));
  }
  line(out, st, "Pressure cap",
       std::to_string(s.pressure_cap) + " on the client's 1-10 scale (1 lightest, 10 deepest)");
  line(out, st, "Duration", std::to_string(s.duration_minutes) + " minutes");
  std::string next = "in " + std::to_string(s.next_session_in_days) + " days";
  if (auto date = Date::parse(r.as_of))
    next += " (" + date->plus_days(s.next_session_in_days).to_string() + ")";
  line(out, st, "Frequency", title_of(names, "frequency", s.frequency) + "; next session " + next);
  if (s.postpone_days > 0)
    line(out, st, "Postpone",
         st.warn("this session by " + std::to_string(s.postpone_days) + " days"));
  for (std::size_t i = 0; i < s.home_program.size(); ++i)
    line(out, st, i == 0 ? "Home program" : "", describe_home_item(s.home_program[i], names));
  line(out, st, "Referral",
       s.referral ? st.alert("refer to " + s.referral->to) + " - " + s.referral->reason
                  : std::string("none"));
  for (std::size_t i = 0; i < r.held_techniques.size(); ++i) {
    const auto& h = r.held_techniques[i];
    line(out, st, i == 0 ? "Held today" : "", technique_name(names, h.id) + " - " + h.reason);
  }
  // What the therapist asks or keeps in mind in the session itself.
  bool first_check = true, first_note = true;
  for (const auto& a : r.adjustments) {
    const auto* text = std::get_if<std::string>(&a.value);
    if (!text) continue;
    if (a.kind == AdjustmentKind::check_in) {
      line(out, st, first_check ? "Check in" : "", *text);
      first_check = false;
    } else if (a.kind == AdjustmentKind::note) {
      line(out, st, first_note ? "Note" : "", *text);
      first_note = false;
    }
  }
  return out;
}

std::string render_adjustments(const Recommendation& r, const TechniqueNames& names,
                               const Style& st) {
  std::string out = "\n" + st.bold("What changed and why") + "\n";
  if (r.adjustments.empty()) out += "  Nothing: the stage plan applies as written.\n";
  for (const auto& a : r.adjustments) {
    out += "  * " + st.bold(adjustment_headline(a, names)) + "\n";
    const bool has_text = (a.kind == AdjustmentKind::check_in || a.kind == AdjustmentKind::note) &&
                          std::holds_alternative<std::string>(a.value);
    if (has_text) {
      out += "      " + wrap(std::get<std::string>(a.value), 6) + "\n";
      out += "      " + wrap("Why: " + a.reason, 6) + "\n";
    } else {
      out += "      " + wrap(a.reason, 6) + "\n";
    }
    out += "      " + st.dim("(rule " + a.rule + ", " + a.source + ")") + "\n";
  }
  if (!r.warnings.empty()) {
    out += "\n" + st.warn("Warnings") + "\n";
    for (const auto& w : r.warnings) out += "  ! " + wrap(w, 4) + "\n";
  }
  return out;
}

const TraceEntry* find_trace(const Recommendation& r, const std::string& rule) {
  for (const auto& t : r.trace)
    if (t.rule && t.rule->id == rule) return &t;
  return nullptr;
}

std::string trace_values_text(const TraceEntry& t) {
  std::string values;
  for (std::size_t i = 0; t.rule && i < t.values.size() && i < t.rule->fields.size(); ++i)
    values += (values.empty() ? "" : ", ") + t.rule->fields[i] + " = " + t.values[i];
  return values;
}

std::string render_trace(const Recommendation& r, const Style& st) {
  std::string out = "\n" + st.bold("Rules considered") + "\n";
  for (const auto& t : r.trace) {
    std::string outcome = spaced(to_string(t.outcome));
    outcome.resize(11, ' ');
    if (t.outcome == TraceEntry::Outcome::fired) outcome = st.good(outcome);
    out += "  " + outcome + t.rule->id + "  " + st.dim(t.rule->source) + "\n";
    out += "             when " + wrap(t.rule->condition, 18) + "\n";
    if (!t.values.empty()) out += "             saw  " + wrap(trace_values_text(t), 18) + "\n";
    if (!t.detail.empty()) out += "             note " + wrap(t.detail, 18) + "\n";
  }
  return out;
}

}  // namespace fascia::cli
