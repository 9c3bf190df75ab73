// fascia what-if: the same client state evaluated twice, as given and with
// --set changes, shown side by side with what changed and why.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"
#include "what_if_diff.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

namespace fascia::cli {

using documents::Cause;
using documents::Change;
using documents::diff_recommendations;
using documents::HomeItemOwners;
using documents::is_override_problem;
using documents::new_conversation_points;
using documents::override_behind;
using documents::what_if_json;

namespace {

using Json = nlohmann::ordered_json;

struct WhatIfArgs {
  std::string protocol;
  std::string state;
  std::vector<std::string> sets;
  bool json = false;
};

std::string json_text(const Json& v) {
  if (v.is_null()) return "none";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& i : v) out += (out.empty() ? "" : ", ") + json_text(i);
    return out.empty() ? "none" : out;
  }
  return v.dump();
}

// One row of the side-by-side table; list cells take one line per item.
struct Row {
  std::string label;
  std::vector<std::string> before, after;
  bool changed = false;
};

std::vector<std::string> technique_cells(const Recommendation& r, const TechniqueNames& names) {
  std::vector<std::string> out;
  for (const auto& t : r.session.techniques) out.push_back(technique_name(names, t.id));
  if (out.empty()) out.push_back("none");
  return out;
}

std::vector<std::string> home_cells(const Recommendation& r, const TechniqueNames& names) {
  std::vector<std::string> out;
  for (const auto& h : r.session.home_program) out.push_back(describe_home_item(h, names));
  if (out.empty()) out.push_back("none");
  return out;
}

std::vector<std::string> held_cells(const Recommendation& r, const TechniqueNames& names) {
  std::vector<std::string> out;
  for (const auto& h : r.held_techniques) out.push_back(technique_name(names, h.id));
  if (out.empty()) out.push_back("none");
  return out;
}

std::string frequency_cell(const PlannedSession& s, const TechniqueNames& names) {
  return title_of(names, "frequency", s.frequency) + ", next in " +
         std::to_string(s.next_session_in_days) + " days";
}

std::vector<Row> rows(const Recommendation& b, const Recommendation& w, const TechniqueNames& n) {
  auto one = [](std::string s) { return std::vector<std::string>{std::move(s)}; };
  auto referral = [](const PlannedSession& s) { return s.referral ? s.referral->to : "none"; };
  auto postpone = [](const PlannedSession& s) {
    return s.postpone_days ? std::to_string(s.postpone_days) + " days" : std::string("no");
  };
  return {
      {"Stage", one(title_of(n, "stage", b.session.stage)),
       one(title_of(n, "stage", w.session.stage))},
      {"Techniques", technique_cells(b, n), technique_cells(w, n)},
      {"Held today", held_cells(b, n), held_cells(w, n)},
      {"Pressure cap", one(std::to_string(b.session.pressure_cap) + " of 10"),
       one(std::to_string(w.session.pressure_cap) + " of 10")},
      {"Duration", one(std::to_string(b.session.duration_minutes) + " minutes"),
       one(std::to_string(w.session.duration_minutes) + " minutes")},
      {"Frequency", one(frequency_cell(b.session, n)), one(frequency_cell(w.session, n))},
      {"Postpone", one(postpone(b.session)), one(postpone(w.session))},
      {"Home program", home_cells(b, n), home_cells(w, n)},
      {"Referral", one(referral(b.session)), one(referral(w.session))},
  };
}

// The plain-words name of a change's path ("session.pressure_cap" -> "Pressure cap").
std::string label_of(const std::string& path, const TechniqueNames& names) {
  static const std::map<std::string, std::string> labels = {
      {"session.stage", "Stage"},
      {"session.techniques", "Techniques"},
      {"session.pressure_cap", "Pressure cap"},
      {"session.duration_minutes", "Duration (minutes)"},
      {"session.frequency", "Frequency"},
      {"session.next_session_in_days", "Next session in (days)"},
      {"session.postpone_days", "Postpone (days)"},
      {"session.home_program", "Home program"},
      {"session.referral", "Referral"},
      {"held_techniques", "Held today"}};
  if (auto it = labels.find(path); it != labels.end()) return it->second;
  // session.techniques.ID.NAME, session.home_program.ID.NAME
  for (const std::string prefix : {"session.techniques.", "session.home_program."}) {
    if (path.rfind(prefix, 0) != 0) continue;
    const std::string rest = path.substr(prefix.size());
    const auto dot = rest.find('.');
    std::string name = rest.substr(dot + 1);
    std::replace(name.begin(), name.end(), '_', ' ');
    const std::string id = rest.substr(0, dot);
    return (prefix == "session.techniques." ? technique_name(names, id) : "Home program " + id) +
           ": " + name;
  }
  return path;
}

