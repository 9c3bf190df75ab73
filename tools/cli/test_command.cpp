// fascia test: runs protocol test files, shows expected vs actual for each
// failure, reports which rules no case fired, and ends with
// "N passed, N failed".
#include "commands.hpp"
#include "exit_codes.hpp"
#include "human_output.hpp"
#include "test_file.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace fascia::cli {

namespace {

struct TestArgs {
  std::vector<std::string> paths;
  std::optional<double> min_coverage;
};

// What the cases of all files fired, per protocol file.
struct Coverage {
  std::shared_ptr<const Protocol> protocol;
  std::set<std::string> fired;
};

std::string list_text(std::vector<std::string> items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return "[" + out + "]";
}

std::string values_text(const Params& params, const std::string& name) {
  const ParamValue* v = find_param(params, name);
  return v ? format_param(*v) : std::string("absent");
}

bool same_value(const ParamValue& a, const ParamValue& b) {
  auto number = [](const ParamValue& v) -> std::optional<double> {
    if (auto i = std::get_if<std::int64_t>(&v)) return double(*i);
    if (auto d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
  };
  if (auto x = number(a), y = number(b); x && y) return *x == *y;
  return a == b;
}

class Runner {
 public:
  Runner(const Engine& engine, const Style& style) : engine_(engine), st_(style) {
    for (const auto& t : engine.techniques()) technique_ids_.push_back(t.info.id);
  }

  void run_file(const std::string& path) {
    Diagnostics problems;
    TestFile file;
    if (!read_test_file(path, file, problems)) {
      print_diagnostics(problems);
      invalid_ = true;
      return;
    }
    print_diagnostics(problems);
    auto protocol = protocol_for(file);
    if (!protocol) return;
    if (!check_ids(file, *protocol)) return;
    std::cout << st_.bold(path) << "  (" << protocol->title() << " " << protocol->version() << ", "
              << file.cases.size() << " case" << (file.cases.size() == 1 ? "" : "s") << ")\n";
    for (const auto& c : file.cases) run_case(file, c, *protocol);
    std::cout << '\n';
  }

  // Prints the coverage report; false when a protocol is below `minimum`.
  bool report_coverage(std::optional<double> minimum) const {
    if (coverage_.empty()) return true;
    bool ok = true;
    std::cout << st_.bold("Rule coverage") << '\n';
    for (const auto& [file, c] : coverage_) {
      const auto rules = c.protocol->rules();
      std::vector<RuleInfo> missing;
      for (const auto& r : rules)
        if (!c.fired.count(r.id)) missing.push_back(r);
      const double percent =
          rules.empty() ? 100.0
                        : 100.0 * double(rules.size() - missing.size()) / double(rules.size());
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.1f%%", percent);
      std::cout << "  " << c.protocol->id() << " " << c.protocol->version() << " (" << file
                << "): " << rules.size() - missing.size() << " of " << rules.size()
                << " rules fired (" << pct << ")\n";
      if (!missing.empty()) {
        std::size_t width = 0;
        for (const auto& r : missing) width = std::max(width, r.id.size());
        std::cout << "    never fired:\n";
        for (const auto& r : missing) {
          std::string id = r.id;
          id.resize(width + 2, ' ');
          std::cout << "      " << id << st_.dim(r.family + ", " + r.source) << '\n';
        }
      }
      if (minimum && percent + 1e-9 < *minimum) {
        ok = false;
        std::cout << "    " << st_.alert("below --min-coverage " + format_param(*minimum) + "%")
                  << '\n';
      }
    }
    std::cout << '\n';
    return ok;
  }

  int passed() const { return passed_; }
  int failed() const { return failed_; }
  bool invalid() const { return invalid_; }

 private:
  std::shared_ptr<const Protocol> protocol_for(const TestFile& file) {
    if (auto it = coverage_.find(file.protocol); it != coverage_.end()) return it->second.protocol;
    auto loaded = engine_.load_protocol(file.protocol);
    print_load_diagnostics(loaded.diagnostics(), file.protocol, /*all_warnings=*/false);
    if (!loaded) {
      std::cerr << file.protocol_location.to_string()
                << ": error: the protocol under test does not load (see above)\n";
      invalid_ = true;
      return nullptr;
    }
    coverage_[file.protocol].protocol = loaded.value();
    return loaded.value();
  }

  bool check_ids(const TestFile& file, const Protocol& protocol) {
    const Diagnostics problems = check_test_file(file, protocol, technique_ids_);
    print_diagnostics(problems);
    if (problems.empty()) return true;
    invalid_ = true;
    return false;
  }

  std::optional<ClientState> state_of(const TestFile& file, const TestCase& c,
                                      const Protocol& protocol) {
    auto state = c.base.empty() ? protocol.parse_state(c.inline_state, file.path, c.set)
                                : protocol.load_state(c.base, c.set);
    Diagnostics problems = state.diagnostics();
    // When the state is fine without the overrides, its problems come from
    // them: point at the `set:` entry in the test file.
    if (!state && !c.set.empty()) {
      auto plain = c.base.empty() ? protocol.parse_state(c.inline_state, file.path)
                                  : protocol.load_state(c.base);
      if (plain)
        for (auto& d : problems) {
          auto i = documents::override_behind(d, c.set);
          d.location = i ? c.set_locations[*i] : c.location;
        }
    }
    if (state) {
      print_diagnostics(problems);
      return std::move(state).value_or_throw();
    }
    std::cout << "  " << st_.alert("FAIL") << "  " << c.name << "  "
              << st_.dim(c.location.to_string()) << "\n        invalid client state: "
              << wrap(problems.empty() ? std::string("?") : problems.front().message, 8) << '\n';
    print_diagnostics(problems);
    return std::nullopt;
  }

  void run_case(const TestFile& file, const TestCase& c, const Protocol& protocol) {
    auto state = state_of(file, c, protocol);
    if (!state) {
      invalid_ = true;
      ++failed_;
      return;
    }
    EvaluateOptions options;
    options.explain = true;
    auto result = protocol.evaluate(*state, options);
    if (!result) {
      print_diagnostics(result.diagnostics());
      invalid_ = true;
      ++failed_;
      return;
    }
    const Recommendation& r = result.value();
    Coverage& coverage = coverage_[file.protocol];
    for (const auto& t : r.trace)
      if (t.outcome == TraceEntry::Outcome::fired) coverage.fired.insert(t.rule->id);
    const auto problems = compare(c.expect, r);
    if (problems.empty()) {
      ++passed_;
      std::cout << "  " << st_.good("PASS") << "  " << c.name << '\n';
      return;
    }
    ++failed_;
    std::cout << "  " << st_.alert("FAIL") << "  " << c.name << "  "
              << st_.dim(c.location.to_string()) << '\n';
    for (const auto& p : problems) std::cout << "        " << wrap(p, 8) << '\n';
  }

  static std::string seen(const TraceEntry* t) {
    if (!t) return "it was not considered (another stage or frequency step)";
    std::string out = std::string("outcome ") + to_string(t->outcome);
    if (!t->detail.empty()) out += " (" + t->detail + ")";
    const std::string values = trace_values_text(*t);
    if (!values.empty()) out += "; saw " + values;
    return out;
  }

  static std::vector<std::string> compare(const Expectations& x, const Recommendation& r) {
    std::vector<std::string> out;
    const auto& s = r.session;
    auto expect_text = [&](const char* what, const std::optional<Named>& want,
                           const std::string& got) {
      if (want && want->value != got)
        out.push_back(std::string(what) + ": expected " + want->value + ", got " + got);
    };
    auto expect_int = [&](const char* what, const std::optional<int>& want, int got) {
      if (want && *want != got)
        out.push_back(std::string(what) + ": expected " + std::to_string(*want) + ", got " +
                      std::to_string(got));
    };
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    auto values = [](const std::vector<Named>& list) {
      std::vector<std::string> texts;
      for (const auto& n : list) texts.push_back(n.value);
      return texts;
    };
    expect_text("stage", x.stage, s.stage);
    expect_int("pressure_cap", x.pressure_cap, s.pressure_cap);
    std::vector<std::string> planned, held, home;
    for (const auto& t : s.techniques) planned.push_back(t.id);
    for (const auto& h : r.held_techniques) held.push_back(h.id);
    for (const auto& h : s.home_program) home.push_back(h.id);
    if (x.techniques && sorted(values(*x.techniques)) != sorted(planned))
      out.push_back("techniques: expected " + list_text(values(*x.techniques)) + ", got " +
                    list_text(planned));
    if (x.held && sorted(values(*x.held)) != sorted(held))
      out.push_back("held: expected " + list_text(values(*x.held)) + ", got " + list_text(held));
    expect_text("frequency", x.frequency, s.frequency);
    expect_int("next_session_in_days", x.next_session_in_days, s.next_session_in_days);
    expect_int("duration_minutes", x.duration_minutes, s.duration_minutes);
    expect_int("postpone_days", x.postpone_days, s.postpone_days);
    expect_text("referral", x.referral, s.referral ? s.referral->to : "none");
    for (const auto& item : x.home_program)
      if (std::find(home.begin(), home.end(), item.value) == home.end())
        out.push_back("home_program: expected it to include " + item.value + ", got " +
                      list_text(home));
    for (const auto& rule : x.fired) {
      const TraceEntry* t = find_trace(r, rule.value);
      if (!t || t->outcome != TraceEntry::Outcome::fired)
        out.push_back("fired: expected " + rule.value + " to fire; " + seen(t));
    }
    for (const auto& rule : x.not_fired) {
      const TraceEntry* t = find_trace(r, rule.value);
      if (t && t->outcome == TraceEntry::Outcome::fired)
        out.push_back("not_fired: expected " + rule.value + " not to fire; " + seen(t));
    }
    if (x.warnings && *x.warnings != int(r.warnings.size())) {
      std::string text;
      for (const auto& w : r.warnings) text += "\n  - " + w;
      out.push_back("warnings: expected " + std::to_string(*x.warnings) + ", got " +
                    std::to_string(r.warnings.size()) + text);
    }
    for (const auto& p : x.parameters) {
      const PlannedTechnique* planned_technique = nullptr;
      for (const auto& t : s.techniques)
        if (t.id == p.technique.value) planned_technique = &t;
      if (!planned_technique) {
        out.push_back("parameters: expected " + p.technique.value + " in the session, got " +
                      list_text(planned));
        continue;
      }
      const ParamValue* got = find_param(planned_technique->parameters, p.name);
      if (!got || !same_value(*got, p.value))
        out.push_back("parameters: " + p.technique.value + "." + p.name + ": expected " +
                      format_param(p.value) + ", got " +
                      values_text(planned_technique->parameters, p.name));
    }
    for (const auto& [rule, text] : x.reasons) {
      std::vector<std::string> reasons;
      for (const auto& a : r.adjustments)
        if (a.rule == rule.value) reasons.push_back(a.reason);
      for (const auto& h : r.held_techniques)
        if (h.rule == rule.value) reasons.push_back(h.reason);
      const std::string& wanted = text;  // a lambda may not capture a binding (clang 14)
      const bool found = std::any_of(
          reasons.begin(), reasons.end(),
          [&](const std::string& reason) { return reason.find(wanted) != std::string::npos; });
      if (found) continue;
      out.push_back(
          "reasons: " + rule.value + ": expected a reason containing \"" + text + "\", got " +
          (reasons.empty() ? "no adjustment from this rule" : "\"" + reasons.front() + "\""));
    }
    return out;
  }

  const Engine& engine_;
  Style st_;
  std::vector<std::string> technique_ids_;
  std::map<std::string, Coverage> coverage_;
  int passed_ = 0;
  int failed_ = 0;
  bool invalid_ = false;
};

}  // namespace

Command add_test_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<TestArgs>();
  CLI::App* cmd = app.add_subcommand("test", "Run protocol test files and report rule coverage");
  cmd->footer(
      "Runs every case of the given *.test.yaml files (folders are searched recursively),\n"
      "shows expected vs actual for each failure, lists the rules no case fired, and ends\n"
      "with 'N passed, N failed'. Exit 1 when a case fails or coverage is below\n"
      "--min-coverage; 3 when a test file, its protocol or a case's state is invalid.\n"
      "The format is in docs/protocol-authoring.md, \"Test files\".\n\n"
      "Example:\n  fascia test protocols/ --min-coverage 100\n"
      "  fascia test protocols/fibromyalgia.test.yaml");
  cmd->add_option("paths", args->paths, "Test files or folders")->required();
  cmd->add_option("--min-coverage", args->min_coverage,
                  "Fail (exit 1) when a protocol's rule coverage is below PCT percent")
      ->check(CLI::Range(0.0, 100.0));
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int {
            Diagnostics problems;
            const auto files = find_test_files(args->paths, problems);
            print_diagnostics(problems);
            Engine engine = make_engine(common);
            Runner runner(engine, Style{stdout_is_terminal()});
            for (const auto& f : files) runner.run_file(f);
            const bool covered = runner.report_coverage(args->min_coverage);
            std::cout << runner.passed() << " passed, " << runner.failed() << " failed\n";
            if (runner.invalid() || has_errors(problems)) return exit_invalid_input;
            return runner.failed() > 0 || !covered ? exit_tests_failed : exit_ok;
          }};
}

}  // namespace fascia::cli
