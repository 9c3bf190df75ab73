#include "test_util.hpp"
#include "yaml/text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using namespace fascia::detail::yaml;
using fascia::test::parse;
using ::testing::ElementsAre;

std::string where(const Node& node) {
  return std::to_string(node.mark.line) + ":" + std::to_string(node.mark.column) + "@" +
         std::to_string(node.mark.offset);
}

// --- The tree -------------------------------------------------------------

TEST(Document, BuildsTreeWithKindsValuesAndStyles) {
  const auto p = parse(
      "id: fibro\n"
      "version: \"1.0\"\n"
      "stages:\n"
      "  - id: foundation\n"
      "    techniques: [swedish, 'mfr']\n"
      "  - id: build\n"
      "note: |\n"
      "  keep it gentle\n");
  ASSERT_TRUE(p.ok) << p.first();
  const Node& root = p.document.root;
  ASSERT_TRUE(root.is_mapping());
  ASSERT_EQ(root.entries.size(), 4u);
  EXPECT_EQ(root.entries[0].first.value, "id");
  EXPECT_EQ(root.find("id")->value, "fibro");
  EXPECT_TRUE(root.find("id")->plain);
  EXPECT_EQ(root.find("version")->value, "1.0");
  EXPECT_FALSE(root.find("version")->plain);
  EXPECT_EQ(root.find("note")->value, "keep it gentle\n");
  EXPECT_FALSE(root.find("note")->plain);
  EXPECT_EQ(root.find("missing"), nullptr);

  const Node& stages = *root.find("stages");
  ASSERT_TRUE(stages.is_sequence());
  ASSERT_EQ(stages.items.size(), 2u);
  const Node& techniques = *stages.items[0].find("techniques");
  ASSERT_TRUE(techniques.is_sequence());
  EXPECT_EQ(techniques.items[0].value, "swedish");
  EXPECT_TRUE(techniques.items[0].plain);
  EXPECT_EQ(techniques.items[1].value, "mfr");
  EXPECT_FALSE(techniques.items[1].plain);
  EXPECT_EQ(stages.items[1].find("id")->value, "build");
  EXPECT_EQ(p.document.file, "t.yaml");
}

TEST(Document, MarksOfNestedNodes) {
  const auto p = parse(
      "a: 1\n"              // offset 0
      "b:\n"                // 5
      "  c: [x, {d: e}]\n"  // 8
      "  f:\n"              // 25
      "    - g\n"           // 30
      "    -   h: 'i'\n");  // 38
  ASSERT_TRUE(p.ok) << p.first();
  const Node& root = p.document.root;
  EXPECT_EQ(where(root), "1:1@0");  // a mapping: its first key
  EXPECT_EQ(where(root.entries[0].first), "1:1@0");
  EXPECT_EQ(where(*root.find("a")), "1:4@3");
  const Node& b = *root.find("b");
  EXPECT_EQ(where(b), "3:3@10");
  const Node& c = *b.find("c");
  EXPECT_EQ(where(c), "3:6@13");  // the '['
  EXPECT_EQ(where(c.items[0]), "3:7@14");
  EXPECT_EQ(where(c.items[1]), "3:10@17");  // the '{'
  EXPECT_EQ(where(*c.items[1].find("d")), "3:14@21");
  const Node& f = *b.find("f");
  EXPECT_EQ(where(f), "5:5@34");  // a sequence: its first '-'
  EXPECT_EQ(where(f.items[0]), "5:7@36");
  EXPECT_EQ(where(f.items[1]), "6:9@46");
  EXPECT_EQ(where(*f.items[1].find("h")), "6:12@49");

  EXPECT_EQ(location_of(p.document, c.items[0]).to_string(), "t.yaml:3:7");
}

TEST(Document, ColumnsCountCharactersNotBytes) {
  const auto p = parse("\xC3\xA9t\xC3\xA9: x\nb: \"\xC3\xA9\xC3\xA9\" # c\n");
  ASSERT_TRUE(p.ok) << p.first();
  EXPECT_EQ(where(p.document.root.entries[0].second), "1:6@7");
  EXPECT_EQ(p.document.root.entries[0].first.value, "\xC3\xA9t\xC3\xA9");
}

