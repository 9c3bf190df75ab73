#include "test_file.hpp"

#include "common/did_you_mean.hpp"
#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>

namespace fascia::cli {

namespace {

namespace fs = std::filesystem;
namespace yaml = detail::yaml;

// A YAML node written back as flow YAML text: the VALUE of an override.
std::string to_yaml_text(const yaml::Node& node) {
  switch (node.kind) {
    case yaml::NodeKind::null:
      return "null";
    case yaml::NodeKind::scalar:
      return node.plain ? node.value : nlohmann::json(node.value).dump();
    case yaml::NodeKind::sequence: {
      std::string out;
      for (const auto& item : node.items) out += (out.empty() ? "" : ", ") + to_yaml_text(item);
      return "[" + out + "]";
    }
    case yaml::NodeKind::mapping: {
      std::string out;
      for (const auto& [key, value] : node.entries)
        out += (out.empty() ? "" : ", ") + nlohmann::json(key.value).dump() + ": " +
               to_yaml_text(value);
      return "{" + out + "}";
    }
  }
  return "null";
}

void collect_offsets(const yaml::Node& node, const yaml::Node* skip,
                     std::vector<std::size_t>& out) {
  if (&node == skip) return;
  out.push_back(node.mark.offset);
  for (const auto& item : node.items) collect_offsets(item, skip, out);
  for (const auto& [key, value] : node.entries) {
    out.push_back(key.mark.offset);
    collect_offsets(value, skip, out);
  }
}

// The document text with everything but `state` replaced by spaces (line
// breaks kept): parsing it gives the inline state with its real lines and
// columns in the test file.
std::string isolate(const yaml::Document& doc, const yaml::Node& state) {
  const std::string& text = doc.text;
  const std::size_t start = state.mark.offset;
  std::vector<std::size_t> offsets;
  collect_offsets(doc.root, &state, offsets);
  std::size_t end = text.size();
  for (std::size_t o : offsets)
    if (o > start && o < end) end = o;
  // The next node's line may start with its sequence dash: stop at that line.
  const std::size_t line_start = text.rfind('\n', end == 0 ? 0 : end - 1);
  if (line_start != std::string::npos && line_start >= start) end = line_start;
  while (end > start && (text[end - 1] == ',' || text[end - 1] == ' ')) --end;
  std::string out = text;
  for (std::size_t i = 0; i < out.size(); ++i)
    if ((i < start || i >= end) && out[i] != '\n') out[i] = ' ';
  return out;
}

std::optional<ParamValue> param_value(yaml::Reader& reader, const yaml::Node& node) {
  if (node.is_sequence()) {
    auto list = reader.string_list(node, "parameter");
    if (!list) return std::nullopt;
    return ParamValue(*list);
  }
  if (!node.is_scalar()) {
    reader.error(node, "a parameter value must be a scalar or a list of strings");
    return std::nullopt;
  }
  if (!node.plain) return ParamValue(node.value);
  switch (yaml::classify_plain_scalar(node.value)) {
    case yaml::ScalarKind::boolean:
      return ParamValue(*reader.boolean(node, "parameter"));
    case yaml::ScalarKind::integer:
      if (auto v = reader.integer(node, "parameter", INT64_MIN, INT64_MAX)) return ParamValue(*v);
      return std::nullopt;
    case yaml::ScalarKind::number:
      if (auto v = reader.number(node, "parameter", -1e300, 1e300)) return ParamValue(*v);
      return std::nullopt;
    default:
      return ParamValue(node.value);
  }
}

class TestFileReader {
 public:
  TestFileReader(const yaml::Document& doc, Diagnostics& diagnostics)
      : doc_(doc), reader_(doc, diagnostics), folder_(fs::path(doc.file).parent_path()) {}

  void read(TestFile& out) {
    const yaml::Node& root = doc_.root;
    out.path = doc_.file;
    if (!reader_.expect_mapping(root, "test file", {"protocol", "base", "cases"},
                                {"protocol", "cases"}))
      return;
    if (const auto* p = root.find("protocol"))
      if (auto v = reader_.string(*p, "protocol")) {
        out.protocol = resolve(*v);
        out.protocol_location = reader_.location(*p);
      }
    if (const auto* b = root.find("base"))
      if (auto v = reader_.string(*b, "base")) default_base_ = resolve(*v);
    const auto* cases = root.find("cases");
    if (!cases || !reader_.expect_sequence(*cases, "cases")) return;
    if (cases->items.empty()) reader_.error(*cases, "cases must list at least one case");
    for (const auto& c : cases->items) read_case(c, out);
  }

