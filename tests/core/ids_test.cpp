// The one id validator (common/ids.hpp) against the patterns the JSON
// schemas publish: a protocol the engine accepts must give recommendations
// that validate (issue 12: `protocol.id: Fibromyalgia` did not).
#include "common/ids.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace fascia::test {
namespace {

using detail::IdKind;

nlohmann::json schema(const std::string& name) {
  std::ifstream in(std::string(FASCIA_SOURCE_DIR) + "/schemas/" + name);
  return nlohmann::json::parse(in);
}

std::vector<std::string> samples() {
  return {"",
          "fibromyalgia",
          "Fibromyalgia",
          "low-back_pain2",
          "caps.high-sensitivity",
          "a b",
          "tab\t",
          "é",
          "stage/1",
          ".",
          "-",
          "_",
          "UPPER",
          std::string(128, 'a'),
          std::string(129, 'a'),
          std::string(128, '.'),
          "x:y"};
}

void expect_agrees(IdKind kind, const std::string& pattern, const char* where) {
  const std::regex re(pattern);
  for (const auto& s : samples())
    EXPECT_EQ(detail::is_valid_id(kind, s), std::regex_match(s, re))
        << where << " " << pattern << " on '" << s << "'";
}

TEST(Ids, ValidatorAgreesWithTheProtocolSchema) {
  const auto protocol = schema("protocol.schema.json");
  expect_agrees(IdKind::protocol, protocol["properties"]["protocol"]["properties"]["id"]["pattern"],
                "protocol.id");
  expect_agrees(IdKind::id, protocol["$defs"]["id"]["pattern"], "$defs/id");
  expect_agrees(IdKind::observation, protocol["$defs"]["observationName"]["pattern"],
                "$defs/observationName");
  expect_agrees(IdKind::rule, protocol["$defs"]["ruleId"]["pattern"], "$defs/ruleId");
}

TEST(Ids, ProtocolIdsTheEngineAcceptsValidateInARecommendation) {
  const auto recommendation = schema("recommendation.schema.json");
  expect_agrees(IdKind::protocol,
                recommendation["properties"]["protocol"]["properties"]["id"]["pattern"],
                "recommendation protocol.id");
}

TEST(Ids, MessagesNameTheAllowedCharacters) {
  EXPECT_EQ(detail::id_characters(IdKind::protocol), "lower-case letters, digits, '_' and '-'");
  EXPECT_EQ(detail::id_characters(IdKind::id), "letters, digits, '_' and '-'");
  EXPECT_EQ(detail::id_characters(IdKind::observation), "letters, digits and '_'");
  EXPECT_EQ(detail::id_characters(IdKind::rule), "letters, digits, '_', '-' and '.'");
}

}  // namespace
}  // namespace fascia::test
