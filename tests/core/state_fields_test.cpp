// The table of client-state fields (core/state_fields.hpp) against
// schemas/client-state.schema.json: the same fields, types, ranges and
// required keys, so that the schema documents what the engine checks.
#include "core/state_fields.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

namespace fascia::test {
namespace {

using detail::StateField;
using detail::StateFieldType;
using Json = nlohmann::json;

const Json& schema() {
  static const Json document = [] {
    std::ifstream in(std::string(FASCIA_SOURCE_DIR) + "/schemas/client-state.schema.json");
    return Json::parse(in);
  }();
  return document;
}

// `node` with its $ref followed (one level: the schema's $defs).
Json resolved(const Json& node) {
  Json out = node;
  if (node.contains("$ref")) {
    const std::string ref = node["$ref"];
    out = schema()["$defs"][ref.substr(ref.rfind('/') + 1)];
    for (const auto& [key, value] : node.items())
      if (key != "$ref") out[key] = value;
  }
  return out;
}

// The object holding a field's property and the property's name.
std::pair<Json, std::string> parent_and_key(std::string_view path) {
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) return {schema(), std::string(path)};
  const std::string head(path.substr(0, dot));
  const std::string tail(path.substr(dot + 1));
  if (head == "last") return {schema()["$defs"]["historyEntry"], tail};
  return {resolved(schema()["properties"][head]), tail};
}

bool has_type(const Json& property, const std::string& type) {
  if (!property.contains("type")) return false;
  const Json& t = property["type"];
  if (t.is_string()) return t == type;
  for (const auto& one : t)
    if (one == type) return true;
  return false;
}

bool listed(const Json& list, const std::string& name) {
  for (const auto& item : list)
    if (item == name) return true;
  return false;
}

TEST(StateFields, EveryFieldIsInTheSchemaWithItsTypeRangeAndRequirement) {
  for (const StateField& field : detail::state_fields) {
    SCOPED_TRACE(std::string(field.path));
    const auto [parent, key] = parent_and_key(field.path);
    ASSERT_TRUE(parent["properties"].contains(key));
    const Json property = resolved(parent["properties"][key]);
    switch (field.type) {
      case StateFieldType::integer:
        EXPECT_TRUE(has_type(property, "integer"));
        break;
      case StateFieldType::number:
        EXPECT_TRUE(has_type(property, "number"));
        break;
      case StateFieldType::boolean:
        EXPECT_TRUE(has_type(property, "boolean"));
        break;
      case StateFieldType::text:
      case StateFieldType::choice:
        EXPECT_TRUE(has_type(property, "string") || property.contains("enum"));
        break;
      case StateFieldType::date:
        EXPECT_EQ(property.value("format", ""), "date");
        break;
      case StateFieldType::list:
        EXPECT_TRUE(has_type(property, "array"));
        break;
    }
    if (field.type == StateFieldType::integer || field.type == StateFieldType::number) {
      if (property.contains("const")) {
        EXPECT_EQ(property["const"].get<double>(), field.min);
        EXPECT_EQ(property["const"].get<double>(), field.max);
      } else {
        ASSERT_TRUE(property.contains("minimum") && property.contains("maximum"));
        EXPECT_EQ(property["minimum"].get<double>(), field.min);
        EXPECT_EQ(property["maximum"].get<double>(), field.max);
      }
    }
    // Required when the schema requires it and every object around it
    // (`last.X`: required in a history entry).
    bool required = parent.contains("required") && listed(parent["required"], key);
    const auto dot = field.path.find('.');
    if (dot != std::string_view::npos && field.path.substr(0, dot) != "last")
      required = required && listed(schema()["required"], std::string(field.path.substr(0, dot)));
    EXPECT_EQ(field.required, required);
  }
}

TEST(StateFields, EverySchemaFieldIsInTheTable) {
  std::set<std::string> table;
  for (const StateField& field : detail::state_fields) table.emplace(field.path);
  for (const auto& [key, value] : schema()["properties"].items()) {
    if (key == "observations" || key == "history") continue;  // per protocol; last.X below
    const Json property = resolved(value);
    if (property.contains("properties")) {
      for (const auto& [inner, unused] : property["properties"].items())
        EXPECT_TRUE(table.count(key + "." + inner)) << key << "." << inner;
    } else {
      EXPECT_TRUE(table.count(key)) << key;
    }
  }
  for (const auto& [key, unused] : schema()["$defs"]["historyEntry"]["properties"].items())
    EXPECT_TRUE(table.count("last." + key)) << "last." << key;
}

}  // namespace
}  // namespace fascia::test
