// The JSON state reader (core/state_json_reader.hpp) against the tree
// reader of YAML states over the JSON parser's tree: on valid states and on
// many mutations of them (one or two values changed, characters cut or
// doubled, small limits), the same status, the same state and the same
// diagnostics, byte for byte and in the same order.
#include "core/state_json_reader.hpp"
#include "core/protocol_access.hpp"
#include "core/state_checks.hpp"
#include "json/json_text.hpp"
#include "json/text_positions.hpp"
#include "yaml/text.hpp"

#include <fascia/engine.hpp>

#include <gtest/gtest.h>

#include "../../tools/bench/state_maker.hpp"
#include "../bundled_plugins.hpp"
#include "../fuzz/state_compare.hpp"
#include "../sanitizer_build.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace fascia;

std::shared_ptr<const Protocol> fibromyalgia() {
  static std::shared_ptr<const Protocol> protocol = [] {
    Engine engine(test::bundled_plugins_only());
    engine.load_plugins();
    auto loaded = engine.load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
    return loaded ? loaded.value() : nullptr;
  }();
  return protocol;
}

// Start and length of every string, number and literal token.
std::vector<std::pair<std::size_t, std::size_t>> tokens(const std::string& t) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < t.size();) {
    const char c = t[i];
    std::size_t j = i + 1;
    if (c == '"') {
      while (j < t.size() && t[j] != '"') j += t[j] == '\\' ? 2 : 1;
      ++j;
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
      while (j < t.size() && std::string_view(",}] \n").find(t[j]) == std::string_view::npos) ++j;
    } else {
      i = j;
      continue;
    }
    out.emplace_back(i, j - i);
    i = j;
  }
  return out;
}

std::vector<std::string> bases() {
  std::vector<std::string> out;
  bench::StateMaker maker;
  for (int n = 1; n <= 24; ++n) {
    out.push_back(maker.next(n));
  }
  // Every member, multi-line, with escapes, non-ASCII text and nulls.
  out.push_back(R"({
  "format": 1,
  "client": {"id": "C-\u00e9", "condition": "fibromyalgia"},
  "as_of": "2026-06-09",
  "program": {"stage": "foundation", "sessions_completed": 3, "sessions_in_stage": 2,
              "weeks_in_program": 1, "frequency": "weekly", "missed_sessions_30d": 0,
              "last_missed": "2026-06-01"},
  "pain": {"current": 5, "baseline": 6},
  "sensitivity": "moderate",
  "pressure_tolerance": 4,
  "sleep_quality": null,
  "flare": {"active": true, "severity": 3.5, "days_since_last": null, "count_30d": 1},
  "medications_changed": false,
  "history": [
    {"date": "2026-05-01", "techniques": ["swedish"], "pressure": null, "soreness_24h": 2,
     "pain_before": 5, "pain_after": 4, "override": "café \"asked\"", "stage": "foundation"},
    {"date": "2026-05-20", "techniques": [], "pressure": 3, "override": null, "stage": null},
    {"date": "2026-06-02", "techniques": ["swedish", "myofascial_release"], "pressure": 4}
  ],
  "observations": {"morning_stiffness_minutes": 20}
}
)");
  for (const char* name : {"fibromyalgia-client.json"}) {
    std::ifstream in(std::string(FASCIA_SOURCE_DIR "/protocols/examples/") + name);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

TEST(StateJsonReader, ReadsTheCommonFormWithoutDiagnostics) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  const auto& model = detail::ProtocolAccess::model(*protocol);
  for (const auto& text : bases()) {
    const auto read = test::read_with_json_reader(text, model);
    EXPECT_EQ(read.status, detail::JsonStateStatus::read) << text;
    EXPECT_EQ(read.diagnostics, "") << text;
    EXPECT_EQ(test::compare_readers(text, model), "") << text;
  }
}

