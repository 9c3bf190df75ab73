// The fast JSON state reader (core/state_json_fast.cpp) against the document
// path it short-cuts: on valid states and on many mutations of them, every
// state the fast reader accepts is accepted by the document path with the
// same result; and it does accept the common form (or batch gains nothing).
#include "core/state_json_fast.hpp"
#include "core/protocol_access.hpp"

#include <fascia/engine.hpp>

#include <gtest/gtest.h>

#include "../../tools/bench/state_maker.hpp"
#include "../bundled_plugins.hpp"
#include "../fuzz/state_compare.hpp"

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
  for (int n = 1; n <= 24; ++n) out.push_back(maker.next(n));
  for (const char* name : {"fibromyalgia-client.json"}) {
    std::ifstream in(std::string(FASCIA_SOURCE_DIR "/protocols/examples/") + name);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

TEST(StateJsonFast, AcceptsTheCommonFormWithTheSameResult) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
  for (const auto& text : bases()) {
    ClientState fast, slow;
    ASSERT_TRUE(detail::read_json_state_fast(text, detail::ProtocolAccess::model(*protocol), fast))
        << text;
    ASSERT_TRUE(
        test::read_state_through_document(text, detail::ProtocolAccess::model(*protocol), slow))
        << text;
    EXPECT_EQ(test::dump(fast), test::dump(slow)) << text;
  }
}

TEST(StateJsonFast, AcceptsOnlyWhatTheDocumentPathAccepts) {
  auto protocol = fibromyalgia();
  ASSERT_TRUE(protocol);
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
  std::size_t accepted = 0, cases = 0;
  const auto check = [&](const std::string& text) {
    ++cases;
    ClientState fast, slow;
    if (!detail::read_json_state_fast(text, detail::ProtocolAccess::model(*protocol), fast)) return;
    ++accepted;
    ASSERT_TRUE(
        test::read_state_through_document(text, detail::ProtocolAccess::model(*protocol), slow))
        << text;
    ASSERT_EQ(test::dump(fast), test::dump(slow)) << text;
  };
  for (const auto& base : bases()) {
    for (const auto& [at, length] : tokens(base))
      for (const auto& r : replacements) check(base.substr(0, at) + r + base.substr(at + length));
    // Cut and doubled characters: syntax errors, duplicates, truncation.
    for (std::size_t i = 0; i < base.size(); i += 7) {
      check(base.substr(0, i) + base.substr(i + 1));
      check(base.substr(0, i) + base[i] + base.substr(i));
    }
    check(" \r\n\t" + base + "\n ");
    check("\xEF\xBB\xBF" + base);
    check(base + "x");
  }
  EXPECT_GT(accepted, cases / 20);  // the mutations do not all miss the fast path
}

}  // namespace