 private:
  std::string resolve(const std::string& relative) const {
    const fs::path p(relative);
    return (p.is_absolute() ? p : folder_ / p).lexically_normal().string();
  }

  Named named(const yaml::Node& node, std::string_view what) {
    auto v = reader_.string(node, what);
    return {v.value_or(""), reader_.location(node)};
  }

  std::vector<Named> named_list(const yaml::Node& node, std::string_view what) {
    std::vector<Named> out;
    if (!reader_.expect_sequence(node, what)) return out;
    for (const auto& item : node.items) out.push_back(named(item, what));
    return out;
  }

  std::optional<int> integer(const yaml::Node& expect, const char* key, int min, int max) {
    if (const auto* n = expect.find(key))
      if (auto v = reader_.integer(*n, key, min, max)) return static_cast<int>(*v);
    return std::nullopt;
  }

  void read_case(const yaml::Node& node, TestFile& file) {
    if (!reader_.expect_mapping(node, "test case", {"name", "base", "state", "set", "expect"},
                                {"name", "expect"}))
      return;
    TestCase c;
    c.location = reader_.location(node);
    if (const auto* n = node.find("name"))
      if (auto v = reader_.string(*n, "name")) {
        for (const auto& other : file.cases)
          if (other.name == *v)
            reader_.error(*n, "duplicate case name '" + *v + "' (first at " +
                                  other.location.to_string() + ")");
        c.name = *v;
      }
    const auto* base = node.find("base");
    const auto* state = node.find("state");
    if (base && state)
      reader_.error(*state, "give either 'base' (a state file) or 'state', not both");
    if (base) {
      if (auto v = reader_.string(*base, "base")) c.base = resolve(*v);
    } else if (state) {
      if (!state->is_mapping())
        reader_.error(*state, "state must be a mapping (a client state)");
      else
        c.inline_state = isolate(doc_, *state);
    } else if (default_base_.empty()) {
      reader_.error(node,
                    (c.name.empty() ? std::string("test case") : "test case '" + c.name + "'") +
                        " has no state: give 'base' (a state file), 'state', or a "
                        "file-level 'base'");
    } else {
      c.base = default_base_;
    }
    if (const auto* set = node.find("set")) {
      if (!set->is_mapping()) {
        reader_.error(*set, "set must be a mapping of state path to value (flare.active: true)");
      } else {
        for (const auto& [key, value] : set->entries) {
          c.set.push_back({key.value, to_yaml_text(value)});
          c.set_locations.push_back(reader_.location(key));
        }
      }
    }
    if (const auto* expect = node.find("expect")) read_expect(*expect, c.expect);
    file.cases.push_back(std::move(c));
  }

  void read_expect(const yaml::Node& e, Expectations& x) {
    if (!reader_.expect_mapping(
            e, "expect",
            {"stage", "pressure_cap", "techniques", "held", "frequency", "next_session_in_days",
             "duration_minutes", "postpone_days", "referral", "home_program", "fired", "not_fired",
             "warnings", "parameters", "reasons"}))
      return;
    if (e.entries.empty()) reader_.error(e, "expect must name at least one outcome");
    if (const auto* n = e.find("stage")) x.stage = named(*n, "stage");
    if (const auto* n = e.find("frequency")) x.frequency = named(*n, "frequency");
    if (const auto* n = e.find("referral")) x.referral = named(*n, "referral");
    x.pressure_cap = integer(e, "pressure_cap", 1, 10);
    x.duration_minutes = integer(e, "duration_minutes", 0, 1000);
    x.next_session_in_days = integer(e, "next_session_in_days", 0, 1000);
    x.postpone_days = integer(e, "postpone_days", 0, 1000);
    x.warnings = integer(e, "warnings", 0, 1000);
    if (const auto* n = e.find("techniques")) x.techniques = named_list(*n, "techniques");
    if (const auto* n = e.find("held")) x.held = named_list(*n, "held");
    if (const auto* n = e.find("home_program")) x.home_program = named_list(*n, "home_program");
    if (const auto* n = e.find("fired")) x.fired = named_list(*n, "fired");
    if (const auto* n = e.find("not_fired")) x.not_fired = named_list(*n, "not_fired");
    if (const auto* n = e.find("parameters")) {
      if (!n->is_mapping()) {
        reader_.error(*n, "parameters must map technique id to {parameter: value}");
      } else {
        for (const auto& [technique, params] : n->entries) {
          if (!params.is_mapping()) {
            reader_.error(params, "parameters of '" + technique.value + "' must be a mapping");
            continue;
          }
          for (const auto& [name, value] : params.entries)
            if (auto v = param_value(reader_, value))
              x.parameters.push_back(
                  {{technique.value, reader_.location(technique)}, name.value, *v});
        }
      }
    }
    if (const auto* n = e.find("reasons")) {
      if (!n->is_mapping()) {
        reader_.error(*n, "reasons must map rule id to text its reason contains");
      } else {
        for (const auto& [rule, text] : n->entries)
          if (auto v = reader_.string(text, "reason text"))
            x.reasons.push_back({{rule.value, reader_.location(rule)}, *v});
      }
    }
  }

