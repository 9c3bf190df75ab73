// White-box: the streaming JSON writer's string escaping against a plain
// reference, at every length and position its vector and word tests take
// apart (short strings are tested as their first and last 4 or 8 bytes,
// longer ones 16 at a time with an overlapping last block), and across the
// writer's buffer boundary; for keys and values, and for the fragments
// contract_json.hpp writes (strings whole and in pieces, padded texts).
#include "core/json_writer.hpp"

#include <fascia/recommendation.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::test {
namespace {

using fascia::detail::JsonWriter;

// The contract's escaping, one byte at a time: the short escapes, \u00XX
// for other controls, valid UTF-8 as it is, anything else as U+FFFD (the
// texts below use only é and a lone 0xFF byte outside ASCII).
std::string reference_json(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else if (c == 0xC3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA9) {
          out += "\xC3\xA9";
          ++i;
        } else if (c >= 0x80) {
          out += "\xEF\xBF\xBD";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string write_value(std::string_view s) {
  std::string out;
  JsonWriter w(out);
  w.value(s);
  w.finish();
  return out;
}

std::string write_key(std::string_view s) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key(s);
  w.value(1);
  w.end_object();
  w.finish();
  return out;
}

const std::vector<std::string> specials = {
    "\"", "\\", "\n", "\t", std::string(1, '\x01'), std::string(1, '\x1f'), "\xC3\xA9", "\xFF"};

TEST(JsonWriter, EverySpecialByteIsEscapedAtEveryPositionOfEveryShortLength) {
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string plain(length, 'a');
    ASSERT_EQ(write_value(plain), reference_json(plain)) << length;
    for (const auto& special : specials) {
      for (std::size_t at = 0; at + special.size() <= length; ++at) {
        std::string text = plain;
        text.replace(at, special.size(), special);
        ASSERT_EQ(write_value(text), reference_json(text)) << "length " << length << " at " << at;
        ASSERT_EQ(write_key(text), "{" + reference_json(text) + ":1}")
            << "length " << length << " at " << at;
      }
    }
  }
}

TEST(JsonWriter, StringsAcrossTheBufferBoundaryAreWrittenWholeAndInOrder) {
  // Lengths that end the buffer at every offset of a string, some with an
  // escape, written as one array: the same text as the reference's.
  std::string out, expected = "[";
  JsonWriter w(out);
  w.begin_array();
  for (std::size_t n = 0; n < 2000; ++n) {
    std::string text(n % 37 + 1, static_cast<char>('a' + n % 26));
    if (n % 5 == 0) text[text.size() / 2] = '"';
    w.value(text);
    expected += (n ? "," : "") + reference_json(text);
  }
  w.end_array();
  w.finish();
  EXPECT_EQ(out, expected + "]");
}

// A comma is written past the buffer's end when the element before it
// filled the buffer exactly (its spare byte): each length around that one.
TEST(JsonWriter, ACommaAfterAFullBufferIsKept) {
  for (std::size_t n = 4080; n <= 4100; ++n) {
    std::string out;
    JsonWriter w(out);
    w.begin_array();
    w.value(std::string(n, 'a'));
    w.value(1);
    w.value(std::string_view("b"));
    w.end_array();
    w.finish();
    ASSERT_EQ(out, "[\"" + std::string(n, 'a') + "\",1,\"b\"]") << n;
  }
}

// Whole numbers: one and two digits are written without to_chars, the rest
// with it; each as std::to_string writes it.
TEST(JsonWriter, WholeNumbersAreWrittenAsToStringWritesThem) {
  std::string out, expected = "[";
  JsonWriter w(out);
  w.begin_array();
  const std::vector<std::int64_t> numbers = {0,
                                             1,
                                             9,
                                             10,
                                             42,
                                             99,
                                             100,
                                             101,
                                             999,
                                             1000,
                                             -1,
                                             -9,
                                             -10,
                                             -99,
                                             -100,
                                             12345678,
                                             std::numeric_limits<std::int64_t>::min(),
                                             std::numeric_limits<std::int64_t>::max()};
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    w.value(numbers[i]);
    expected += (i ? "," : "") + std::to_string(numbers[i]);
  }
  w.end_array();
  w.finish();
  EXPECT_EQ(out, expected + "]");
}

// Containers nested deeper than 64 (whose "has an element" bits move out
// of the 64-bit word) close with the commas of each level right.
TEST(JsonWriter, DeepNestingKeepsEachLevelsCommas) {
  std::string out, expected;
  JsonWriter w(out);
  for (int depth = 0; depth < 100; ++depth) {
    w.begin_array();
    w.value(depth);
    expected += (depth ? "," : "") + ("[" + std::to_string(depth));
  }
  for (int depth = 99; depth >= 0; --depth) {
    w.end_array();
    expected += "]";
    if (depth == 0) break;
    w.value(depth);
    expected += "," + std::to_string(depth);
  }
  w.finish();
  EXPECT_EQ(out, expected);
}

// The pretty form is the one-line form indented: strings are copied whole
// (their quotes, colons, commas and brackets untouched), empty containers
// stay on their line.
TEST(JsonWriter, PrettyFormIndentsEachMemberAndElement) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("a");
  w.value(std::string_view("x\"y:[{,}]\\"));
  w.key("empty");
  w.begin_array();
  w.end_array();
  w.key("list");
  w.begin_array();
  w.value(1);
  w.begin_object();
  w.end_object();
  w.begin_object();
  w.key("b");
  w.null();
  w.end_object();
  w.end_array();
  w.end_object();
  w.finish();
  std::string pretty = "kept";
  fascia::detail::append_pretty(out, pretty);
  EXPECT_EQ(pretty, R"(kept{
  "a": "x\"y:[{,}]\\",
  "empty": [],
  "list": [
    1,
    {},
    {
      "b": null
    }
  ]
})");
}