const std::vector<std::string> replacements = {"null",
                                               "0",
                                               "-0",
                                               "1",
                                               "10",
                                               "11",
                                               "-1",
                                               "1.5",
                                               "0.0",
                                               "1e1",
                                               "1E+1",
                                               "-0.0",
                                               "1e400",
                                               "1e-400",
                                               "100000",
                                               "100001",
                                               "99999999999999999999",
                                               "01",
                                               "1.",
                                               ".5",
                                               "+1",
                                               "tru",
                                               "true",
                                               "false",
                                               "[]",
                                               "{}",
                                               "[\"swedish\"]",
                                               "\"\"",
                                               "\"x\"",
                                               "\"low\"",
                                               "\"high\"",
                                               "\"2026-06-30\"",
                                               "\"2026-02-30\"",
                                               "\"9999-12-31\"",
                                               "\"2024-02-29\"",
                                               "\"2023-02-29\"",
                                               "\"1900-02-29\"",
                                               "\"2000-02-29\"",
                                               "\"1899-12-31\"",
                                               "\"2026-04-31\"",
                                               "\"2026-13-01\"",
                                               "\"2026-00-10\"",
                                               "\"2026-05-00\"",
                                               "\"2026-5-010\"",
                                               "\"2026/05/01\"",
                                               "\"2026-05-0a\"",
                                               "\"2026-05-01 \"",
                                               "\"fibromyalgia\"",
                                               "\"foundation\"",
                                               "\"weekly\"",
                                               "\"swedish\"",
                                               "\"\\u0041\"",
                                               "\"caf\xC3\xA9\"",
                                               "\"a\tb\"",
                                               "\"format\"",
                                               "\"client\"",
                                               "\"history\"",
                                               "\"observations\"",
                                               "\"sleep_quality\"",
                                               "\"current\"",
                                               "\"days_since_last\"",
                                               "\"morning_stiffness_minutes\"",
                                               "\"sessions_in_stage\"",
                                               "\"pressure\"",
                                               "\"date\"",
                                               "\"techniques\"",
                                               "\"active\""};

// Counts what the mutations reach, so that a change that stops them
// reaching the error paths shows.
struct Reach {
  std::size_t seen = 0, cases = 0, read = 0, errors = 0, invalid = 0;
};

// Sanitizer builds (CI's 10-asan stage) run these cases 10-25x slower: they
// compare every eleventh case made (the stride is prime to the number of
// replacements, so every kind is still met); the release ctest compares them
// all, and the fuzz stage's state_json target compares the two readers at
// length.
constexpr std::size_t case_stride = fascia::test::sanitizer_build ? 11 : 1;

void check(const std::string& text, const detail::ProtocolModel& model, Reach& reach) {
  if (reach.seen++ % case_stride != 0) return;
  ++reach.cases;
  const std::string difference = test::compare_readers(text, model);
  ASSERT_EQ(difference, "") << text;
  const auto read = test::read_with_json_reader(text, model);
  if (read.status == detail::JsonStateStatus::read)
    ++(read.state.empty() ? reach.errors : reach.read);
  if (read.status == detail::JsonStateStatus::invalid) ++reach.invalid;
}

TEST(StateJsonReader, AgreesWithTheTreeReaderOnEveryMutation) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  const auto& model = detail::ProtocolAccess::model(*protocol);
  Reach reach;
  for (const auto& base : bases()) {
    for (const auto& [at, length] : tokens(base))
      for (const auto& r : replacements)
        check(base.substr(0, at) + r + base.substr(at + length), model, reach);
    // Cut and doubled characters: syntax errors, duplicates, truncation.
    for (std::size_t i = 0; i < base.size(); i += 7) {
      check(base.substr(0, i) + base.substr(i + 1), model, reach);
      check(base.substr(0, i) + base[i] + base.substr(i), model, reach);
    }
    check(" \r\n\t" + base + "\n ", model, reach);
    check("\xEF\xBB\xBF" + base, model, reach);
    check(base + "x", model, reach);
  }
  EXPECT_GT(reach.read, reach.cases / 20);
  EXPECT_GT(reach.errors, reach.cases / 4);
  EXPECT_GT(reach.invalid, 0u);
}