TEST(Document, ByteOrderMarkAndCrlf) {
  const auto p = parse(
      "\xEF\xBB\xBF"
      "a: 1\r\nb: 2\r\n");
  ASSERT_TRUE(p.ok) << p.first();
  EXPECT_EQ(where(p.document.root.entries[0].first), "1:1@3");  // the BOM takes no column
  EXPECT_EQ(where(*p.document.root.find("b")), "2:4@12");
  EXPECT_EQ(p.document.root.find("b")->value, "2");
}

TEST(Document, DocumentMarkersAndDirectivesAroundOneDocument) {
  for (const char* text : {"a: 1\n...\n", "---\na: 1\n", "%YAML 1.2\n---\na: 1\n...\n# end\n"}) {
    const auto p = parse(text);
    EXPECT_TRUE(p.ok) << text << p.first();
    EXPECT_EQ(p.document.root.find("a")->value, "1") << text;
  }
}

TEST(Document, EmptyInputsHaveANullRoot) {
  for (const char* text : {"", "\n\n", "# only a comment\n", "---\n", "---\n...\n"}) {
    const auto p = parse(text);
    EXPECT_TRUE(p.ok) << text << p.first();
    EXPECT_TRUE(p.document.root.is_null()) << text;
    EXPECT_TRUE(p.diagnostics.empty()) << text;
  }
}

TEST(Document, NullValuesAndTheirPositions) {
  const auto p = parse(
      "a:\n"
      "b: null\n"
      "c: ~\n"
      "d:\n"
      "  -\n"
      "  - x\n");
  ASSERT_TRUE(p.ok) << p.first();
  const Node& root = p.document.root;
  const Node& a = *root.find("a");
  EXPECT_TRUE(a.is_null());
  EXPECT_EQ(a.value, "");
  EXPECT_EQ(where(a), "1:1@0");  // an empty value points at its key
  EXPECT_EQ(root.find("b")->value, "null");
  EXPECT_EQ(where(*root.find("b")), "2:4@6");
  EXPECT_EQ(root.find("c")->value, "~");
  const Node& d = *root.find("d");
  ASSERT_EQ(d.items.size(), 2u);
  EXPECT_TRUE(d.items[0].is_null());
  EXPECT_EQ(where(d.items[0]), "5:3@21");  // an empty item points at its '-'
}

TEST(Document, QuotedNullAndBooleansStayStrings) {
  const auto p = parse("a: 'null'\nb: \"true\"\nc: true\n");
  ASSERT_TRUE(p.ok) << p.first();
  EXPECT_TRUE(p.document.root.find("a")->is_scalar());
  EXPECT_FALSE(p.document.root.find("a")->plain);
  EXPECT_FALSE(p.document.root.find("b")->plain);
  EXPECT_TRUE(p.document.root.find("c")->plain);
}

TEST(Document, EscapesProduceUtf8) {
  const auto p = parse("a: \"x\\N\\_\\u00e9\\x41\"\n");
  ASSERT_TRUE(p.ok) << p.first();
  EXPECT_EQ(p.document.root.find("a")->value,
            "x\xC2\x85\xC2\xA0\xC3\xA9"
            "A");
}

// --- Refusals -------------------------------------------------------------

TEST(Document, RefusesMultipleDocuments) {
  EXPECT_EQ(parse("a: 1\n---\nb: 2\n").first(),
            "t.yaml:2:1: error: only one YAML document per file is allowed");
  EXPECT_EQ(parse("a: 1\n...\nb: 2\n").first(),
            "t.yaml:3:1: error: only one YAML document per file is allowed");
  EXPECT_EQ(parse("--- a\n--- b\n").first(),
            "t.yaml:2:1: error: only one YAML document per file is allowed");
}

TEST(Document, RefusesAnchorsAndAliases) {
  auto p = parse("a: &x 1\nb: *x\n");
  EXPECT_FALSE(p.ok);
  EXPECT_THAT(
      p.messages(),
      ElementsAre("t.yaml:1:4: error: anchors and aliases are not allowed in fascia files"));
  EXPECT_EQ(parse("a: 1\nb: *x\n").first(),
            "t.yaml:2:4: error: anchors and aliases are not allowed in fascia files");
  // Anchor on a collection; a cycle made by an alias inside its own anchor.
  EXPECT_EQ(parse("a: &x\n  b: 1\n").first(),
            "t.yaml:1:4: error: anchors and aliases are not allowed in fascia files");
  EXPECT_EQ(parse("&a [*a]").first(),
            "t.yaml:1:1: error: anchors and aliases are not allowed in fascia files");
}

