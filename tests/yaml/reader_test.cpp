#include "yaml/reader.hpp"

#include "test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <clocale>
#include <limits>
#include <locale>
#include <string>

namespace {

using namespace fascia::detail::yaml;
using ::testing::ElementsAre;

// Parses `text` and reads the value of key `key` of the root mapping.
class ReaderTest : public ::testing::Test {
 protected:
  const Node& load(const std::string& text) {
    parsed_ = fascia::test::parse(text);
    EXPECT_TRUE(parsed_.ok) << parsed_.first();
    return parsed_.document.root;
  }
  const Node& value(const std::string& text, const std::string& key = "v") {
    const Node& root = load(text);
    const Node* node = root.find(key);
    EXPECT_NE(node, nullptr) << key;
    return node ? *node : root;
  }
  Reader& reader() { return reader_; }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics_) out.push_back(d.to_string());
    return out;
  }
  std::string only() const {
    EXPECT_EQ(diagnostics_.size(), 1u);
    return diagnostics_.empty() ? "" : diagnostics_.front().to_string();
  }
  void clear() { diagnostics_.clear(); }

  fascia::test::Parsed parsed_;
  fascia::Diagnostics diagnostics_;
  // Refers to parsed_.document, which load() replaces: one reader serves all.
  Reader reader_{parsed_.document, diagnostics_};
};

// --- Mappings -------------------------------------------------------------

TEST_F(ReaderTest, UnknownKeyWithSuggestion) {
  const Node& stage = value("stage:\n  id: a\n  pressure_mx: 4\n", "stage");
  EXPECT_TRUE(reader().expect_mapping(stage, "stage", {"id", "title", "techniques", "pressure_max"},
                                      {"id"}));
  EXPECT_EQ(only(),
            "t.yaml:3:3: error: unknown key 'pressure_mx' in stage; expected one of: id, title, "
            "techniques, pressure_max (did you mean 'pressure_max'?)");
}

TEST_F(ReaderTest, UnknownKeyWithoutSuggestion) {
  const Node& stage = value("stage:\n  id: a\n  colour: red\n", "stage");
  reader().expect_mapping(stage, "stage", {"id", "title"});
  EXPECT_EQ(only(), "t.yaml:3:3: error: unknown key 'colour' in stage; expected one of: id, title");
}

TEST_F(ReaderTest, MissingRequiredKeysAtTheMapping) {
  const Node& stage = value("stage:\n  title: Foundation\n", "stage");
  EXPECT_TRUE(
      reader().expect_mapping(stage, "stage", {"id", "title", "techniques"}, {"id", "techniques"}));
  EXPECT_THAT(messages(),
              ElementsAre("t.yaml:2:3: error: missing required key 'id' in stage",
                          "t.yaml:2:3: error: missing required key 'techniques' in stage"));
  EXPECT_EQ(reader().error_count(), 2u);
}

TEST_F(ReaderTest, MappingAndListTypes) {
  const Node& root = load("stage: [a]\nlist: {a: 1}\nempty:\n");
  EXPECT_FALSE(reader().expect_mapping(*root.find("stage"), "stage", {"id"}));
  EXPECT_FALSE(reader().expect_sequence(*root.find("list"), "stages"));
  EXPECT_FALSE(reader().expect_sequence(*root.find("empty"), "history"));
  EXPECT_TRUE(reader().expect_sequence(*root.find("stage"), "stage"));
  EXPECT_THAT(messages(), ElementsAre("t.yaml:1:8: error: stage must be a mapping",
                                      "t.yaml:2:7: error: stages must be a list",
                                      "t.yaml:3:1: error: history must be a list"));
}

// --- Numbers --------------------------------------------------------------

TEST_F(ReaderTest, NumbersAccepted) {
  const Node& root = load("a: 6\nb: -2.5\nc: 1e2\nd: +3\ne: .5\nf: 7.\ng: 0\nh: 0.25\n");
  EXPECT_EQ(reader().number(*root.find("a"), "a", 0, 10), 6.0);
  EXPECT_EQ(reader().number(*root.find("b"), "b", -10, 10), -2.5);
  EXPECT_EQ(reader().number(*root.find("c"), "c", 0, 1000), 100.0);
  EXPECT_EQ(reader().number(*root.find("d"), "d", 0, 10), 3.0);
  EXPECT_EQ(reader().number(*root.find("e"), "e", 0, 10), 0.5);
  EXPECT_EQ(reader().number(*root.find("f"), "f", 0, 10), 7.0);
  EXPECT_EQ(reader().number(*root.find("g"), "g", 0, 10), 0.0);
  EXPECT_EQ(reader().number(*root.find("h"), "h", 0, 10), 0.25);
  EXPECT_TRUE(diagnostics_.empty()) << messages()[0];
}

