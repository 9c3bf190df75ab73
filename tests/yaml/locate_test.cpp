// locate_in_scalar: offsets inside a scalar's value mapped back to the text,
// through quoting, escapes and folded/literal line breaks.

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace fascia::detail::yaml;
using fascia::test::parse;

// Location of the first occurrence of `needle` in the value of key `when`
// (found with a depth-first search), as "line:col".
const Node* find_when(const Node& node) {
  if (const Node* n = node.find("when")) return n;
  for (const auto& item : node.items)
    if (const Node* n = find_when(item)) return n;
  for (const auto& [key, value] : node.entries)
    if (const Node* n = find_when(value)) return n;
  return nullptr;
}

struct Located {
  std::string value;
  std::string at;  // "line:col"
};

Located locate(const std::string& text, const std::string& needle, std::size_t nth_char = 0) {
  const auto p = parse(text);
  EXPECT_TRUE(p.ok) << p.first();
  const Node* when = find_when(p.document.root);
  if (!when) return {"<no when>", ""};
  const std::size_t offset = needle.empty() ? nth_char : when->value.find(needle) + nth_char;
  const auto location = locate_in_scalar(p.document, *when, offset);
  return {when->value, std::to_string(location.line) + ":" + std::to_string(location.column)};
}

TEST(LocateInScalar, PlainMultiLine) {
  const std::string text = "when: pain.current > 6\n  and flare.active\n";
  auto r = locate(text, "flare");
  EXPECT_EQ(r.value, "pain.current > 6 and flare.active");
  EXPECT_EQ(r.at, "2:7");
  EXPECT_EQ(locate(text, "and").at, "2:3");
  EXPECT_EQ(locate(text, "pain").at, "1:7");
  EXPECT_EQ(locate(text, " and").at, "1:23");  // the folded line break
  EXPECT_EQ(locate(text, "", 33).at, "2:19");  // one past the end
}

TEST(LocateInScalar, SingleQuoted) {
  const std::string text = "when: 'name == ''x'' and\n  pressure > 5'\n";
  auto r = locate(text, "pressure");
  EXPECT_EQ(r.value, "name == 'x' and pressure > 5");
  EXPECT_EQ(r.at, "2:3");
  EXPECT_EQ(locate(text, "x").at, "1:18");
  EXPECT_EQ(locate(text, "'x").at, "1:16");  // the '' escape
  EXPECT_EQ(locate(text, "and").at, "1:22");
}

TEST(LocateInScalar, DoubleQuotedWithEscapes) {
  const std::string text = "when: \"\\\"b\\\" \\u00e9 > 1 and\n  flare.active\"\n";
  auto r = locate(text, "flare");
  EXPECT_EQ(r.value, "\"b\" \xC3\xA9 > 1 and flare.active");
  EXPECT_EQ(r.at, "2:3");
  EXPECT_EQ(locate(text, "b").at, "1:10");
  EXPECT_EQ(locate(text, "\xC3\xA9").at, "1:14");
  EXPECT_EQ(locate(text, "\xC3\xA9", 1).at, "1:14");  // inside the escape's bytes
  EXPECT_EQ(locate(text, ">").at, "1:21");
}

TEST(LocateInScalar, DoubleQuotedEscapedLineBreakAndBlankLine) {
  auto r = locate("when: \"pain.current > 6 and \\\n  flare.active\"\n", "flare");
  EXPECT_EQ(r.value, "pain.current > 6 and flare.active");
  EXPECT_EQ(r.at, "2:3");
  r = locate("when: \"a\n\n  b\"\n", "b");
  EXPECT_EQ(r.value, "a\nb");
  EXPECT_EQ(r.at, "3:3");
}

TEST(LocateInScalar, Literal) {
  const std::string text = "when: |\n  pain.current > 6 and\n    flare.active\n";
  auto r = locate(text, "flare");
  EXPECT_EQ(r.value, "pain.current > 6 and\n  flare.active\n");
  EXPECT_EQ(r.at, "3:5");
  EXPECT_EQ(locate(text, "pain").at, "2:3");
  EXPECT_EQ(locate(text, "  flare").at, "3:3");
}

TEST(LocateInScalar, Folded) {
  const std::string text =
      "when: >-  # comment\n  pain.current > 6 and\n  flare.active\n\n  or x\n";
  auto r = locate(text, "flare");
  EXPECT_EQ(r.value, "pain.current > 6 and flare.active\nor x");
  EXPECT_EQ(r.at, "3:3");
  EXPECT_EQ(locate(text, "or").at, "5:3");
  EXPECT_EQ(locate(text, "6").at, "2:18");
}