// Splits long cells so that the table stays narrow.
std::vector<std::string> fit(const std::vector<std::string>& cells, std::size_t width) {
  std::vector<std::string> out;
  for (const auto& c : cells) {
    const std::string wrapped = wrap(c, 2, width);
    std::size_t start = 0;
    for (std::size_t nl; (nl = wrapped.find('\n', start)) != std::string::npos; start = nl + 1)
      out.push_back(wrapped.substr(start, nl - start));
    out.push_back(wrapped.substr(start));
  }
  return out;
}

// The values a rule saw that differ between the two evaluations:
// "flare.active = true (was false)".
std::string seen_change(const Recommendation& b, const Recommendation& w, const std::string& rule) {
  const TraceEntry* before = find_trace(b, rule);
  const TraceEntry* after = find_trace(w, rule);
  if (!before || !after) return {};
  std::string out;
  // One rule, so the same fields in the same order.
  for (std::size_t i = 0; i < after->values.size() && i < before->values.size(); ++i)
    if (after->values[i] != before->values[i])
      out += (out.empty() ? "" : ", ") + after->rule->fields[i] + " = " + after->values[i] +
             " (was " + before->values[i] + ")";
  return out;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

// A changed value in words: stage and frequency ids become their titles,
// technique ids their names (home items keep their short ids here: their
// descriptions are in the table above).
std::string titled(const std::string& path, const Json& value, const TechniqueNames& names) {
  const char* kind = path == "session.stage"        ? "stage"
                     : path == "session.frequency"  ? "frequency"
                     : path == "session.techniques" ? "technique"
                                                    : nullptr;
  if (!kind) return json_text(value);
  const auto word = [&](const std::string& id) {
    return std::string(kind) == "technique" ? technique_name(names, id) : title_of(names, kind, id);
  };
  if (value.is_string()) return word(value.get<std::string>());
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value)
      out +=
          (out.empty() ? "" : ", ") + (v.is_string() ? word(v.get<std::string>()) : json_text(v));
    return out;
  }
  return json_text(value);
}

std::string render(const Recommendation& b, const Recommendation& w,
                   const std::vector<Change>& changes, const std::vector<StateOverride>& sets,
                   const std::string& title, const TechniqueNames& names, const Style& st) {
  std::string set_text;
  for (const auto& s : sets) set_text += (set_text.empty() ? "" : ", ") + s.path + " = " + s.value;
  std::string out = st.bold("What if " + set_text) + "\n" + title + " - client " + w.client_id +
                    ", session of " + w.as_of + "\n\n";
  auto table = rows(b, w, names);
  constexpr std::size_t cell = 40;
  std::size_t width = 24;
  for (auto& r : table) {
    r.changed = r.before != r.after;
    r.before = fit(r.before, cell);
    r.after = fit(r.after, cell);
    for (const auto& c : r.before) width = std::max(width, c.size() + 2);
  }
  out += "    " + pad("", 14) + st.bold(pad("Baseline", width)) + st.bold("What if") + "\n";
  for (const auto& r : table) {
    const bool changed = r.changed;
    const std::size_t lines = std::max(r.before.size(), r.after.size());
    for (std::size_t i = 0; i < lines; ++i) {
      const std::string left = i < r.before.size() ? r.before[i] : "";
      const std::string right = i < r.after.size() ? r.after[i] : "";
      out += std::string(i == 0 && changed ? "  * " : "    ") +
             st.bold(pad(i == 0 ? r.label : "", 14)) + pad(left, width) +
             (changed ? st.warn(right) : right) + "\n";
    }
  }
  out += "\n" + st.bold("What changed and why") + "\n";
  if (changes.empty()) out += "  Nothing in the session plan changes.\n";
  for (const auto& c : changes) {
    out += "  * " +
           wrap(st.bold(label_of(c.path, names)) + ": " + titled(c.path, c.from, names) + " -> " +
                    titled(c.path, c.to, names),
                6) +
           "\n";
    if (c.causes.empty()) out += "      (no rule names this change directly)\n";
    for (const auto& cause : c.causes) {
      const Adjustment& a = *cause.adjustment;
      const std::string lead = cause.lifted ? "No longer applies: " : "";
      out += "      " + wrap(lead + a.reason, 6) + "\n";
      if (const auto seen = seen_change(b, w, a.rule); !seen.empty())
        out += "      " + wrap("Now: " + seen, 6) + "\n";
      out += "      " + st.dim("(rule " + a.rule + ", " + a.source + ")") + "\n";
    }
  }
  // Check-ins and notes not already shown as the cause of a change.
  std::vector<Cause> talk;
  for (const auto& t : new_conversation_points(b, w)) {
    bool shown = false;
    for (const auto& c : changes)
      for (const auto& cause : c.causes) shown = shown || cause.adjustment == t.adjustment;
    if (!shown) talk.push_back(t);
  }
  if (!talk.empty()) {
    out += "\n" + st.bold("Also new (+) or gone (-)") + "\n";
    for (const auto& cause : talk) {
      const Adjustment& a = *cause.adjustment;
      const bool check_in_or_note =
          a.kind == AdjustmentKind::check_in || a.kind == AdjustmentKind::note;
      const std::string text =
          check_in_or_note && std::holds_alternative<std::string>(a.value)
              ? adjustment_headline(a, names) + ": " + std::get<std::string>(a.value)
              : adjustment_headline(a, names) + ": " + a.reason;
      out += std::string("  ") + (cause.lifted ? "- " : "+ ") + wrap(text, 4) + "\n";
      out += "    " + st.dim("(rule " + a.rule + ", " + a.source + ")") + "\n";
    }
  }
  if (!w.warnings.empty()) {
    out += "\n" + st.warn("Warnings (what if)") + "\n";
    for (const auto& wn : w.warnings) out += "  ! " + wrap(wn, 4) + "\n";
  }
  return out;
}