// Every state the JSON reader accepts (read, no error) passes
// check_client_state(), on the mutations above and on pairs of hostile
// values (out of range, unknown ids, dates after as_of or out of order,
// sessions_in_stage above sessions_completed), read into one reused state
// as fascia batch reads: so Protocol::parse_and_evaluate_json_into() need
// not check a state twice. It gives what parse_state_into() and
// evaluate_json_into() give, one after the other.
TEST(StateJsonReader, ReaderRefusesEveryStateTheStateChecksRefuse) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  const auto& model = detail::ProtocolAccess::model(*protocol);
  ClientState reused, apart;
  std::string fused_out = "kept", apart_out = "kept";
  Diagnostics diagnostics, fused_diagnostics;
  std::size_t accepted = 0, refused = 0, seen = 0;
  const auto check = [&](const std::string& text) {
    if (seen++ % case_stride != 0) return;
    detail::reset_keeping_memory(reused);
    diagnostics.clear();
    const auto status = detail::read_json_state(text, "<t>", model, reused, diagnostics);
    const bool ok = status == detail::JsonStateStatus::read && !has_errors(diagnostics);
    ++(ok ? accepted : refused);
    if (ok) EXPECT_EQ(test::dump(detail::check_client_state(model, reused)), "") << text;
    // The fused entry against the two calls.
    const std::size_t fused_start = fused_out.size(), apart_start = apart_out.size();
    const bool fused =
        protocol->parse_and_evaluate_json_into(text, "<t>", reused, fused_out, fused_diagnostics);
    bool separate = protocol->parse_state_into(text, "<t>", apart, diagnostics);
    if (separate) {
      Diagnostics problems;
      separate = protocol->evaluate_json_into(apart, apart_out, problems);
      if (!separate) diagnostics = problems;
    }
    ASSERT_EQ(fused, separate) << text;
    if (status != detail::JsonStateStatus::not_json) EXPECT_EQ(fused, ok) << text;
    EXPECT_EQ(test::dump(fused_diagnostics), test::dump(diagnostics)) << text;
    EXPECT_EQ(fused_out.substr(fused_start), apart_out.substr(apart_start)) << text;
  };
  const auto all = bases();
  for (const auto& base : all) {
    check(base);
    for (const auto& [at, length] : tokens(base))
      for (const auto& r : replacements) check(base.substr(0, at) + r + base.substr(at + length));
  }
  const std::vector<std::string> hostile = {"\"x\"",
                                            "-1",
                                            "11",
                                            "100001",
                                            "1e400",
                                            "0.5",
                                            "\"2026-06-30\"",
                                            "\"1990-01-01\"",
                                            "\"9999-12-31\"",
                                            "\"\"",
                                            "null",
                                            "40"};
  for (const std::size_t b : {std::size_t{1}, std::size_t{5}, all.size() - 2}) {
    const std::string& base = all[b];
    const auto toks = tokens(base);
    for (std::size_t i = 0; i < toks.size(); ++i)
      for (std::size_t j = i + 1; j < toks.size(); ++j)
        for (const std::size_t k : {i + j, 5 * i + j + 3}) {  // two pairs of values each
          const auto& first = hostile[k % hostile.size()];
          const auto& second = hostile[(k + i) % hostile.size()];
          std::string text =
              base.substr(0, toks[j].first) + second + base.substr(toks[j].first + toks[j].second);
          check(text.substr(0, toks[i].first) + first +
                text.substr(toks[i].first + toks[i].second));
        }
  }
  EXPECT_GT(accepted, (accepted + refused) / 50);
  EXPECT_GT(refused, (accepted + refused) / 2);
}

// Two values changed at once: the problems of different members, history
// entries and checks across members come out in the tree reader's order.
TEST(StateJsonReader, ReportsSeveralProblemsInTheTreeReadersOrder) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  const auto& model = detail::ProtocolAccess::model(*protocol);
  const std::vector<std::string> bad = {
      "\"x\"", "-1", "[]", "null", "\"2001-01-01\"", "\"9999-12-31\"", "\"sessions_in_stage\""};
  Reach reach;
  const auto all = bases();
  for (const std::size_t b :
       {std::size_t{0}, std::min(std::size_t{12}, all.size() - 3), all.size() - 2}) {
    const std::string& base = all[b];
    const auto toks = tokens(base);
    for (std::size_t i = 0; i < toks.size(); ++i)
      for (std::size_t j = i + 1; j < toks.size(); j += 2)
        for (const auto& first : bad)
          for (const auto& second : {bad[static_cast<std::size_t>(j) % bad.size()], first}) {
            std::string text = base.substr(0, toks[j].first) + second +
                               base.substr(toks[j].first + toks[j].second);
            text =
                text.substr(0, toks[i].first) + first + text.substr(toks[i].first + toks[i].second);
            check(text, model, reach);
          }
  }
  EXPECT_GT(reach.errors, reach.cases / 2);
}

