// The strict JSON reader builds the tree the YAML loader builds for the same
// text (kinds, values, quoting, line/column/offset of every node), enforces
// the same limits with the same messages, and hands anything that is not
// strict JSON back to the YAML loader.
#include "json/json_document.hpp"
#include "yaml/document.hpp"

#include "state_maker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace fascia::test {
using namespace fascia::detail;
using namespace fascia::detail::yaml;
namespace {

using json::JsonStatus;
using json::looks_like_json_object;
using json::parse_json_document;
using json::parse_state_document;

using ::testing::HasSubstr;

std::string dump(const Node& node) {
  std::ostringstream out;
  out << node.mark.line << ':' << node.mark.column << '@' << node.mark.offset << ' ';
  switch (node.kind) {
    case NodeKind::null:
      out << "null(" << node.value << ')';
      break;
    case NodeKind::scalar:
      out << (node.plain ? "plain(" : "quoted(") << node.value << ')';
      break;
    case NodeKind::sequence:
      out << '[';
      for (const auto& item : node.items) out << dump(item) << ", ";
      out << ']';
      break;
    case NodeKind::mapping:
      out << '{';
      for (const auto& [key, value] : node.entries) out << dump(key) << ": " << dump(value) << ", ";
      out << '}';
      break;
  }
  return out.str();
}

std::string via_json(const std::string& text, const Limits& limits = {}) {
  Document document;
  Diagnostics diagnostics;
  const JsonStatus status = parse_json_document(text, "t.json", limits, document, diagnostics);
  if (status != JsonStatus::ok) return "not ok: " + diagnostics.front().to_string();
  return dump(document.root);
}

std::string via_yaml(const std::string& text) {
  Document document;
  Diagnostics diagnostics;
  if (!parse_document(text, "t.json", Limits{}, document, diagnostics))
    return "not ok: " + diagnostics.front().to_string();
  return dump(document.root);
}

JsonStatus status_of(const std::string& text, Diagnostics& diagnostics, const Limits& limits = {}) {
  Document document;
  return parse_json_document(text, "t.json", limits, document, diagnostics);
}

TEST(JsonDocumentTest, SameTreeAsTheYamlLoader) {
  const char* texts[] = {
      R"({})",
      R"({"a": 1})",
      R"({"a":1,"b":-2.5e3,"c":0,"d":1E-2,"e":true,"f":false,"g":null})",
      R"({"list": [1, "two", [], {}, [null, true]], "empty": ""})",
      "{\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  },\n  \"c\": \"x\"\n}\n",
      // (A tab inside the braces: libyaml refuses one before the '{', in
      // the indentation, as YAML does; JSON takes it, below.)
      "  {\t\"padded\" :  [ 1 ,2 ] }\t \n",
      R"({"unicode": "h\u00e9llo \u4e2d", "raw": "héllo 中 😀", "after": 1})",
      "{\"é\": \"ü\", \"中文\": [\"😀\", 2]}",
      R"({"escapes": "q\" b\\ s\/ \b\f\n\r\t", "next": "x"})",
  };
  for (const char* text : texts) EXPECT_EQ(via_json(text), via_yaml(text)) << text;
  EXPECT_EQ(via_json("  \t{\"padded\" :  [ 1 ,2 ] }  \n"),
            "1:4@3 {1:5@4 quoted(padded): 1:17@16 [1:19@18 plain(1), 1:22@21 plain(2), ], }");
}

TEST(JsonDocumentTest, SameTreeForGeneratedStatesAndTheExampleFile) {
  fascia::bench::StateMaker maker;
  for (int n = 1; n <= 200; ++n) {
    const std::string state = maker.next(n);
    ASSERT_EQ(via_json(state), via_yaml(state)) << state;
  }
  std::ifstream in(FASCIA_SOURCE_DIR "/protocols/examples/fibromyalgia-client.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(via_json(text.str()), via_yaml(text.str()));
}

TEST(JsonDocumentTest, DecodesEscapesAndSurrogatePairs) {
  Document document;
  Diagnostics diagnostics;
  ASSERT_EQ(
      parse_json_document(R"({"s": "\ud83d\ude00\u00e9\n\"\\\/"})", "t", {}, document, diagnostics),
      JsonStatus::ok);
  EXPECT_EQ(document.root.entries.at(0).second.value, "\xF0\x9F\x98\x80\xC3\xA9\n\"\\/");
  EXPECT_FALSE(document.root.entries.at(0).second.plain);
}

TEST(JsonDocumentTest, ColumnsCountCodePointsAndSkipTheByteOrderMark) {
  Document document;
  Diagnostics diagnostics;
  ASSERT_EQ(
      parse_json_document("\xEF\xBB\xBF{\"é中\": 1, \"b\": 2}", "t", {}, document, diagnostics),
      JsonStatus::ok);
  EXPECT_EQ(document.root.mark.column, 1u);
  const auto& [key, value] = document.root.entries.at(1);
  EXPECT_EQ(key.mark.column, 11u);  // {"é中": 1, "b"
  EXPECT_EQ(value.mark.column, 16u);
}

