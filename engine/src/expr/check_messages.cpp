#include "expr/check_messages.hpp"

#include "common/did_you_mean.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <vector>

namespace fascia::detail::expr {

std::string with_article(Type type) {
  switch (type) {
    case Type::boolean:
      return "a boolean";
    case Type::number:
      return "a number";
    case Type::string:
      return "a string";
    case Type::string_list:
      return "a string list";
    case Type::number_list:
      return "a number list";
    case Type::series:
      return "a series";
  }
  return "a value";
}

// Appended piecewise: `"'" + std::string(name)` trips GCC 12's -Wrestrict
// false positive (GCC PR 105329).
std::string quoted(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '\'';
  out += name;
  out += '\'';
  return out;
}

std::string operand_as_written(std::string_view text, const Node& node) {
  std::string_view slice;
  if (node.offset <= node.end && node.end <= text.size())
    slice = text.substr(node.offset, node.end - node.offset);
  std::string shown(slice.substr(0, std::min<std::size_t>(slice.size(), 40)));
  if (slice.size() > 40) shown.replace(37, 3, "...");
  if (node.kind == NodeKind::string && slice.size() <= 40) return shown;  // already quoted
  return quoted(shown);
}

std::string unknown_field_message(std::string_view name, const Catalog& catalog) {
  std::vector<std::string_view> paths;
  for (const auto& f : catalog.fields()) paths.push_back(f.path);
  std::string message = "unknown field " + quoted(name);
  if (const auto parts = suggestions(name, paths); !parts.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < parts.size(); ++i)
      message += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + quoted(parts[i]);
    message += "?";
  }
  return message;
}

std::string unknown_enum_value_message(std::string_view name, const FieldInfo& field) {
  std::vector<std::string_view> values(field.enum_values.begin(), field.enum_values.end());
  std::string message = "unknown value " + quoted(name) + " for " + field.path +
                        "; expected one of: " + join(field.enum_values);
  const std::string_view suggestion = closest_match(name, values);
  if (!suggestion.empty()) message += " (did you mean " + quoted(suggestion) + "?)";
  return message;
}

}  // namespace fascia::detail::expr