// ---- the document written as fragments (contract_json.hpp) ----

std::string write_fragment(std::string_view s, char after = '\0') {
  std::string out;
  JsonWriter w(out);
  w.lit("[");
  w.string(s, after);
  w.lit("]");
  w.finish();
  return out;
}

// string() tests 4- to 31-byte strings inline, the rest out of line.
TEST(JsonWriterFragments, EverySpecialByteIsEscapedAtEveryPositionOfEveryShortLength) {
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string plain(length, 'a');
    ASSERT_EQ(write_fragment(plain), "[" + reference_json(plain) + "]") << length;
    for (const auto& special : specials) {
      for (std::size_t at = 0; at + special.size() <= length; ++at) {
        std::string text = plain;
        text.replace(at, special.size(), special);
        ASSERT_EQ(write_fragment(text), "[" + reference_json(text) + "]")
            << "length " << length << " at " << at;
        ASSERT_EQ(write_fragment(text, ':'), "[" + reference_json(text) + ":]")
            << "length " << length << " at " << at;
      }
    }
  }
}

// A string written in two pieces is the string written whole, wherever it
// is cut (never inside a UTF-8 sequence).
TEST(JsonWriterFragments, AStringInPiecesIsEscapedAsTheWholeString) {
  for (std::size_t length = 0; length <= 40; ++length) {
    for (const auto& special : specials) {
      std::string text(length, 'b');
      if (special.size() <= length) text.replace(length / 2, special.size(), special);
      for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        if (cut > 0 && cut < text.size() && static_cast<unsigned char>(text[cut]) == 0xA9) continue;
        std::string out;
        JsonWriter w(out);
        w.open_string();
        w.string_piece(std::string_view(text).substr(0, cut));
        w.string_piece(std::string_view(text).substr(cut));
        w.close_string();
        w.finish();
        ASSERT_EQ(out, reference_json(text)) << "length " << length << " cut " << cut;
      }
    }
  }
}

// n copies of c in storage with the sixteen bytes to spare that text() reads.
std::string padded(std::size_t n, char c) {
  std::string s(n, c);
  s.reserve(n + 16);
  return s;
}

// text() copies sixteen bytes at a time from storage padded for it: texts
// up to 210 bytes (by memcpy from 97) around the buffer's end.
TEST(JsonWriterFragments, PaddedTextsAreCopiedWholeAcrossTheBufferEnd) {
  for (std::size_t before = 4000; before <= 4096; before += 3) {
    for (std::size_t n = 0; n <= 210; n += 7) {
      const std::string text = padded(n, 'q');
      const std::string first = padded(before, 'p');
      std::string out;
      JsonWriter w(out);
      w.text(first);
      w.text(text);
      w.lit("!");
      w.finish();
      ASSERT_EQ(out, std::string(before, 'p') + text + "!") << before << " " << n;
    }
  }
}

// comma_if() writes into the byte to spare when the fragment before it
// filled the buffer exactly, and the next fragment flushes it: each length
// around that one.
TEST(JsonWriterFragments, ACommaAfterAFullBufferIsKept) {
  for (std::size_t n = 4070; n <= 4100; ++n) {
    const std::string first = padded(n, 'p');
    std::string out;
    JsonWriter w(out);
    w.text(first);
    w.comma_if(true);
    w.lit("\"k\":", 42);
    w.comma_if(true);
    w.string("abcdefghijklmnopqrstu");
    w.comma_if(false);
    w.finish();
    ASSERT_EQ(out, first + ",\"k\":42,\"abcdefghijklmnopqrstu\"") << n;
  }
}

TEST(JsonWriterFragments, ScalarsAreWrittenAsValuesWritesThem) {
  std::string out;
  JsonWriter w(out);
  w.lit("[");
  w.boolean(true);
  w.comma_if(true);
  w.boolean(false);
  w.comma_if(true);
  w.real(5);
  w.comma_if(true);
  w.real(0.25);
  w.comma_if(true);
  w.number(-17);
  w.comma_if(false);
  w.lit("]");
  w.finish();
  EXPECT_EQ(out, "[true,false,5.0,0.25,-17]");
}

// The contract's names of the enumerations (CONTRACT.md), one per value in
// order, and a value out of range named as the default.
TEST(ContractNames, EachKindAndOutcomeHasItsNameAndAnyOtherTheDefault) {
  const std::vector<std::string> kinds = {
      "pressure_cap", "technique_added", "technique_held",    "stage_advanced",
      "stage_held",   "stage_regressed", "frequency_changed", "duration_changed",
      "postponed",    "referral",        "home_program",      "check_in",
      "note",         "frequency_held"};
  for (std::size_t i = 0; i < kinds.size(); ++i)
    EXPECT_EQ(to_string(static_cast<AdjustmentKind>(i)), kinds[i]);
  EXPECT_STREQ(to_string(static_cast<AdjustmentKind>(kinds.size())), "note");
  const std::vector<std::string> outcomes = {"fired", "not_fired", "unknown", "error",
                                             "suppressed"};
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    EXPECT_EQ(to_string(static_cast<TraceEntry::Outcome>(i)), outcomes[i]);
  EXPECT_STREQ(to_string(static_cast<TraceEntry::Outcome>(outcomes.size())), "unknown");
}

}  // namespace
}  // namespace fascia::test