TEST(Document, RefusesMergeKeys) {
  const auto p = parse("base: {a: 1}\nstage:\n  <<: {b: 2}\n  c: 3\n");
  EXPECT_FALSE(p.ok);
  EXPECT_THAT(p.messages(),
              ElementsAre("t.yaml:3:3: error: merge keys ('<<') are not allowed in fascia files"));
  // A quoted "<<" is an ordinary key.
  EXPECT_TRUE(parse("'<<': 1\n").ok);
}

TEST(Document, RefusesDuplicateKeysEverywhere) {
  const auto p = parse(
      "id: a\n"
      "stage:\n"
      "  x: 1\n"
      "  y: 2\n"
      "  x: 3\n"
      "flow: {k: 1, \"k\": 2}\n"
      "id: b\n");
  EXPECT_FALSE(p.ok);
  EXPECT_THAT(p.messages(),
              ElementsAre("t.yaml:5:3: error: duplicate key 'x' (first defined at line 3)",
                          "t.yaml:6:14: error: duplicate key 'k' (first defined at line 6)",
                          "t.yaml:7:1: error: duplicate key 'id' (first defined at line 1)"));
  // The same key in different mappings is fine.
  EXPECT_TRUE(parse("- {a: 1}\n- {a: 2}\n").ok);
}

TEST(Document, RefusesNonScalarAndEmptyKeys) {
  EXPECT_EQ(parse("? [a, b]\n: 1\n").first(),
            "t.yaml:1:3: error: a mapping key must be a string, got a list");
  EXPECT_EQ(parse("{{a: 1}: 2}").first(),
            "t.yaml:1:2: error: a mapping key must be a string, got a mapping");
  EXPECT_EQ(parse("null: 1\n").first(),
            "t.yaml:1:1: error: a mapping key must be a string, got null");
  EXPECT_EQ(parse("a: 1\n: 2\n").first(), "t.yaml:2:1: error: a mapping key must not be empty");
}

TEST(Document, RefusesTags) {
  EXPECT_EQ(parse("a: !!str 5\n").first(),
            "t.yaml:1:4: error: YAML tags ('!!str') are not allowed in fascia files");
  EXPECT_EQ(parse("a: !local {b: 1}\n").first(),
            "t.yaml:1:4: error: YAML tags ('!local') are not allowed in fascia files");
  EXPECT_EQ(parse("a: ! x\n").first(),
            "t.yaml:1:4: error: YAML tags ('!') are not allowed in fascia files");
}

TEST(Document, NestingLimit) {
  // 48 nested levels are fine, 49 are not: block and flow.
  std::string ok_block, deep_block;
  for (int i = 0; i < 48; ++i) ok_block += std::string(2 * i, ' ') + "k:\n";
  EXPECT_TRUE(parse(ok_block).ok) << parse(ok_block).first();
  for (int i = 0; i < 49; ++i) deep_block += std::string(2 * i, ' ') + "k:\n";
  EXPECT_EQ(parse(deep_block).first(),
            "t.yaml:49:97: error: nesting too deep (more than 48 levels)");

  EXPECT_TRUE(parse(std::string(48, '[') + std::string(48, ']')).ok);
  EXPECT_EQ(parse(std::string(49, '[') + std::string(49, ']')).first(),
            "t.yaml:1:49: error: nesting too deep (more than 48 levels)");
  // Mixed block and flow: 47 block levels + 2 flow levels.
  std::string mixed;
  for (int i = 0; i < 47; ++i) mixed += std::string(i, ' ') + "- \n";
  mixed.pop_back();
  mixed += "[[x]]\n";
  EXPECT_EQ(parse(mixed).first(), "t.yaml:47:50: error: nesting too deep (more than 48 levels)");

  fascia::Limits shallow;
  shallow.max_yaml_depth = 2;
  EXPECT_TRUE(parse("a: {b: 1}", shallow).ok);
  EXPECT_EQ(parse("a: {b: [1]}", shallow).first(),
            "t.yaml:1:8: error: nesting too deep (more than 2 levels)");
}

TEST(Document, NodeLimit) {
  fascia::Limits limits;
  limits.max_yaml_nodes = 5;
  EXPECT_TRUE(parse("a: 1\nb: 2\n", limits).ok);  // map + 4 scalars
  EXPECT_EQ(parse("a: 1\nb: 2\nc: 3\n", limits).first(),
            "t.yaml:3:1: error: too many YAML nodes (more than 5)");
}

