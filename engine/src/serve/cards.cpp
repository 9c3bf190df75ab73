#include "cards.hpp"

#include "util.hpp"

#include <map>
#include <set>

namespace fascia::serve {

using Json = nlohmann::ordered_json;

namespace {

std::string kind_of(const Adjustment& a) { return to_string(a.kind); }

Json source_of(const Protocol& p, const std::string& map_version) {
  return {{"label", p.title() + " " + p.version() + " (fascia)"},
          {"topic",
           {{"system", "urn:fascia:protocol"},
            {"code", p.id()},
            {"display", p.title() + " " + p.version()}}},
          {"extension",
           {{"fascia.protocol", {{"id", p.id()}, {"version", p.version()}, {"sha256", p.sha256()}}},
            {"fascia.fhir_map_version", map_version}}}};
}

std::string display(std::string id) {
  for (auto& c : id)
    if (c == '_') c = ' ';
  return id;
}

std::string joined(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string md_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '#' || c == '<' ||
        c == '>')
      out += '\\';
    out += c;
  }
  return out;
}

// One markdown line per adjustment: what it does, why, which rule.
std::string adjustment_line(const Adjustment& a) {
  return "- " + md_escape(display(to_string(a.kind))) + ": " + md_escape(a.reason) + " (rule `" +
         a.rule + "`, " + md_escape(a.source) + ")\n";
}

// A proposed Appointment `days` after `as_of` (YYYY-MM-DD).
Json appointment_suggestion(const std::string& label, const std::string& patient,
                            const std::string& as_of, int days, const std::string& why) {
  const auto start = Date::parse(as_of);
  const std::string day = start ? start->plus_days(days).to_string() : as_of;
  return {{"label", label},
          {"uuid", new_uuid()},
          {"actions",
           {{{"type", "create"},
             {"description", why},
             {"resource",
              {{"resourceType", "Appointment"},
               {"status", "proposed"},
               {"description", why},
               {"participant",
                {{{"actor", {{"reference", "Patient/" + patient}}}, {"status", "needs-action"}}}},
               {"requestedPeriod", {{{"start", day}, {"end", day}}}}}}}}}};
}

}  // namespace

