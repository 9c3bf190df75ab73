#include "human_output.hpp"

#include <cmath>
#include <cstdio>

namespace fascia::cli {

std::string format_param(const ParamValue& value) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "-";
        else if constexpr (std::is_same_v<T, bool>) return x ? "yes" : "no";
        else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(x);
        else if constexpr (std::is_same_v<T, double>) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", x);
          return buf;
        } else if constexpr (std::is_same_v<T, std::string>) return x;
        else {
          std::string out;
          for (const auto& s : x) out += (out.empty() ? "" : ", ") + s;
          return out;
        }
      },
      value);
}

namespace {

std::string params_text(const Params& params) {
  std::string out;
  for (const auto& p : params) {
    out += out.empty() ? "" : ", ";
    out += p.name + " " + format_param(p.value);
  }
  return out;
}

void line(std::string& out, const Style& st, const std::string& label, const std::string& value) {
  std::string padded = label.empty() ? std::string() : label + ":";
  padded.resize(16, ' ');
  out += "  " + st.bold(padded) + value + "\n";
}

}  // namespace

std::string render_plan(const Recommendation& r, const std::string& protocol_title,
                        const Style& st) {
  const auto& s = r.session;
  std::string out;
  out += st.bold(protocol_title + " " + r.provenance.protocol_version) + " - client " +
         r.client_id + ", session of " + r.as_of + "\n\n";
  out += st.bold("Session plan") + "\n";
  line(out, st, "Stage", s.stage);
  if (s.techniques.empty()) {
    line(out, st, "Techniques", st.alert("none (every technique is held)"));
  }
  for (std::size_t i = 0; i < s.techniques.size(); ++i) {
    const auto& t = s.techniques[i];
    line(out, st, i == 0 ? "Techniques" : "", t.id + " (" + params_text(t.parameters) + ")");
  }
  line(out, st, "Pressure cap", std::to_string(s.pressure_cap) + " of 10 (client-rated)");
  line(out, st, "Duration", std::to_string(s.duration_minutes) + " minutes");
  line(out, st, "Frequency", s.frequency + ", next session in " +
                                 std::to_string(s.next_session_in_days) + " days");
  if (s.postpone_days > 0)
    line(out, st, "Postpone", st.warn("by " + std::to_string(s.postpone_days) + " days"));
  for (std::size_t i = 0; i < s.home_program.size(); ++i) {
    const auto& h = s.home_program[i];
    std::string text = h.id;
    if (!h.parameters.empty()) text += " (" + params_text(h.parameters) + ")";
    line(out, st, i == 0 ? "Home program" : "", text);
  }
  line(out, st, "Referral",
       s.referral ? st.alert("refer to " + s.referral->to) + " - " + s.referral->reason
                  : std::string("none"));
  for (std::size_t i = 0; i < r.held_techniques.size(); ++i) {
    const auto& h = r.held_techniques[i];
    line(out, st, i == 0 ? "Held" : "", h.id + " - " + h.reason);
  }
  return out;
}

std::string render_adjustments(const Recommendation& r, const Style& st) {
  std::string out = "\n" + st.bold("What changed and why") + "\n";
  if (r.adjustments.empty()) out += "  nothing: the stage plan applies as written\n";
  for (const auto& a : r.adjustments) {
    std::string value = format_param(a.value);
    // Long text values (check-in questions, notes) get a line of their own.
    const bool long_value = value.size() > 40;
    out += "  - " + st.bold(to_string(a.kind)) +
           (value == "-" || long_value ? "" : " " + value) + ": " + a.reason + "\n";
    if (long_value) out += "    > " + value + "\n";
    out += "    " + st.dim("[" + a.rule + ", " + a.source + "]") + "\n";
  }
  if (!r.warnings.empty()) {
    out += "\n" + st.warn("Warnings") + "\n";
    for (const auto& w : r.warnings) out += "  - " + w + "\n";
  }
  return out;
}

std::string render_trace(const Recommendation& r, const Style& st) {
  std::string out = "\n" + st.bold("Rules considered") + "\n";
  for (const auto& t : r.trace) {
    std::string outcome = to_string(t.outcome);
    if (t.outcome == TraceEntry::Outcome::fired) outcome = st.bold(outcome);
    out += "  " + outcome + "  " + t.rule + "  " + st.dim(t.source) + "\n";
    out += "      when " + t.condition + "\n";
    if (!t.values.empty()) {
      std::string values;
      for (const auto& [path, v] : t.values) values += (values.empty() ? "" : ", ") + path + " = " + v;
      out += "      saw  " + values + "\n";
    }
    if (!t.detail.empty()) out += "      note " + t.detail + "\n";
  }
  return out;
}

}  // namespace fascia::cli