// Small limits: the history length, nesting, node count, string length and
// file size are refused as the tree path refuses them.
TEST(StateJsonReader, AgreesWithTheTreeReaderUnderSmallLimits) {
  Reach reach;
  for (int variant = 0; variant < 5; ++variant) {
    // A protocol of its own, loaded with the usual limits (it needs them),
    // then given the small ones its states are read with.
    Engine engine(test::bundled_plugins_only());
    engine.load_plugins();
    auto loaded = engine.load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
    ASSERT_TRUE(loaded);
    auto& model =
        const_cast<detail::ProtocolModel&>(detail::ProtocolAccess::model(*loaded.value()));
    if (variant == 0) model.limits.max_history_entries = 1;
    if (variant == 1) model.limits.max_yaml_depth = 3;
    if (variant == 2) model.limits.max_yaml_nodes = 40;
    if (variant == 3) model.limits.max_string_length = 6;
    if (variant == 4) model.limits.max_file_bytes = 300;
    for (const auto& base : bases()) {
      check(base, model, reach);
      for (const auto& [at, length] : tokens(base))
        for (const char* r : {"\"x\"", "[[[[1]]]]", "{\"a\": {\"b\": [1]}}", "null"})
          check(base.substr(0, at) + r + base.substr(at + length), model, reach);
    }
  }
  EXPECT_GT(reach.invalid, 0u);
  EXPECT_GT(reach.errors, 0u);
}

// The positions of problems, asked in any order, are yaml::Locator's.
TEST(StateJsonReader, PositionsAreTheLocatorsInAnyOrder) {
  std::string text = "\xEF\xBB\xBF{\"a\":\t\"caf\xC3\xA9\",\r\n \"\xE2\x82\xAC\": 1}\n";
  for (int i = 0; i < 600; ++i) text += i % 7 ? "\xC3\xA9x" : "\n";
  for (const std::string& t : {text, text.substr(3), std::string(9000, 'x') + text}) {
    detail::json::TextPositions positions(t);
    for (std::size_t step : {std::size_t{1}, std::size_t{97}})
      for (std::size_t back = t.size() + 1; back-- > 0;) {
        const std::size_t offset = back * step % (t.size() + 1);
        detail::yaml::Locator locator(t);
        const auto expected = locator.at(offset);
        const auto got = positions.at(offset);
        ASSERT_EQ(got.line, expected.line) << offset;
        ASSERT_EQ(got.column, expected.column) << offset;
      }
  }
}

// Every history entry of a long one-line state has an unknown key and a bad
// date out of order: each problem is reported, and the positions of the
// mappings read again and of the checks made at the end cost no rescan of
// the line (this test would take minutes with one).
TEST(StateJsonReader, ManyProblemsOnOneLongLine) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  const auto& model = detail::ProtocolAccess::model(*protocol);
  std::string text = bases().front();
  const std::size_t at = text.find("\"history\":[") + 11;
  std::string entries;
  const std::size_t count = model.limits.max_history_entries - 10;
  for (std::size_t i = 0; i < count; ++i)
    entries += std::string(i ? "," : "") + "{\"date\":\"2026-0" +
               std::to_string(1 + (count - i) % 5) + "-01\",\"x" + std::string(1500, 'y') + "\":1}";
  text = text.substr(0, at) + entries + "," + text.substr(at);
  const auto read = test::read_with_json_reader(text, model);
  EXPECT_EQ(read.status, detail::JsonStateStatus::read);
  EXPECT_NE(read.diagnostics.find("unknown key 'xyy"), std::string::npos);
  EXPECT_EQ(test::compare_readers(text, model), "");
}

// The run of plain bytes a string holds as they are ends at the first byte
// that is not one, whichever byte of a sixteen-byte block or eight-byte word
// it is and whatever follows it there; every other printable byte is plain.
TEST(JsonText, PlainAsciiEndStopsAtTheFirstBytePlainTextCannotHold) {
  const std::string stops = std::string("\"\\\x7F\x80\xFF\x1F\t\n", 8) + std::string(1, '\0');
  for (std::size_t length = 0; length < 40; ++length)
    for (const char stop : stops)
      for (const char after : {'a', '"', '\x01', '\xC3'}) {
        const std::string text = std::string(length, 'x') + stop + after + "yyyyyyyyyy";
        for (std::size_t from = 0; from <= length; ++from)
          EXPECT_EQ(detail::json::plain_ascii_end(text, from), length)
              << length << ' ' << int(stop) << ' ' << from;
      }
  EXPECT_EQ(detail::json::plain_ascii_end("abcdefghijk", 0), 11u);
  EXPECT_EQ(detail::json::plain_ascii_end("abcdefghijk", 11), 11u);
  std::string plain;
  for (char c = ' '; c < '\x7F'; ++c)
    if (c != '"' && c != '\\') plain += c;
  for (std::size_t from = 0; from <= plain.size(); ++from)
    EXPECT_EQ(detail::json::plain_ascii_end(plain, from), plain.size()) << from;
}

}  // namespace
