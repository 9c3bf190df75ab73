// The common YAML mistakes of protocol authors, each located where the
// author has to fix it, all in one pass (issue 11).

#include "yaml/hints.hpp"
#include "yaml/document.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fascia::test {
using namespace fascia::detail;
using namespace fascia::detail::yaml;
namespace {

using ::testing::ElementsAre;

std::vector<std::string> errors(const std::string& text) {
  Document document;
  Diagnostics diagnostics;
  parse_document(text, "p.yaml", {}, document, diagnostics);
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.to_string());
  return out;
}

TEST(YamlHints, EveryUnquotedColonValueInOnePass) {
  const std::string text =
      "rules:\n"
      "  - id: a\n"
      "    reason: Flare: go gently\n"
      "  - {id: b, when: x}\n"
      "  - id: c\n"
      "    reason: Sore: {cap} at most\n"
      "    note: ends with a colon:\n"
      "    url: http://example.org/a:b\n"
      "    time: 10:30\n"
      "    quoted: \"fine: quoted\"\n"
      "    comment: fine # a comment: here\n"
      "    block: |\n"
      "      inside: a block: fine\n"
      "    after: ok\n";
  EXPECT_THAT(errors(text),
              ElementsAre("p.yaml:3:18: error: the value of 'reason' contains ': ', which YAML "
                          "reads as another key; quote the whole value: reason: \"Flare: go "
                          "gently\"",
                          "p.yaml:6:17: error: the value of 'reason' contains ': ', which YAML "
                          "reads as another key; quote the whole value: reason: \"Sore: {cap} at "
                          "most\"",
                          "p.yaml:7:28: error: the value of 'note' contains ': ', which YAML reads "
                          "as another key; quote the whole value: note: \"ends with a colon:\""));
}

TEST(YamlHints, ValidYamlHasNoColonProblem) {
  EXPECT_TRUE(
      unquoted_colons("a: b\nc: 'x: y'\nd: \"x: y\"\ne: [a, b]\nf: {g: h}\n- i: j\n").empty());
  EXPECT_TRUE(unquoted_colons("text: >\n  folded: text: here\nnext: 1\n").empty());
}

TEST(YamlHints, MissingClosingQuoteIsReportedWhereTheStringOpens) {
  const std::string text =
      "a: 1\n"
      "reason: \"Flare, go gently\n"
      "cap: 3\n"
      "when: x\n"
      "- y\n";
  const auto found = errors(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0],
            "p.yaml:2:9: error: this double-quoted string is not closed on its line (YAML then "
            "reads the next lines into it); add the closing \"");
}

TEST(YamlHints, ClosedMultiLineQuotedStringIsNotBlamed) {
  EXPECT_FALSE(unclosed_quote_before("a: \"one\n  two\"\nb: [\n", 18));
  EXPECT_FALSE(unclosed_quote_before("it's: fine\nb: [\n", 14));
}

TEST(YamlHints, OldMacLineEndingsAreLineBreaks) {
  Document document;
  Diagnostics diagnostics;
  ASSERT_TRUE(parse_document("a: 1\rb:\r  c: 2\r", "p.yaml", {}, document, diagnostics));
  ASSERT_NE(document.root.find("b"), nullptr);
  ASSERT_NE(document.root.find("b")->find("c"), nullptr);
  EXPECT_EQ(document.root.find("b")->find("c")->mark.line, 3u);
}

}  // namespace
}  // namespace fascia::test