// Names the --set behind each problem: the engine locates a bad value at the
// value's own one-line document, inside the state file's name.
Diagnostics blame_overrides(Diagnostics problems, const std::vector<StateOverride>& sets) {
  std::vector<std::pair<std::size_t, Diagnostic>> ordered;
  for (auto& d : problems) {
    std::size_t index = sets.size();
    for (std::size_t i = 0; i < sets.size(); ++i)
      if (d.location.file == "--set " + sets[i].path) index = i;
    if (!is_override_problem(d))
      if (auto i = override_behind(d, sets)) {
        d.location = SourceLocation{"--set " + sets[*i].path, 0, 0};
        index = *i;
      }
    ordered.emplace_back(index, std::move(d));
  }
  // In the order the options were given.
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Diagnostics out;
  for (auto& [index, d] : ordered) out.push_back(std::move(d));
  return out;
}

}  // namespace

Command add_what_if_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<WhatIfArgs>();
  CLI::App* cmd = app.add_subcommand(
      "what-if", "Evaluate a state as given and with changes, and show what changes and why");
  cmd->footer(
      "PATH is a dotted path into the client state (flare.active, pain.current,\n"
      "last.soreness_24h for the newest history entry, observations.NAME); VALUE is\n"
      "YAML (true, 7, high). An unknown path or a bad value is a usage error (exit 2).\n\n"
      "Example:\n  fascia what-if --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml \\\n"
      "      --set flare.active=true --set flare.severity=6");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state (YAML or JSON; - for stdin)")->required();
  cmd->add_option("--set", args->sets, "PATH=VALUE change to the state (repeatable)")->required();
  cmd->add_flag("--json", args->json,
                "Print {\"baseline\": R, \"what_if\": R, \"changes\": [...]} as one JSON document");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            std::vector<StateOverride> sets;
            for (const auto& text : args->sets) {
              auto parsed = parse_override(text);
              if (!parsed) return exit_usage;
              sets.push_back(*parsed);
            }
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, args->protocol);
            if (!protocol) return exit_invalid_input;
            const auto text = read_input(args->state);
            if (!text) return exit_invalid_input;
            const std::string name = input_name(args->state);
            auto baseline_state = protocol->parse_state(*text, name);
            if (!baseline_state) {
              print_diagnostics(baseline_state.diagnostics());
              return exit_invalid_input;
            }
            auto changed_state = protocol->parse_state(*text, name, sets);
            if (!changed_state) {
              // The state alone is valid, so every problem comes from --set.
              print_diagnostics(blame_overrides(changed_state.diagnostics(), sets));
              return exit_usage;
            }
            print_diagnostics(baseline_state.diagnostics());
            // The human view shows what each rule saw; the JSON carries no trace.
            EvaluateOptions options;
            options.explain = !args->json;
            auto baseline = protocol->evaluate(baseline_state.value(), options);
            auto what_if = protocol->evaluate(changed_state.value(), options);
            for (const auto* r : {&baseline, &what_if})
              if (!*r) {
                print_diagnostics(r->diagnostics());
                return exit_invalid_input;
              }
            HomeItemOwners owners;
            for (const auto& t : engine.techniques())
              for (const auto& h : t.home_program) owners[h.id] = t.info.id;
            const auto changes = diff_recommendations(baseline.value(), what_if.value(), owners);
            if (args->json) {
              std::cout << what_if_json(baseline.value(), what_if.value(), changes) << '\n';
              return exit_ok;
            }
            TechniqueNames names = technique_names(engine);
            add_protocol_titles(names, *protocol);
            std::cout << render(baseline.value(), what_if.value(), changes, sets,
                                protocol->title() + " " + protocol->version(), names,
                                Style{stdout_is_terminal()});
            return exit_ok;
          }};
}

}  // namespace fascia::cli