TEST(Document, StringLengthLimit) {
  fascia::Limits limits;
  limits.max_string_length = 4;
  EXPECT_TRUE(parse("a: abcd\nb: \"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\"\n", limits).ok);
  EXPECT_EQ(parse("a: abcde\n", limits).first(),
            "t.yaml:1:4: error: string too long (more than 4 characters)");
  EXPECT_EQ(parse("abcde: 1\n", limits).first(),
            "t.yaml:1:1: error: string too long (more than 4 characters)");
}

TEST(Document, FileSizeLimit) {
  fascia::Limits limits;
  limits.max_file_bytes = 10;
  EXPECT_TRUE(parse("a: 1234567", limits).ok);
  EXPECT_EQ(parse("a: 12345678", limits).first(),
            "t.yaml: error: file is too large (11 bytes; the limit is 10 bytes)");
}

TEST(Document, RefusesBadText) {
  EXPECT_EQ(parse(std::string("a: 1\nb: x\0y\n", 12)).first(),
            "t.yaml:2:5: error: file contains a NUL byte (fascia files must be UTF-8 text)");
  EXPECT_EQ(parse("a: 1\nb: \xC3\xA9 \xFF\n").first(),
            "t.yaml:2:6: error: file is not valid UTF-8 text");
  EXPECT_EQ(parse("a: \xC0\xAF\n").first(), "t.yaml:1:4: error: file is not valid UTF-8 text");
  EXPECT_EQ(parse("a: \xED\xA0\x80\n").first(),  // a UTF-16 surrogate
            "t.yaml:1:4: error: file is not valid UTF-8 text");
  EXPECT_EQ(parse("a: \xE2\x82").first(), "t.yaml:1:4: error: file is not valid UTF-8 text");
  EXPECT_EQ(parse("\xFF\xFE"
                  "a\0:\0")
                .first(),
            "t.yaml:1:1: error: file is not valid UTF-8 text");
  EXPECT_EQ(parse("a: b\x07\n").first(),
            "t.yaml:1:5: error: control character U+0007 is not allowed in YAML text");
  EXPECT_EQ(parse("a: \xC2\x9B\n").first(),
            "t.yaml:1:4: error: control character U+009B is not allowed in YAML text");
  EXPECT_TRUE(parse("a: \"tab\there\"\n").ok);
}

TEST(Document, EncodingChecksFindEveryBadByteWhereverItSits) {
  // check_encoding passes eight printable ASCII bytes at a time: a bad byte
  // at any place in (or across) those words is still found at its offset,
  // and the bytes at the edges of the printable range still pass.
  const std::string clean = "k: \x20~ abcdefghijklmnopqrstuvwxyz0123456789 ~\n";
  ASSERT_FALSE(check_encoding(clean).has_value());
  for (const char bad : {'\0', '\x01', '\x07', '\x1F', '\x7F', '\x80', '\xFF'}) {
    for (std::size_t at = 0; at < clean.size(); ++at) {
      std::string text = clean;
      text[at] = bad;
      const auto problem = check_encoding(text);
      ASSERT_TRUE(problem.has_value())
          << "byte " << int(static_cast<unsigned char>(bad)) << " at " << at;
      EXPECT_EQ(problem->offset, at) << "byte " << int(static_cast<unsigned char>(bad));
      // After a line break or a tab in the same eight bytes (each ends a run
      // of printable bytes and is checked on its own) as well.
      for (std::size_t before = at > 7 ? at - 7 : 0; before < at; ++before) {
        std::string broken = text;
        broken[before] = before % 2 ? '\n' : '\t';
        const auto later = check_encoding(broken);
        ASSERT_TRUE(later.has_value()) << before << ", " << at;
        EXPECT_EQ(later->offset, at) << before << ", " << at;
      }
    }
  }
  for (const char fine : {'\t', '\n', '\r', ' ', '~'}) {
    for (std::size_t at = 0; at < clean.size(); ++at) {
      std::string text = clean;
      text[at] = fine;
      EXPECT_FALSE(check_encoding(text).has_value()) << int(fine) << " at " << at;
    }
  }
}

