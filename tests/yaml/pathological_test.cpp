// Hostile and broken inputs: each must end quickly with a clear, located
// error, never hang, exhaust memory or overflow the stack (PITFALLS.md).

#include "../sanitizer_build.hpp"
#include "../thread_cpu_clock.hpp"
#include "test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

using namespace fascia::detail::yaml;
using fascia::test::parse;
using fascia::test::Parsed;
using ::testing::ElementsAre;

// Generous: the point is "not seconds of CPU or an endless loop", on a
// shared, loaded 2-core machine. Sanitizer builds (CI's 10-asan stage) run
// several times slower: the budget scales, the hang detection stays.
constexpr int slowdown = fascia::test::sanitizer_build ? 10 : 1;
constexpr auto time_budget = std::chrono::seconds(3) * slowdown;

Parsed timed_parse(const std::string& text, const fascia::Limits& limits = {}) {
  const auto start = fascia::test::ThreadCpuClock::now();
  Parsed p = parse(text, limits);
  EXPECT_LT(fascia::test::ThreadCpuClock::now() - start, time_budget) << text.substr(0, 40);
  return p;
}

TEST(Pathological, HundredThousandOpenBrackets) {
  const auto p = timed_parse(std::string(100'000, '['));
  EXPECT_FALSE(p.ok);
  EXPECT_THAT(p.messages(),
              ElementsAre("t.yaml:1:49: error: nesting too deep (more than 48 levels)"));
}

TEST(Pathological, FourMegabytesOfOpenBracketsAndBraces) {
  // Without the pre-scan yaml-cpp would tokenize all of it first (~1 GB).
  EXPECT_EQ(timed_parse(std::string(4'000'000, '[')).first(),
            "t.yaml:1:49: error: nesting too deep (more than 48 levels)");
  std::string maps;
  for (int i = 0; i < 100'000; ++i) maps += "{a: ";
  EXPECT_EQ(timed_parse(maps).first(),
            "t.yaml:1:193: error: nesting too deep (more than 48 levels)");
  // After a quoted scalar or a closed collection, where the brackets are a
  // syntax error that yaml-cpp only reports once it has tokenized them all.
  for (const std::string prefix : {"- 'x' ", "'x' ", "[a] ", "{a: b} "})
    EXPECT_EQ(timed_parse(prefix + std::string(2'000'000, '[')).first(),
              "t.yaml:1:" + std::to_string(prefix.size() + 49) +
                  ": error: nesting too deep (more than 48 levels)")
        << prefix;
  std::string nested_lines;  // the same across lines, inside a block mapping
  nested_lines += "key:\n";
  for (int i = 0; i < 100'000; ++i) nested_lines += "  [\n";
  EXPECT_EQ(timed_parse(nested_lines).first(),
            "t.yaml:50:3: error: nesting too deep (more than 48 levels)");
}

TEST(Pathological, DeepBlockNesting) {
  std::string dashes;
  for (int i = 0; i < 100'000; ++i) dashes += "- ";
  dashes += "x\n";
  EXPECT_EQ(timed_parse(dashes).first(),
            "t.yaml:1:97: error: nesting too deep (more than 48 levels)");

  std::string staircase;
  for (int i = 0; i < 2'000; ++i) staircase += std::string(i, ' ') + "k:\n";
  EXPECT_EQ(timed_parse(staircase).first(),
            "t.yaml:49:49: error: nesting too deep (more than 48 levels)");
}

TEST(Pathological, HugeFlatFlowSequence) {
  // 300000 entries in one flow list: refused before yaml-cpp queues them all.
  std::string text = "[";
  for (int i = 0; i < 300'000; ++i) text += "a,";
  text += "a]";
  EXPECT_EQ(timed_parse(text).first(),
            "t.yaml:1:400001: error: too many YAML nodes (more than 200000)");
}

TEST(Pathological, HugeBlockDocument) {
  std::string text;
  for (int i = 0; i < 150'000; ++i) text += "k" + std::to_string(i) + ": v\n";
  const auto p = timed_parse(text);
  EXPECT_EQ(p.first(), "t.yaml:100000:9: error: too many YAML nodes (more than 200000)");
}

TEST(Pathological, BillionLaughs) {
  const std::string text =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  const auto p = timed_parse(text);
  EXPECT_THAT(
      p.messages(),
      ElementsAre("t.yaml:1:4: error: anchors and aliases are not allowed in fascia files"));
}

TEST(Pathological, LoneCommaAndOtherStrayTokens) {
  // yaml-cpp 0.7's LoadAll loops forever on these (#1040).
  EXPECT_EQ(timed_parse(",").first(), "t.yaml:1:1: error: unexpected ','");
  EXPECT_EQ(timed_parse("\n\n  ,\n").first(), "t.yaml:3:3: error: unexpected ','");
  EXPECT_EQ(timed_parse("[a] ,").first(), "t.yaml:1:5: error: unexpected ','");
  EXPECT_EQ(timed_parse("{a: 1} ,\n").first(), "t.yaml:1:8: error: unexpected ','");
  EXPECT_FALSE(timed_parse("]").ok);
  EXPECT_FALSE(timed_parse("- !+(.,.)").ok);
  EXPECT_FALSE(timed_parse("[:").ok);
  EXPECT_FALSE(timed_parse("{:").ok);
  EXPECT_FALSE(timed_parse("{# ke\ny{:").ok);
  EXPECT_FALSE(timed_parse("bad YAML: [").ok);
}

TEST(Pathological, BinaryTag) {
  EXPECT_EQ(timed_parse("- !!binary").first(),
            "t.yaml:1:3: error: YAML tags ('!!binary') are not allowed in fascia files");
  EXPECT_EQ(timed_parse("- !!binary |\n  R0lGODlhDAAMAIQAAP\n").first(),
            "t.yaml:1:3: error: YAML tags ('!!binary') are not allowed in fascia files");
}

TEST(Pathological, Tabs) {
  EXPECT_EQ(timed_parse("stage:\n\tid: a\n").first(),
            "t.yaml:2:1: error: tabs are not allowed in YAML indentation; use spaces");
  EXPECT_EQ(timed_parse("\t- a\n").first(),
            "t.yaml:1:1: error: tabs are not allowed in YAML indentation; use spaces");
}

TEST(Pathological, NulByteAndInvalidUtf8) {
  EXPECT_EQ(timed_parse(std::string("id: a\0b\n", 8)).first(),
            "t.yaml:1:6: error: file contains a NUL byte (fascia files must be UTF-8 text)");
  EXPECT_EQ(timed_parse("id: caf\xE9\n").first(),  // Latin-1, not UTF-8
            "t.yaml:1:8: error: file is not valid UTF-8 text");
}

TEST(Pathological, LongScalarsAndLines) {
  // One 4 MB scalar: over the string limit, refused, quickly.
  const auto p = timed_parse("v: " + std::string(4'000'000, 'a'));
  EXPECT_EQ(p.first(), "t.yaml:1:4: error: string too long (more than 8192 characters)");
  EXPECT_TRUE(timed_parse(std::string(4'000'000, ' ') + "\n").ok);
  EXPECT_TRUE(timed_parse("#" + std::string(4'000'000, '#') + "\n").ok);
}

TEST(Pathological, FileOverTheSizeLimitIsNotRead) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "fascia_yaml_test_5mb.yaml").string();
  {
    std::ofstream out(path, std::ios::binary);
    const std::string line = "k: " + std::string(60, 'v') + "\n";
    for (std::size_t written = 0; written < 5u << 20; written += line.size()) out << line;
  }
  const auto size = std::filesystem::file_size(path);
  Document document;
  fascia::Diagnostics diagnostics;
  const auto start = fascia::test::ThreadCpuClock::now();
  EXPECT_FALSE(load_document(path, {}, document, diagnostics));
  EXPECT_LT(fascia::test::ThreadCpuClock::now() - start, time_budget);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].to_string(), path + ": error: file is too large (" +
                                            std::to_string(size) +
                                            " bytes; the limit is 4194304 bytes)");
  EXPECT_TRUE(document.text.empty());
  std::remove(path.c_str());
}

TEST(Pathological, ManyAnchorsReportedOnce) {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "k" + std::to_string(i) + ": &a" + std::to_string(i) + " x\n";
  EXPECT_EQ(timed_parse(text).diagnostics.size(), 1u);
}

TEST(Pathological, ErrorFloodIsCapped) {
  std::string text;
  for (int i = 0; i < 5'000; ++i) text += "- {a: 1, a: 2}\n";
  const auto p = timed_parse(text);
  EXPECT_FALSE(p.ok);
  ASSERT_EQ(p.diagnostics.size(), 101u);
  EXPECT_EQ(p.diagnostics.back().message, "too many errors; stopping here");
}

// A worker thread of a host application may have a small stack: nothing we
// accept or refuse may need more than a fraction of 256 KiB.
TEST(Pathological, SmallThreadStack) {
  struct Job {
    std::vector<std::string> inputs;
    std::vector<std::string> results;
  } job;
  std::string deepest_allowed;
  for (int i = 0; i < 48; ++i) deepest_allowed += std::string(2 * i, ' ') + "k:\n";
  std::string dashes;
  for (int i = 0; i < 100'000; ++i) dashes += "- ";
  job.inputs = {deepest_allowed, std::string(48, '[') + std::string(48, ']'),
                std::string(100'000, '['), dashes};
  const auto run = [](void* arg) -> void* {
    auto* job = static_cast<Job*>(arg);
    for (const auto& input : job->inputs) job->results.push_back(parse(input).first());
    return nullptr;
  };
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, 256 * 1024), 0);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attributes, run, &job), 0);
  ASSERT_EQ(pthread_join(thread, nullptr), 0);
  pthread_attr_destroy(&attributes);
  EXPECT_THAT(job.results,
              ElementsAre("", "", "t.yaml:1:49: error: nesting too deep (more than 48 levels)",
                          "t.yaml:1:97: error: nesting too deep (more than 48 levels)"));
}

// Every short string over YAML's special characters must terminate, with or
// without an error, and never throw: a guard against yaml-cpp's loops.
TEST(Pathological, ShortRandomInputsTerminate) {
  const std::string alphabet = "[]{},:?-!&*|>'\"#%@` \n\tab0~.";
  std::mt19937 random(12345);
  const auto start = fascia::test::ThreadCpuClock::now();
  for (int round = 0; round < 20'000; ++round) {
    std::string text;
    const int length = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    Document document;
    fascia::Diagnostics diagnostics;
    const bool ok = parse_document(text, "r.yaml", {}, document, diagnostics);
    EXPECT_EQ(ok, diagnostics.empty()) << text;
    for (const auto& d : diagnostics) EXPECT_GT(d.location.line, 0u) << text << d.to_string();
  }
  EXPECT_LT(fascia::test::ThreadCpuClock::now() - start, std::chrono::seconds(20) * slowdown);
}

}  // namespace
