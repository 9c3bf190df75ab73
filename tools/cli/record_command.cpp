// fascia record: what happened in a session in, the client state for the
// next session out (fascia/record.hpp says how each field moves on).
#include "commands.hpp"
#include "exit_codes.hpp"

#include <fascia/record.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace fascia::cli {

namespace {

struct RecordArgs {
  std::string protocol;
  std::string state;
  std::string date;
  std::string techniques;
  std::optional<int> pressure;
  std::optional<double> soreness, pain_before, pain_after;
  bool missed = false;
  bool postponed = false;
  std::string override_reason;
  std::size_t keep = RecordOptions{}.history_kept;
  std::string out;
  bool json = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b != std::string::npos) items.push_back(item.substr(b, e - b + 1));
  }
  return items;
}

int run_record(const RecordArgs& args, const CommonOptions& common) {
  if (args.missed && args.postponed) {
    print_error("--missed and --postponed exclude each other");
    return exit_usage;
  }
  SessionRecord session;
  if (!args.date.empty()) {
    session.date = Date::parse(args.date);
    if (!session.date) {
      print_error("--date '" + args.date + "' is not a date; use YYYY-MM-DD");
      return exit_usage;
    }
  }
  session.status = args.missed      ? SessionRecord::Status::missed
                   : args.postponed ? SessionRecord::Status::postponed
                                    : SessionRecord::Status::given;
  if (!args.techniques.empty()) session.techniques = split_list(args.techniques);
  session.pressure = args.pressure;
  session.soreness_24h = args.soreness;
  session.pain_before = args.pain_before;
  session.pain_after = args.pain_after;
  session.override_reason = args.override_reason;
  Engine engine = make_engine(common);
  auto protocol = load_protocol(engine, args.protocol);
  if (!protocol) return exit_invalid_input;
  auto state = load_state(*protocol, args.state);
  if (!state) return exit_invalid_input;
  RecordOptions options;
  options.history_kept = args.keep;
  auto result = record_session(*protocol, *state, session, options);
  if (!result) {
    print_diagnostics(result.diagnostics());
    return exit_invalid_input;
  }
  const std::string text =
      args.json ? state_to_json(result.value().next) + "\n" : state_to_yaml(result.value().next);
  if (args.out.empty() || args.out == "-") {
    std::cout << text;
    return exit_ok;
  }
  // Written beside the target and renamed over it: a failure never leaves
  // half a client record.
  const std::string temporary = args.out + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) {
      print_error("cannot write " + temporary);
      return exit_internal;
    }
  }
  if (std::rename(temporary.c_str(), args.out.c_str()) != 0) {
    std::remove(temporary.c_str());
    print_error("cannot write " + args.out);
    return exit_internal;
  }
  const auto& next = result.value().next;
  std::cerr << "recorded: next session " << next.as_of.to_string() << ", "
            << next.program.sessions_completed << " sessions completed -> " << args.out << "\n";
  return exit_ok;
}

}  // namespace

Command add_record_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<RecordArgs>();
  CLI::App* cmd = app.add_subcommand(
      "record", "Record what happened in a session and write the client state for the next one");
  cmd->footer(
      "Evaluates the state's plan for the session's day, checks the session against it and\n"
      "writes the next state: stage and sessions_in_stage after the plan's stage change,\n"
      "sessions_completed, weeks_in_program, frequency, missed_sessions_30d, flare counts\n"
      "aged to the next session's date (as_of), and the session appended to the history\n"
      "(the newest --keep entries are kept). A session dated before the last recorded one\n"
      "is refused, and so is a technique the plan did not include or a pressure above its\n"
      "cap, unless --override gives the reason (kept in the history entry).\n\n"
      "Example:\n  fascia record --protocol protocols/fibromyalgia.yaml \\\n"
      "      --state protocols/examples/fibromyalgia-client.yaml \\\n"
      "      --pressure 4 --soreness 3 --pain-before 6 --pain-after 4 --out next.yaml\n"
      "  fascia record --protocol protocols/fibromyalgia.yaml --state client.yaml --missed "
      "--out client.yaml");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--state", args->state, "Client state the session was planned for (- for stdin)")
      ->required();
  cmd->add_option("--date", args->date,
                  "Day of the session, YYYY-MM-DD (default: the state's as_of)");
  cmd->add_option("--techniques", args->techniques,
                  "Techniques given, comma-separated ids (default: the plan's)");
  cmd->add_option("--pressure", args->pressure,
                  "Pressure used, 1-10 as rated by the client "
                  "(default: the plan's cap)")
      ->check(CLI::Range(1, 10));
  cmd->add_option("--soreness", args->soreness, "Soreness the day after, 0-10")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--pain-before", args->pain_before,
                  "Pain before the session, 0-10 "
                  "(default: pain.current)")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--pain-after", args->pain_after, "Pain after the session, 0-10")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--missed", args->missed, "The client did not come");
  cmd->add_flag("--postponed", args->postponed, "The session was postponed as the plan said");
  cmd->add_option("--override", args->override_reason,
                  "Why the session departed from the plan (kept in the history entry)");
  cmd->add_option("--keep", args->keep, "History entries kept, newest first (default 52)")
      ->check(CLI::Range(1, 2000));
  cmd->add_option("--out", args->out, "Write the next state to FILE (default: stdout)");
  cmd->add_flag("--json", args->json, "Write the next state as JSON (default: YAML)");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int { return run_record(*args, common); }};
}

}  // namespace fascia::cli