TEST(Document, SyntaxErrorsAreLocated) {
  // Where libyaml notices: the end of the text, the escape's backslash.
  EXPECT_EQ(parse("a: [1, 2\n").first(),
            "t.yaml:2:1: error: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(parse("a: \"x\\q\"\n").first(),
            "t.yaml:1:6: error: invalid YAML: unknown escape character: q");
  EXPECT_EQ(parse("a: \"\\ud800\"\n").first(),
            "t.yaml:1:5: error: invalid YAML: invalid unicode: 55296");
  EXPECT_EQ(parse("a: b\n c: d\n").first(), "t.yaml:2:3: error: invalid YAML: illegal map value");
  EXPECT_EQ(parse("a: {b: 1\n").first(),
            "t.yaml:2:1: error: invalid YAML: end of map flow not found");
  // YAML reserves '@' and '`': a value may not start with them unquoted.
  EXPECT_EQ(parse("a: @home\n").first(),
            "t.yaml:1:4: error: invalid YAML: '@' cannot start a value; put the value in quotes");
  // Characters libyaml refuses that the encoding check lets through.
  EXPECT_EQ(parse("a: b\xEF\xBF\xBE\n").first(),
            "t.yaml:1:5: error: character U+FFFE is not allowed in YAML text");
  // Anything else: libyaml's own words, with the line its context starts.
  EXPECT_EQ(parse("a:\n  b: 1\n c: 2\n").first(),
            "t.yaml:3:2: error: invalid YAML: did not find expected key (while parsing a block "
            "mapping that starts at line 1)");
}

TEST(Document, TabsInIndentation) {
  EXPECT_EQ(parse("a:\n\tb: 1\n").first(),
            "t.yaml:2:1: error: tabs are not allowed in YAML indentation; use spaces");
  EXPECT_EQ(parse("a:\n  b: 1\n\tc: 2\n").first(),
            "t.yaml:3:1: error: tabs are not allowed in YAML indentation; use spaces");
  EXPECT_EQ(parse("a:\n  \t- b\n").first(),
            "t.yaml:2:3: error: tabs are not allowed in YAML indentation; use spaces");
  // Tabs as separation inside flow collections or after a value are fine.
  EXPECT_TRUE(parse("a: [1,\n\t2]\nb:\t3\n").ok);
}

TEST(Document, ParseKeepsTheTextAndAppendsToDiagnostics) {
  fascia::Diagnostics diagnostics{{fascia::Severity::warning, {}, "earlier"}};
  Document document;
  EXPECT_TRUE(parse_document("a: 1\n", "f.yaml", {}, document, diagnostics));
  EXPECT_EQ(document.text, "a: 1\n");
  EXPECT_EQ(diagnostics.size(), 1u);
  EXPECT_FALSE(parse_document("a: [", "f.yaml", {}, document, diagnostics));
  EXPECT_EQ(diagnostics.size(), 2u);
}

// --- Files ------------------------------------------------------------------

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    path_ =
        (std::filesystem::temp_directory_path() /
         ("fascia_yaml_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
          "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml"))
            .string();
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadDocument, ReadsAFileInBinaryMode) {
  TempFile file("a: 1\r\nb: \"x\"\r\n");
  Document document;
  fascia::Diagnostics diagnostics;
  ASSERT_TRUE(load_document(file.path(), {}, document, diagnostics));
  EXPECT_EQ(document.file, file.path());
  EXPECT_EQ(document.text, "a: 1\r\nb: \"x\"\r\n");
  EXPECT_EQ(document.root.find("b")->value, "x");
}

TEST(LoadDocument, MissingFileAndDirectory) {
  Document document;
  fascia::Diagnostics diagnostics;
  EXPECT_FALSE(load_document("/nonexistent/dir/p.yaml", {}, document, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].to_string(),
            "/nonexistent/dir/p.yaml: error: cannot read the file: No such file or directory");
  diagnostics.clear();
  const std::string dir = std::filesystem::temp_directory_path().string();
  EXPECT_FALSE(load_document(dir, {}, document, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "cannot read the file: it is a directory");
}

TEST(LoadDocument, ErrorsNameTheFile) {
  TempFile file("a: 1\na: 2\n");
  Document document;
  fascia::Diagnostics diagnostics;
  EXPECT_FALSE(load_document(file.path(), {}, document, diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].to_string(),
            file.path() + ":2:1: error: duplicate key 'a' (first defined at line 1)");
}

}  // namespace
