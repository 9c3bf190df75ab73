#pragma once
// The pieces of the type checker's messages (checker.cpp): types with their
// article, names in quotes, an operand as written, and what an unknown
// field or enum value was probably meant to be.

#include "expr/catalog.hpp"
#include "expr/node.hpp"
#include "expr/value.hpp"

#include <string>
#include <string_view>

namespace fascia::detail::expr {

// "a number", "a string list".
std::string with_article(Type type);

// 'name'.
std::string quoted(std::string_view name);

// The operand as written in `text`, for messages: 'pain.current', 'a + b'
// (at most 40 characters; a string literal keeps its own quotes).
std::string operand_as_written(std::string_view text, const Node& node);

// "unknown field 'NAME'", with the suggestions of the common did-you-mean
// rule ("did you mean 'sleep_quality'?").
std::string unknown_field_message(std::string_view name, const Catalog& catalog);

// "unknown value 'NAME' for FIELD; expected one of: ...", with the closest
// value.
std::string unknown_enum_value_message(std::string_view name, const FieldInfo& field);

}  // namespace fascia::detail::expr