  const yaml::Document& doc_;
  yaml::Reader reader_;
  fs::path folder_;
  std::string default_base_;
};

}  // namespace

bool read_test_file(const std::string& path, TestFile& out, Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  yaml::Document document;
  if (!yaml::load_document(path, Limits{}, document, diagnostics)) return false;
  if (document.root.is_null()) {
    diagnostics.push_back({Severity::error, SourceLocation{path, 1, 1},
                           "the test file is empty; start with 'protocol:' and 'cases:'"});
    return false;
  }
  TestFileReader(document, diagnostics).read(out);
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

Diagnostics check_test_file(const TestFile& file, const Protocol& protocol,
                            const std::vector<std::string>& technique_ids) {
  Diagnostics problems;
  auto check = [&](const Named& n, const std::vector<std::string>& known, const char* what) {
    if (std::find(known.begin(), known.end(), n.value) != known.end()) return;
    std::string message = std::string("unknown ") + what + " '" + n.value + "'";
    if (auto close = detail::closest_match(n.value, known); !close.empty())
      message += " (did you mean '" + close + "'?)";
    problems.push_back({Severity::error, n.location, message});
  };
  const auto rules = protocol.rule_ids();
  const auto stages = protocol.stage_ids();
  const auto frequencies = protocol.frequency_ids();
  for (const auto& c : file.cases) {
    const auto& x = c.expect;
    if (x.stage) check(*x.stage, stages, "stage");
    if (x.frequency) check(*x.frequency, frequencies, "frequency");
    for (const auto* list : {&x.fired, &x.not_fired})
      for (const auto& n : *list) check(n, rules, "rule");
    // Reasons may also name a plugin's rules ("swedish.gentle-strokes").
    for (const auto& [rule, text] : x.reasons) {
      const bool plugin_rule = std::any_of(
          technique_ids.begin(), technique_ids.end(),
          // clang 14 (the fuzz build) cannot capture a structured binding.
          [&rule_id = rule.value](const std::string& t) { return rule_id.rfind(t + ".", 0) == 0; });
      // ... and the engine's safety floors (docs/protocol-authoring.md "Safety floors").
      static const std::vector<std::string> floors = {
          "floors.active-flare", "floors.flare-safe-only", "floors.no-taper-with-missed-sessions",
          "floors.no-taper-after-recent-flare"};
      const bool floor_rule = rule.value.rfind("floors.", 0) == 0;
      if (floor_rule)
        check(rule, floors, "engine floor rule");
      else if (!plugin_rule)
        check(rule, rules, "rule");
    }
    for (const auto* list : {&x.techniques, &x.held})
      if (*list)
        for (const auto& n : **list) check(n, technique_ids, "technique");
    for (const auto& p : x.parameters) check(p.technique, technique_ids, "technique");
  }
  return problems;
}

std::vector<std::string> find_test_files(const std::vector<std::string>& paths,
                                         Diagnostics& diagnostics) {
  std::vector<std::string> out;
  auto is_test = [](const fs::path& p) {
    const std::string name = p.filename().string();
    return name.size() > 10 && name.compare(name.size() - 10, 10, ".test.yaml") == 0;
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec))
        if (it->is_regular_file(ec) && is_test(it->path())) found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      if (found.empty())
        diagnostics.push_back(
            {Severity::warning, SourceLocation{p, 0, 0}, "no *.test.yaml files in this folder"});
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      diagnostics.push_back({Severity::error, SourceLocation{p, 0, 0}, "no such file or folder"});
    }
  }
  std::vector<std::string> unique;
  for (auto& f : out)
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
  return unique;
}

}  // namespace fascia::cli