TEST(JsonDocumentTest, DuplicateKeysAreRefusedLikeInYaml) {
  const std::string text = "{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2},\n \"a\": 3}";
  Diagnostics json;
  EXPECT_EQ(status_of(text, json), JsonStatus::invalid);
  Document document;
  Diagnostics yaml;
  EXPECT_FALSE(parse_document(text, "t.json", {}, document, yaml));
  ASSERT_EQ(json.size(), 2u);
  ASSERT_EQ(yaml.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(json[i].to_string(), yaml[i].to_string());
  EXPECT_EQ(json[0].to_string(), "t.json:2:16: error: duplicate key 'c' (first defined at line 2)");
}

TEST(JsonDocumentTest, ManyKeysStillFindDuplicates) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i)
    text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  text += "\"k42\": 0}";
  Diagnostics diagnostics;
  EXPECT_EQ(status_of(text, diagnostics), JsonStatus::invalid);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_THAT(diagnostics[0].message, HasSubstr("duplicate key 'k42'"));
}

TEST(JsonDocumentTest, LimitsAndTheirMessages) {
  Limits limits;
  limits.max_yaml_depth = 3;
  Diagnostics deep;
  EXPECT_EQ(status_of(R"({"a": {"b": {"c": {"d": 1}}}})", deep, limits), JsonStatus::invalid);
  EXPECT_EQ(deep.at(0).to_string(), "t.json:1:19: error: nesting too deep (more than 3 levels)");

  limits = {};
  limits.max_yaml_nodes = 5;
  Diagnostics nodes;
  EXPECT_EQ(status_of(R"({"a": [1, 2, 3, 4]})", nodes, limits), JsonStatus::invalid);
  EXPECT_THAT(nodes.at(0).message, HasSubstr("too many YAML nodes (more than 5)"));

  limits = {};
  limits.max_string_length = 4;
  Diagnostics strings;
  EXPECT_EQ(status_of(R"({"a": "12345", "b": "é234"})", strings, limits), JsonStatus::invalid);
  ASSERT_EQ(strings.size(), 1u);
  EXPECT_EQ(strings[0].to_string(), "t.json:1:7: error: string too long (more than 4 characters)");

  limits = {};
  limits.max_file_bytes = 8;
  Diagnostics size;
  EXPECT_EQ(status_of(R"({"a": 12345})", size, limits), JsonStatus::invalid);
  EXPECT_THAT(size.at(0).message, HasSubstr("file is too large"));
}

TEST(JsonDocumentTest, NotStrictJsonIsLeftToTheYamlLoader) {
  const char* texts[] = {
      "{a: 1}",        // YAML flow style
      R"({"a": 01})",  // leading zero
      R"({"a": .5})",
      R"({"a": 'x'})",
      R"({"a": "x" # comment
})",
      R"({"a": "\x41"})",        // YAML escape, not JSON
      R"({"a": "\ud800"})",      // lone surrogate
      "{\"a\": \"tab\there\"}",  // raw control character
      "{\"a\": \"\xC3\"}",       // invalid UTF-8
      "{\"a\": \"\xC2\x80\"}",   // C1 control
      R"({"a": 1} {"b": 2})",
      R"({"a": tru})",
      R"({"a": 1)",
  };
  for (const char* text : texts) {
    Diagnostics diagnostics;
    EXPECT_EQ(status_of(text, diagnostics), JsonStatus::not_json) << text;
    ASSERT_FALSE(diagnostics.empty());
    EXPECT_THAT(diagnostics.front().message, HasSubstr("invalid JSON: ")) << text;
  }
}

TEST(JsonDocumentTest, TrailingCommaIsRefusedNotLeftToTheYamlLoader) {
  // YAML would read `{"a": 1,}` as a flow mapping: a JSON client state with
  // a trailing comma would then be accepted (issue 11).
  for (const char* text : {R"({"a": 1,})", R"({"a": [1, 2, ]})", "{\"a\": {\"b\": 1,\n}}"}) {
    Diagnostics diagnostics;
    EXPECT_EQ(status_of(text, diagnostics), JsonStatus::invalid) << text;
    ASSERT_EQ(diagnostics.size(), 1u) << text;
    EXPECT_THAT(diagnostics[0].message, HasSubstr("(JSON allows no trailing comma); remove it"));
  }
  Diagnostics diagnostics;
  Document document;
  EXPECT_FALSE(parse_state_document("{\"a\": [1, 2 ,\n  ]}", "t.json", {}, document, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].to_string(),
            "t.json:1:13: error: invalid JSON: a comma before ']' (JSON allows no trailing "
            "comma); remove it");
}

TEST(JsonDocumentTest, StateEntryPointFallsBackToYaml) {
  Document document;
  Diagnostics diagnostics;
  ASSERT_TRUE(parse_state_document("{a: [1, x]}", "t", {}, document, diagnostics));
  EXPECT_EQ(dump(document.root), via_yaml("{a: [1, x]}"));
  // Encoding problems are reported by the YAML loader, as before.
  EXPECT_FALSE(parse_state_document("{\"a\": \"\xC3\"}", "t", {}, document, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "file is not valid UTF-8 text");
  // YAML text never goes near the JSON reader.
  diagnostics.clear();
  ASSERT_TRUE(parse_state_document("a: 1\n", "t", {}, document, diagnostics));
  EXPECT_TRUE(document.root.is_mapping());
  EXPECT_TRUE(looks_like_json_object(" \n{"));
  EXPECT_FALSE(looks_like_json_object("a: {}"));
}

}  // namespace
}  // namespace fascia::test