TEST_F(ReaderTest, NumberWrongType) {
  const Node& v = value("v: high\n");
  EXPECT_EQ(reader().number(v, "pain.current", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pain.current must be a number, got 'high'");
}

TEST_F(ReaderTest, QuotedNumberIsAString) {
  const Node& v = value("v: \"5\"\n");
  EXPECT_EQ(reader().number(v, "pain.current", 0, 10), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: pain.current must be a number, got the string \"5\" (remove the "
            "quotes)");
  clear();
  EXPECT_EQ(reader().integer(value("v: '5'\n"), "pressure", 1, 10), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: pressure must be a whole number, got the string \"5\" (remove the "
            "quotes)");
  clear();
  EXPECT_EQ(reader().number(value("v: 'high'\n"), "pain.current", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pain.current must be a number, got the string \"high\"");
}

TEST_F(ReaderTest, NumberRange) {
  EXPECT_EQ(reader().number(value("v: 11\n"), "pain.current", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pain.current must be between 0 and 10, got 11");
  clear();
  EXPECT_EQ(reader().number(value("v: -0.5\n"), "x", 0.5, 9.5), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: x must be between 0.5 and 9.5, got -0.5");
  clear();
  EXPECT_EQ(reader().number(value("v: -1\n"), "x", 0, std::numeric_limits<double>::infinity()),
            std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: x must be at least 0, got -1");
}

TEST_F(ReaderTest, NonFiniteNumbersRefused) {
  for (const char* text :
       {".nan", ".NaN", ".inf", "-.Inf", "+.INF", "nan", "inf", "1e999", "-1e999"}) {
    clear();
    const Node& v = value(std::string("v: ") + text + "\n");
    EXPECT_EQ(reader().number(v, "pressure", 0, 10), std::nullopt);
    EXPECT_EQ(only(), std::string("t.yaml:1:4: error: pressure must be a finite number, got '") +
                          text + "'");
  }
  clear();
  EXPECT_EQ(reader().number(value("v: 1e-999\n"), "x", 0, 1), 0.0);  // underflow is zero
  EXPECT_TRUE(diagnostics_.empty());
}

TEST_F(ReaderTest, OctalHexAndLeadingZerosRefused) {
  EXPECT_EQ(reader().number(value("v: 010\n"), "pressure", 0, 10), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: pressure must be a decimal number, got '010' (leading zeros are "
            "not allowed)");
  clear();
  EXPECT_EQ(reader().integer(value("v: 0x1A\n"), "pressure", 0, 100), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: pressure must be a decimal number, got '0x1A' (hexadecimal, octal "
            "and binary forms are not accepted)");
  clear();
  EXPECT_EQ(reader().integer(value("v: 0o17\n"), "pressure", 0, 100), std::nullopt);
  EXPECT_EQ(reader().number(value("v: -007.5\n"), "x", -10, 10), std::nullopt);
  EXPECT_EQ(diagnostics_.size(), 2u);
}

// A decimal comma, as in a German locale.
struct CommaDecimal : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST_F(ReaderTest, NumbersIgnoreTheGlobalLocale) {
  // yaml-cpp #1282: number parsing that follows the global locale breaks
  // decimals on an EHR host with a German locale. Ours must not.
  const std::locale saved_cpp =
      std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
  const char* c_locale = std::setlocale(LC_ALL, nullptr);
  const std::string saved_c = c_locale ? c_locale : "C";
  std::setlocale(LC_ALL, "de_DE.UTF-8");  // when installed; harmless otherwise
  const auto good = reader().number(value("v: 2.5\n"), "x", 0, 10);
  const auto comma = reader().number(value("v: 2,5\n"), "x", 0, 10);
  const auto whole = reader().integer(value("v: 1000\n"), "x", 0, 5000);
  std::setlocale(LC_ALL, saved_c.c_str());
  std::locale::global(saved_cpp);
  EXPECT_EQ(good, 2.5);
  EXPECT_EQ(comma, std::nullopt);
  EXPECT_EQ(whole, 1000);
  EXPECT_EQ(only(), "t.yaml:1:4: error: x must be a number, got '2,5'");
}

TEST_F(ReaderTest, Integers) {
  const Node& root = load("a: 7\nb: -3\nc: +4\nd: 9223372036854775807\n");
  EXPECT_EQ(reader().integer(*root.find("a"), "a", 0, 10), 7);
  EXPECT_EQ(reader().integer(*root.find("b"), "b", -5, 5), -3);
  EXPECT_EQ(reader().integer(*root.find("c"), "c", 0, 5), 4);
  EXPECT_EQ(reader().integer(*root.find("d"), "d", 0, std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(diagnostics_.empty());
}

TEST_F(ReaderTest, IntegerMessages) {
  EXPECT_EQ(reader().integer(value("v: 2.5\n"), "sessions_completed", 0, 100), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: sessions_completed must be a whole number, got '2.5'");
  clear();
  EXPECT_EQ(reader().integer(value("v: 7.0\n"), "pressure", 1, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pressure must be a whole number, got '7.0'");
  clear();
  EXPECT_EQ(reader().integer(value("v: 1e3\n"), "pressure", 1, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pressure must be a whole number, got '1e3'");
  clear();
  EXPECT_EQ(reader().integer(value("v: 11\n"), "pressure_tolerance", 1, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: pressure_tolerance must be between 1 and 10, got 11");
  clear();
  EXPECT_EQ(
      reader().integer(value("v: -1\n"), "count_30d", 0, std::numeric_limits<std::int64_t>::max()),
      std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: count_30d must be at least 0, got -1");
  clear();
  EXPECT_EQ(reader().integer(value("v: 99999999999999999999\n"), "pressure", 1, 10), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: pressure must be between 1 and 10, got 99999999999999999999");
  clear();
  EXPECT_EQ(reader().integer(value("v: 99999999999999999999\n"), "n", 0,
                             std::numeric_limits<std::int64_t>::max()),
            std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: n is too large, got 99999999999999999999");
  clear();
  EXPECT_EQ(reader().integer(value("v: [1]\n"), "n", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: n must be a whole number, got a list");
  clear();
  EXPECT_EQ(reader().integer(value("v:\n"), "n", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:1: error: n must be a whole number, got an empty value");
  clear();
  EXPECT_EQ(reader().integer(value("v: null\n"), "n", 0, 10), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: n must be a whole number, got null");
}

// --- Booleans -------------------------------------------------------------

TEST_F(ReaderTest, Booleans) {
  const Node& root = load("a: true\nb: false\n");
  EXPECT_EQ(reader().boolean(*root.find("a"), "a"), true);
  EXPECT_EQ(reader().boolean(*root.find("b"), "b"), false);
  EXPECT_TRUE(diagnostics_.empty());
}

TEST_F(ReaderTest, Yaml11BooleansRefused) {
  for (const char* text : {"yes", "no", "on", "off", "y", "n", "Yes", "OFF"}) {
    clear();
    EXPECT_EQ(reader().boolean(value(std::string("v: ") + text + "\n"), "flare.active"),
              std::nullopt);
    EXPECT_EQ(only(), std::string("t.yaml:1:4: error: flare.active must be true or false, got '") +
                          text + "' (YAML 1.1 booleans are not accepted)");
  }
  clear();
  EXPECT_EQ(reader().boolean(value("v: True\n"), "flare.active"), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: flare.active must be true or false, got 'True' (write it in "
            "lowercase)");
  clear();
  EXPECT_EQ(reader().boolean(value("v: \"true\"\n"), "flare.active"), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: flare.active must be true or false, got the string \"true\" "
            "(remove the quotes)");
  clear();
  EXPECT_EQ(reader().boolean(value("v: 1\n"), "flare.active"), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: flare.active must be true or false, got '1'");
}

// --- Strings, enums, dates, lists -----------------------------------------

TEST_F(ReaderTest, Strings) {
  const Node& root = load("a: plain\nb: '5'\nc: 5\nd: ''\ne:\nf: [x]\ng: null\n");
  EXPECT_EQ(reader().string(*root.find("a"), "a"), "plain");
  EXPECT_EQ(reader().string(*root.find("b"), "b"), "5");
  EXPECT_EQ(reader().string(*root.find("c"), "c"), "5");
  EXPECT_EQ(reader().string(*root.find("d"), "d", true), "");
  EXPECT_EQ(reader().string(*root.find("e"), "e", true), "");
  EXPECT_TRUE(diagnostics_.empty());
  EXPECT_EQ(reader().string(*root.find("d"), "client.id"), std::nullopt);
  EXPECT_EQ(reader().string(*root.find("e"), "client.id"), std::nullopt);
  EXPECT_EQ(reader().string(*root.find("f"), "title"), std::nullopt);
  EXPECT_EQ(reader().string(*root.find("g"), "title"), std::nullopt);
  EXPECT_THAT(messages(), ElementsAre("t.yaml:4:4: error: client.id must not be empty",
                                      "t.yaml:5:1: error: client.id must not be empty",
                                      "t.yaml:6:4: error: title must be a string, got a list",
                                      "t.yaml:7:4: error: title must be a string, got null"));
}

TEST_F(ReaderTest, OneOf) {
  const std::vector<std::string> levels = {"low", "moderate", "high"};
  EXPECT_EQ(reader().one_of(value("v: moderate\n"), "sensitivity", levels), "moderate");
  EXPECT_EQ(reader().one_of(value("v: 'high'\n"), "sensitivity", levels), "high");
  EXPECT_TRUE(diagnostics_.empty());
  EXPECT_EQ(reader().one_of(value("v: hihg\n"), "sensitivity", levels), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: sensitivity must be one of: low, moderate, high, got 'hihg' (did "
            "you mean 'high'?)");
  clear();
  EXPECT_EQ(reader().one_of(value("v: extreme\n"), "sensitivity", levels), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: sensitivity must be one of: low, moderate, high, got 'extreme'");
  clear();
  EXPECT_EQ(reader().one_of(value("v: {a: 1}\n"), "sensitivity", levels), std::nullopt);
  EXPECT_EQ(only(),
            "t.yaml:1:4: error: sensitivity must be one of: low, moderate, high, got a mapping");
}

TEST_F(ReaderTest, Dates) {
  auto d = reader().date(value("v: 2026-11-20\n"), "as_of");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "2026-11-20");
  EXPECT_TRUE(reader().date(value("v: \"2024-02-29\"\n"), "as_of"));
  EXPECT_TRUE(diagnostics_.empty());
  EXPECT_EQ(reader().date(value("v: 2026-13-01\n"), "as_of"), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: as_of must be a date YYYY-MM-DD, got '2026-13-01'");
  clear();
  EXPECT_EQ(reader().date(value("v: 2025-02-29\n"), "as_of"), std::nullopt);
  EXPECT_EQ(reader().date(value("v: 2026-1-5\n"), "as_of"), std::nullopt);
  EXPECT_EQ(reader().date(value("v: [2026]\n"), "as_of"), std::nullopt);
  EXPECT_THAT(messages(),
              ElementsAre("t.yaml:1:4: error: as_of must be a date YYYY-MM-DD, got '2025-02-29'",
                          "t.yaml:1:4: error: as_of must be a date YYYY-MM-DD, got '2026-1-5'",
                          "t.yaml:1:4: error: as_of must be a date YYYY-MM-DD, got a list"));
}

TEST_F(ReaderTest, StringLists) {
  auto list = reader().string_list(value("v: [swedish, 'mfr']\n"), "techniques");
  ASSERT_TRUE(list);
  EXPECT_THAT(*list, ElementsAre("swedish", "mfr"));
  EXPECT_EQ(reader().string_list(value("v: swedish\n"), "techniques"), std::nullopt);
  EXPECT_EQ(only(), "t.yaml:1:4: error: techniques must be a list");
  clear();
  EXPECT_EQ(reader().string_list(value("v:\n  - a\n  - [b]\n  - {c: 1}\n"), "techniques"),
            std::nullopt);
  EXPECT_THAT(messages(),
              ElementsAre("t.yaml:3:5: error: techniques[1] must be a string, got a list",
                          "t.yaml:4:5: error: techniques[2] must be a string, got a mapping"));
}

TEST_F(ReaderTest, LocationOfTheRootIsTheFirstCharacter) {
  const Node& root = load("a: 1\n");
  EXPECT_EQ(reader().error_count(), 0u);
  EXPECT_EQ(reader().location(root).to_string(), "t.yaml:1:1");
}

// --- Shared helpers -------------------------------------------------------

TEST(ClassifyPlainScalar, Kinds) {
  for (const char* t : {"", "~", "null", "Null", "NULL"})
    EXPECT_EQ(classify_plain_scalar(t), ScalarKind::null) << t;
  for (const char* t : {"true", "false"})
    EXPECT_EQ(classify_plain_scalar(t), ScalarKind::boolean) << t;
  for (const char* t : {"0", "7", "-3", "+4", "123456789012345678901234"})
    EXPECT_EQ(classify_plain_scalar(t), ScalarKind::integer) << t;
  for (const char* t : {"2.5", "-0.5", ".5", "7.", "1e3", "1E-3", "-2.5e+10", "0.0", "1e999"})
    EXPECT_EQ(classify_plain_scalar(t), ScalarKind::number) << t;
  for (const char* t : {"yes", "True", "010", "0x1A", "0o7", ".nan", ".inf", "1_000", "1.2.3", "e3",
                        ".", "-", "+", "1e", "2,5", "high", "nullx", "00.5"})
    EXPECT_EQ(classify_plain_scalar(t), ScalarKind::string) << t;
}

}  // namespace
