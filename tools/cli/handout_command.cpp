// fascia handout: a one-page printable HTML hand-out for the client (the
// home programme in the plugins' plain-language words, the next session's
// date, when to call). Written for the client: no rule ids, no protocol
// reasons (those are for therapists), no file paths.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"

#include "handout_words.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace fascia::cli {

namespace {

struct HandoutArgs {
  std::string protocol;
  std::string state;
  std::string out;
};

std::string escape_html(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// "Friday 27 November 2026".
std::string long_date(const Date& date) {
  static const char* const weekdays[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                         "Monday",   "Tuesday", "Wednesday"};
  static const char* const months[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
  const std::int64_t days = date.days_since_epoch();
  const auto weekday = static_cast<std::size_t>(((days % 7) + 7) % 7);
  return std::string(weekdays[weekday]) + " " + std::to_string(date.day) + " " +
         months[static_cast<std::size_t>(date.month - 1)] + " " + std::to_string(date.year);
}

// "Gentle, pain-free stretches held without bouncing: 10 minutes a day".
std::string home_item_html(const HomeProgramItem& item,
                           const std::map<std::string, std::string>& instructions) {
  const auto it = instructions.find(item.id);
  std::string what = it != instructions.end() && !it->second.empty() ? it->second : item.id;
  for (auto& c : what)
    if (c == '_') c = ' ';
  const std::string dose = describe_home_item(HomeProgramItem{"", item.parameters});
  std::string html = "<li><strong>" + escape_html(what) + "</strong>";
  if (dose.size() > 2) html += "<br>" + escape_html(dose.substr(2));
  return html + "</li>\n";
}

const char* const style =
    "@page{size:A4;margin:14mm}"
    "body{font:15px/1.5 system-ui,'DejaVu Sans',sans-serif;color:#111;max-width:170mm;"
    "margin:0 auto;padding:8mm 0}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:18px 0 6px;"
    "border-bottom:2px solid #0b5394;padding-bottom:2px}"
    "ul{padding-left:20px}li{margin-bottom:6px}.date{font-size:18px;font-weight:700}"
    ".note{background:#fff4e0;border-left:5px solid #7a4b00;padding:6px 10px}"
    "footer{margin-top:20px;font-size:12px;color:#444}";

// "When to call us": the protocol's `handout:` words, or these defaults.
struct WhenToCall {
  std::vector<std::string> when_to_call;
  std::string urgent;
};

WhenToCall when_to_call(const Protocol& protocol) {
  const documents::HandoutWords words = documents::handout_words(protocol);
  WhenToCall call{words.when_to_call, words.urgent};
  if (call.when_to_call.empty())
    call.when_to_call = {
        "your pain is much worse than usual for more than two days, or a flare starts;",
        "soreness after the session lasts longer than two days;",
        "your medicines change (a new one, one stopped, or a different dose);",
        "you cannot come to your next session."};
  if (call.urgent.empty())
    call.urgent =
        "For new numbness or weakness, a hot, swollen or painful arm or leg, a fever, or "
        "anything that worries you, call your doctor. In an emergency, call the emergency "
        "number.";
  return call;
}

std::string render_handout(const Recommendation& r, const ClientState& state,
                           const WhenToCall& call, const std::string& frequency_title,
                           const std::map<std::string, std::string>& instructions) {
  const PlannedSession& s = r.session;
  std::string html =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Your home programme</title>\n<style>" +
      std::string(style) + "</style>\n</head>\n<body>\n<header>\n<h1>Your home programme</h1>\n" +
      "<p>From your session on " + escape_html(long_date(state.as_of)) + ".</p>\n</header>\n";
  if (state.flare.active)
    html +=
        "<p class=\"note\">You are in a flare. Your programme is shorter and gentler for now: "
        "do less rather than more, and rest when you need to.</p>\n";

  html += "<section>\n<h2>Your home programme</h2>\n";
  if (s.home_program.empty()) {
    html += "<p>Nothing extra at home for now: rest and keep to your usual routine.</p>\n";
  } else {
    html += "<p>Between sessions, each day:</p>\n<ul>\n";
    for (const auto& item : s.home_program) html += home_item_html(item, instructions);
    html +=
        "</ul>\n<p>Stop anything that makes your pain clearly worse, and tell us at your next "
        "session.</p>\n";
  }
  html += "</section>\n<section>\n<h2>Your next session</h2>\n";
  if (s.referral) {
    html += "<p class=\"note\">Please see your " + escape_html(s.referral->to) +
            " before your next massage, and bring this sheet with you.</p>\n";
  }
  const int days = s.postpone_days > 0 ? s.postpone_days : s.next_session_in_days;
  html += "<p class=\"date\">" + escape_html(long_date(state.as_of.plus_days(days))) +
          "</p>\n<p>In " + std::to_string(days) + (days == 1 ? " day" : " days");
  if (!frequency_title.empty())
    html += ". Your sessions are planned " + escape_html(frequency_title) + ".";
  else
    html += ".";
  html += "</p>\n";
  if (s.postpone_days > 0)
    html += "<p>We are giving your body time to settle before the next massage.</p>\n";
  html +=
      "</section>\n<section>\n<h2>When to call us</h2>\n<p>Call the clinic before your next "
      "session if:</p>\n<ul>\n";
  for (const auto& reason : call.when_to_call) html += "<li>" + escape_html(reason) + "</li>\n";
  html += "</ul>\n<p>" + escape_html(call.urgent) +
          "</p>\n</section>\n<footer>Keep this sheet. Your therapist can answer any "
          "question about it.</footer>\n</body>\n</html>\n";
  return html;
}

}  // namespace

Command add_handout_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<HandoutArgs>();
  CLI::App* cmd =
      app.add_subcommand("handout", "Write a printable one-page hand-out for the client (HTML)");
  cmd->footer(
      "The home programme in plain language (the plugins' own instructions), the date of\n"
      "the next session and when to call (the protocol's `handout:` words, or a default):\n"
      "written for the client, with no rule ids or therapist reasons. Open the file in a\n"
      "browser and print it (one A4 page).\n\n"
      "Example:\n  fascia handout --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml --out handout.html");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state (YAML or JSON; - for stdin)")->required();
  cmd->add_option("--out", args->out, "Write the HTML to this file (default: standard output)");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            Engine engine = make_engine(common);
            auto protocol = load_protocol(engine, args->protocol);
            if (!protocol) return exit_invalid_input;
            auto state = load_state(*protocol, args->state);
            if (!state) return exit_invalid_input;
            auto result = protocol->evaluate(*state);
            if (!result) {
              print_diagnostics(result.diagnostics());
              return exit_invalid_input;
            }
            std::map<std::string, std::string> instructions;
            for (const auto& t : engine.techniques())
              for (const auto& h : t.home_program) instructions[h.id] = h.description;
            TechniqueNames names;
            add_protocol_titles(names, *protocol);
            const std::string& frequency = result.value().session.frequency;
            std::string frequency_title = title_of(names, "frequency", frequency);
            if (frequency_title == frequency) frequency_title.clear();
            for (auto& c : frequency_title) c = char(std::tolower(static_cast<unsigned char>(c)));
            const std::string html = render_handout(result.value(), *state, when_to_call(*protocol),
                                                    frequency_title, instructions);
            if (args->out.empty()) {
              std::cout << html;
              return exit_ok;
            }
            std::ofstream file(args->out, std::ios::binary | std::ios::trunc);
            file << html;
            file.close();
            if (!file) {
              print_error("cannot write " + args->out);
              return exit_invalid_input;
            }
            return exit_ok;
          }};
}

}  // namespace fascia::cli