std::string fit_summary(const std::string& text) {
  if (text.size() <= 140) return text;
  std::size_t cut = text.rfind(' ', 136);
  if (cut == std::string::npos || cut < 60) cut = 136;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

CardSet recommendation_cards(const Protocol& protocol, const Recommendation& r,
                             const std::string& decision_id, const std::string& map_version,
                             const std::map<std::string, std::string>& technique_names) {
  auto name_of = [&](const std::string& id) {
    auto it = technique_names.find(id);
    return it == technique_names.end() ? display(id) : it->second;
  };
  CardSet out;
  std::map<std::string, std::string> family;
  for (const auto& rule : protocol.rules()) family[rule.id] = rule.family;
  const auto& s = r.session;

  // Red flags, one card per rule, in the order they appear.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Adjustment*>> by_rule;
  for (const auto& a : r.adjustments) {
    const std::string k = kind_of(a);
    const std::string f = family.count(a.rule) ? family[a.rule] : "";
    const bool red = k == "referral" || k == "postponed" || k == "stage_regressed" ||
                     k == "stage_held" || k == "technique_held" || k == "frequency_held" ||
                     f == "flare_response" || f == "frequency step_up";
    if (!red) continue;
    if (!by_rule.count(a.rule)) order.push_back(a.rule);
    by_rule[a.rule].push_back(&a);
  }
  for (const auto& rule : order) {
    const auto& list = by_rule[rule];
    bool referral = false, postponed = false, held = false, flare = false, regressed = false;
    int postpone_days = 0;
    std::vector<std::string> held_what;
    for (const auto* a : list) {
      const std::string k = kind_of(*a);
      referral |= k == "referral";
      if (k == "postponed") {
        postponed = true;
        postpone_days = s.postpone_days;
      }
      if (k == "stage_held" || k == "technique_held" || k == "frequency_held") {
        held = true;
        held_what.push_back(k == "stage_held"       ? "the stage advance"
                            : k == "frequency_held" ? "the frequency step-down"
                                                    : "a technique");
      }
      regressed |= k == "stage_regressed";
      flare |= family[rule] == "flare_response";
    }
    for (const auto& h : r.held_techniques)
      if (h.rule == rule) held_what.push_back(name_of(h.id));
    std::string summary;
    std::string indicator = "warning";
    if (referral) {
      indicator = "critical";
      summary = "Refer to " + (s.referral ? s.referral->to : std::string("a physician")) +
                " before continuing massage: " + list.front()->reason;
    } else if (postponed) {
      summary = "Postpone today's massage by " + std::to_string(postpone_days) +
                " days: " + list.front()->reason;
    } else if (flare) {
      summary = "Flare response: gentler session, pressure at most " +
                std::to_string(s.pressure_cap) + "/10, " + std::to_string(s.duration_minutes) +
                " minutes";
    } else if (regressed) {
      summary = "Step back a stage today: " + list.front()->reason;
    } else if (held) {
      std::set<std::string> seen;
      std::vector<std::string> unique;
      for (const auto& w : held_what)
        if (w != "a technique" && seen.insert(w).second) unique.push_back(w);
      summary = "Held today: " + (unique.empty() ? std::string("an escalation") : joined(unique)) +
                " - " + list.front()->reason;
    } else {
      summary = list.front()->reason;
    }
    std::string detail = "**Why** (protocol " + md_escape(protocol.id()) + " " +
                         md_escape(protocol.version()) + "):\n\n";
    for (const auto* a : list) detail += adjustment_line(*a);
    Json card{{"uuid", new_uuid()},
              {"summary", fit_summary(summary)},
              {"detail", detail},
              {"indicator", indicator},
              {"source", source_of(protocol, map_version)},
              {"extension", {{"fascia.decision_id", decision_id}, {"fascia.rule", rule}}}};
    if (postponed && postpone_days > 0)
      card["suggestions"] = Json::array({appointment_suggestion(
          "Book the massage in " + std::to_string(postpone_days) + " days", r.client_id, r.as_of,
          postpone_days, "Postponed massage session (" + rule + ")")});
    if (referral && s.referral)
      card["suggestions"] =
          Json::array({{{"label", "Refer to " + s.referral->to},
                        {"uuid", new_uuid()},
                        {"actions",
                         {{{"type", "create"},
                           {"description", "Referral to " + s.referral->to + " (" + rule + ")"},
                           {"resource",
                            {{"resourceType", "ServiceRequest"},
                             {"status", "draft"},
                             {"intent", "proposal"},
                             {"code", {{"text", "Referral to " + s.referral->to}}},
                             {"reasonCode", {{{"text", s.referral->reason}}}}}}}}}}});
    out.red_flags.push_back(rule);
    out.cards.push_back(std::move(card));
  }

  // The plan card.
  std::vector<std::string> techniques;
  for (const auto& t : s.techniques) techniques.push_back(name_of(t.id));
  std::string summary;
  if (s.postpone_days > 0)
    summary = "Plan: postpone " + std::to_string(s.postpone_days) + " days; then ";
  else
    summary = "Plan: ";
  summary += (techniques.empty() ? std::string("no massage") : joined(techniques)) +
             ", pressure at most " + std::to_string(s.pressure_cap) + "/10, " +
             std::to_string(s.duration_minutes) + " min, next in " +
             std::to_string(s.next_session_in_days) + " days";
  std::string detail = "**Session plan** (" + md_escape(protocol.title()) + " " +
                       md_escape(protocol.version()) + ")\n\n";
  // Titles for the clinician (ids stay in the recommendation extension).
  std::string stage = s.stage, frequency = display(s.frequency);
  for (const auto& st : protocol.stages())
    if (st.id == s.stage && !st.title.empty()) stage = st.title;
  for (const auto& f : protocol.frequencies())
    if (f.id == s.frequency && !f.title.empty()) frequency = f.title;
  detail += "- Stage: " + md_escape(stage) + "\n";
  detail += "- Techniques: " + md_escape(techniques.empty() ? "none" : joined(techniques)) + "\n";
  detail += "- Pressure cap: " + std::to_string(s.pressure_cap) + " of 10\n";
  detail += "- Duration: " + std::to_string(s.duration_minutes) + " minutes\n";
  detail += "- Frequency: " + md_escape(frequency) + ", next session in " +
            std::to_string(s.next_session_in_days) + " days\n";
  if (s.postpone_days > 0)
    detail += "- Postponed by " + std::to_string(s.postpone_days) + " days\n";
  if (!s.home_program.empty()) {
    std::vector<std::string> items;
    for (const auto& h : s.home_program) items.push_back(display(h.id));
    detail += "- Home programme: " + md_escape(joined(items)) + "\n";
  }
  detail += "- Referral: " + md_escape(s.referral ? s.referral->to : "none") + "\n";
  if (!r.held_techniques.empty()) {
    detail += "\n**Held today**\n\n";
    for (const auto& h : r.held_techniques)
      detail += "- " + md_escape(name_of(h.id)) + ": " + md_escape(h.reason) + " (rule `" + h.rule +
                "`)\n";
  }
  if (!r.adjustments.empty()) {
    detail += "\n**What changed and why**\n\n";
    for (const auto& a : r.adjustments) detail += adjustment_line(a);
  }
  if (!r.warnings.empty()) {
    detail += "\n**Warnings**\n\n";
    for (const auto& w : r.warnings) detail += "- " + md_escape(w) + "\n";
  }
  // The recommendation's JSON goes in as written by the engine (spliced in
  // by splice_recommendation): parsing it into a tree only to write it out
  // again cost a third of a CDS Hooks call.
  out.recommendation_placeholder = "fascia-recommendation-" + decision_id;
  Json plan{{"uuid", new_uuid()},
            {"summary", fit_summary(summary)},
            {"detail", detail},
            {"indicator", r.held_techniques.empty() && out.red_flags.empty() ? "info" : "warning"},
            {"source", source_of(protocol, map_version)},
            {"extension",
             {{"fascia.decision_id", decision_id},
              {"fascia.recommendation", out.recommendation_placeholder}}}};
  if (s.postpone_days == 0 && s.next_session_in_days > 0 && !s.referral)
    plan["suggestions"] = Json::array({appointment_suggestion(
        "Book the next massage in " + std::to_string(s.next_session_in_days) + " days", r.client_id,
        r.as_of, s.next_session_in_days, "Next massage session (" + protocol.id() + ")")});
  out.cards.insert(out.cards.begin(), std::move(plan));
  return out;
}

void splice_recommendation(std::string& body, const CardSet& set,
                           const std::string& recommendation_json) {
  if (set.recommendation_placeholder.empty()) return;
  const std::string quoted = "\"" + set.recommendation_placeholder + "\"";
  const auto at = body.find(quoted);
  if (at != std::string::npos) body.replace(at, quoted.size(), recommendation_json);
}

Json missing_data_card(const Protocol& protocol, const std::vector<std::string>& missing,
                       const std::vector<std::string>& errors, const std::string& decision_id,
                       const std::string& map_version) {
  // Each count under its own words: a value that is there but cannot be used
  // (an unreadable element, a pain rating of 12) is not one the record lacks.
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + (n == 1 ? one : many);
  };
  std::string summary = "No massage plan: ";
  if (!missing.empty())
    summary +=
        "the record lacks " + count(missing.size(), " item", " items") + " the protocol needs";
  if (!missing.empty() && !errors.empty()) summary += "; ";
  if (!errors.empty()) summary += count(errors.size(), " value", " values") + " cannot be used";
  if (missing.empty() && errors.empty()) summary += "the record could not be read";
  std::string detail =
      "fascia did not build a plan: it never guesses a value the record does "
      "not give, nor uses one it cannot read.\n\n";
  if (!missing.empty()) {
    detail += "**Missing**\n\n";
    for (const auto& m : missing) detail += "- " + md_escape(m) + "\n";
  }
  if (!errors.empty()) {
    detail += "\n**Unreadable**\n\n";
    for (const auto& e : errors) detail += "- " + md_escape(e) + "\n";
  }
  return {{"uuid", new_uuid()},
          {"summary", fit_summary(summary)},
          {"detail", detail},
          {"indicator", "warning"},
          {"source", source_of(protocol, map_version)},
          {"extension",
           {{"fascia.decision_id", decision_id},
            {"fascia.missing", missing},
            {"fascia.errors", errors}}}};
}

}  // namespace fascia::serve