TEST(LocateInScalar, BlockScalarNestedInAList) {
  auto r = locate("rules:\n  - id: r1\n    when: |\n      a and\n      b\n", "b");
  EXPECT_EQ(r.value, "a and\nb\n");
  EXPECT_EQ(r.at, "5:7");
}

TEST(LocateInScalar, CrLfLineEnds) {
  EXPECT_EQ(locate("when: a >\r\n  b\r\n", "b").at, "2:3");
  EXPECT_EQ(locate("when: |\r\n  a >\r\n  b\r\n", "b").at, "3:3");
  EXPECT_EQ(locate("when: 'a >\r\n  b'\r\n", "b").at, "2:3");
}

TEST(LocateInScalar, ColumnsCountCharacters) {
  auto r = locate("when: \xC3\xA9 > 1 and\n  \xC3\xBC > 2\n", "> 2");
  EXPECT_EQ(r.value, "\xC3\xA9 > 1 and \xC3\xBC > 2");
  EXPECT_EQ(r.at, "2:5");
}

TEST(LocateInScalar, FlowContext) {
  EXPECT_EQ(locate("{when: a >\n   b}\n", "b").at, "2:4");
  EXPECT_EQ(locate("- {id: x, when: \"a\n    > b\"}\n", "b").at, "2:7");
}

// Byte offset of a one-based line and column (columns count code points).
std::size_t offset_of(std::string_view text, std::uint32_t line, std::uint32_t column) {
  std::size_t i = 0;
  for (std::uint32_t l = 1; l < line; ++l) i = text.find('\n', i) + 1;
  for (std::uint32_t c = 1; c < column && i < text.size(); ++c) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Every visible character of every scalar must be located on that same
// character in the text (or on the backslash of the escape producing it).
void expect_every_character_located(const Document& document, const Node& node) {
  if (node.is_scalar()) {
    const bool double_quoted = document.text[node.mark.offset] == '"';
    for (std::size_t k = 0; k < node.value.size(); ++k) {
      const char v = node.value[k];
      if (v == ' ' || v == '\n' || (static_cast<unsigned char>(v) & 0xC0) == 0x80) continue;
      const auto location = locate_in_scalar(document, node, k);
      const std::size_t at = offset_of(document.text, location.line, location.column);
      ASSERT_LT(at, document.text.size());
      if (double_quoted && document.text[at] == '\\') continue;
      EXPECT_EQ(document.text[at], v)
          << "value '" << node.value << "' offset " << k << " at " << location.to_string();
    }
  }
  for (const auto& item : node.items) expect_every_character_located(document, item);
  for (const auto& [key, value] : node.entries) {
    expect_every_character_located(document, key);
    expect_every_character_located(document, value);
  }
}

TEST(LocateInScalar, EveryCharacterOfEveryStyle) {
  const std::string text =
      "id: fibro\n"
      "'quoted key': \"x\"\n"
      "plain: pain.current > 6 and\n"
      "   flare.active   \n"
      "\n"
      "   or sleep_quality < 4\n"
      "single: 'it''s (a > b)\n"
      "  and ''c''\n"
      "\n"
      "  d'\n"
      "double: \"tab\\there \\\"q\\\" \\u00e9\\x41 \\\n"
      "    next\n"
      "\n"
      "    last \\\\ end\"\n"
      "literal: |+\n"
      "  line one\n"
      "    indented two\n"
      "\n"
      "  three\n"
      "folded: >\n"
      "  alpha beta\n"
      "  gamma\n"
      "\n"
      "    more indented\n"
      "  delta\n"
      "list:\n"
      "  - \"\xC3\xA9t\xC3\xA9 > 1\"\n"
      "  - {when: \xC3\xBC > 2,\n"
      "     then: [a, 'b c', \"d\"]}\n"
      "  - - nested: >-\n"
      "        x\n"
      "        y\n";
  for (const std::string& variant : {text, [&] {
                                       std::string crlf;
                                       for (const char c : text)
                                         crlf +=
                                             c == '\n' ? std::string("\r\n") : std::string(1, c);
                                       return crlf;
                                     }()}) {
    const auto p = parse(variant);
    ASSERT_TRUE(p.ok) << p.first();
    EXPECT_EQ(p.document.root.find("single")->value, "it's (a > b) and 'c'\nd");
    expect_every_character_located(p.document, p.document.root);
  }
}

TEST(LocateInScalar, NonScalarFallsBackToTheNode) {
  const auto p = parse("when: [a, b]\n");
  ASSERT_TRUE(p.ok);
  const auto location = locate_in_scalar(p.document, *p.document.root.find("when"), 3);
  EXPECT_EQ(location.to_string(), "t.yaml:1:7");
}

}  // namespace
