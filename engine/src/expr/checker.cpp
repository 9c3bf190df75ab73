#include "expr/checker.hpp"

#include "common/did_you_mean.hpp"
#include "expr/check_messages.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace fascia::detail::expr {

namespace {

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Where a node appears: a value position, the first argument of a history
// function, the argument of has(), or the right side of `in`.
enum class Use { value, series_argument, field_reference, list_operand };

class Checker {
 public:
  Checker(std::string_view text, const Catalog& catalog, std::vector<ExpressionError>& errors)
      : text_(text), catalog_(catalog), errors_(errors) {}

  void check(Node& node, Use use) {
    node.valid = true;
    switch (node.kind) {
      case NodeKind::number:
        node.type = Type::number;
        if (!std::isfinite(node.number)) fail(node, node.offset, "number out of range");
        break;
      case NodeKind::boolean:
        node.type = Type::boolean;
        break;
      case NodeKind::string:
        node.type = Type::string;
        break;
      case NodeKind::list:
        node.type = Type::string_list;
        if (use == Use::list_operand)
          check_list(node, nullptr);
        else
          fail(node, node.offset, "a list can only follow 'in' or 'not in'");
        break;
      case NodeKind::name:
        check_name(node, use);
        break;
      case NodeKind::call:
        check_call(node);
        break;
      case NodeKind::not_:
        check_unary(node, "not", Type::boolean);
        break;
      case NodeKind::negate:
        check_unary(node, "-", Type::number);
        break;
      case NodeKind::logical:
        check_chain(node, Type::boolean);
        break;
      case NodeKind::arithmetic:
        check_chain(node, Type::number);
        break;
      case NodeKind::compare:
        check_compare(node);
        break;
    }
  }

 private:
  void error(std::size_t offset, std::string message) {
    errors_.push_back({offset, std::move(message)});
  }
  void fail(Node& node, std::size_t offset, std::string message) {
    error(offset, std::move(message));
    node.valid = false;
  }

  std::string describe(const Node& node) const { return operand_as_written(text_, node); }

  void unknown_field(Node& node, std::string_view hint = {}) {
    std::string message = unknown_field_message(node.text, catalog_);
    message += hint;
    fail(node, node.offset, std::move(message));
  }

  void check_name(Node& node, Use use) {
    const FieldInfo* field = catalog_.find_field(node.text);
    if (!field) {
      unknown_field(node);
      return;
    }
    node.field = field;
    node.type = field->type;
    if (field->type == Type::series && use != Use::series_argument && use != Use::field_reference)
      fail(node, node.offset,
           quoted(field->path) + " is a history series: use it as the first argument of a " +
               "history function, e.g. avg(" + field->path + ", 3)");
  }

  void check_unary(Node& node, const char* symbol, Type needed) {
    Node& operand = node.children[0];
    check(operand, Use::value);
    node.type = needed;
    node.valid = operand.valid;
    if (operand.valid && operand.type != needed)
      fail(node, operand.offset,
           quoted(symbol) + " needs " + with_article(needed) + " operand; " + describe(operand) +
               " is " + with_article(operand.type));
  }

  void check_chain(Node& node, Type needed) {
    node.type = needed;
    const char* plural = needed == Type::boolean ? "boolean" : "number";
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      Node& operand = node.children[i];
      check(operand, Use::value);
      if (!operand.valid) {
        node.valid = false;
        continue;
      }
      if (operand.type != needed)
        fail(node, operand.offset,
             quoted(to_symbol(node.ops[i == 0 ? 0 : i - 1])) + " needs " + plural + " operands; " +
                 describe(operand) + " is " + with_article(operand.type));
    }
  }

  // An enum field the node reads directly, or through value_or(field, ...).
  const FieldInfo* enum_field_of(const Node& node) const {
    if (node.kind == NodeKind::name) {
      const FieldInfo* field = catalog_.find_field(node.text);
      return field && !field->enum_values.empty() ? field : nullptr;
    }
    if (node.kind == NodeKind::call && !node.children.empty()) {
      const FunctionInfo* function = catalog_.find_function(node.text);
      if (function && function->shape == FunctionInfo::Shape::same_type)
        return enum_field_of(node.children[0]);
    }
    return nullptr;
  }

  // Whether `node`, compared with `field`, is meant as one of its values: a
  // quoted string, a listed value, or an undotted name that is no field.
  bool is_enum_candidate(const Node& node, const FieldInfo& field) const {
    if (node.kind == NodeKind::string) return true;
    if (node.kind != NodeKind::name) return false;
    if (contains(field.enum_values, node.text)) return true;
    if (catalog_.find_field(node.text)) return false;
    return node.text.find('.') == std::string::npos;
  }

  void check_enum_literal(Node& node, const FieldInfo& field) {
    node.valid = true;
    node.type = Type::string;
    node.enum_literal = node.kind == NodeKind::name;
    if (contains(field.enum_values, node.text)) return;
    fail(node, node.offset, unknown_enum_value_message(node.text, field));
  }

  void check_list(Node& list, const FieldInfo* enum_field) {
    if (list.children.empty()) {
      fail(list, list.offset, "a list needs at least one item");
      return;
    }
    std::optional<Type> element;
    for (Node& item : list.children) {
      const bool number_literal =
          item.kind == NodeKind::number ||
          (item.kind == NodeKind::negate && item.children[0].kind == NodeKind::number);
      if (number_literal) {
        check(item, Use::value);
      } else if (item.kind == NodeKind::string || item.kind == NodeKind::name) {
        if (enum_field && is_enum_candidate(item, *enum_field)) {
          check_enum_literal(item, *enum_field);
        } else if (item.kind == NodeKind::string) {
          check(item, Use::value);
        } else if (catalog_.find_field(item.text)) {
          fail(item, item.offset,
               "list items must be numbers or strings; " + quoted(item.text) + " is a field");
        } else {
          fail(item, item.offset,
               "unknown value " + quoted(item.text) + " in a list: quote it ('" + item.text +
                   "') unless the left side of 'in' is an enum field");
        }
      } else {
        fail(item, item.offset, "list items must be numbers or strings");
      }
      if (!item.valid) {
        list.valid = false;
        continue;
      }
      const Type type = item.type == Type::number ? Type::number : Type::string;
      if (!element)
        element = type;
      else if (*element != type)
        fail(list, item.offset, "a list cannot mix numbers and strings");
    }
    list.type = element == Type::number ? Type::number_list : Type::string_list;
  }

  bool unknown_name(const Node& node) const {
    return node.kind == NodeKind::name && !catalog_.find_field(node.text);
  }

  void check_compare(Node& node) {
    node.type = Type::boolean;
    Node& lhs = node.children[0];
    Node& rhs = node.children[1];
    const BinaryOp op = node.ops[0];
    const std::string symbol = quoted(to_symbol(op));
    switch (op) {
      case BinaryOp::eq:
      case BinaryOp::ne: {
        const FieldInfo* left_enum = enum_field_of(lhs);
        const FieldInfo* right_enum = enum_field_of(rhs);
        if (left_enum && is_enum_candidate(rhs, *left_enum)) {
          check(lhs, Use::value);
          check_enum_literal(rhs, *left_enum);
        } else if (right_enum && is_enum_candidate(lhs, *right_enum)) {
          check_enum_literal(lhs, *right_enum);
          check(rhs, Use::value);
        } else if (unknown_name(lhs) && unknown_name(rhs)) {
          // `sensitivty == high`: a misspelt field and, most likely, one of
          // its values. One error, for the field (the dotted or first one).
          Node& field =
              rhs.text.find('.') != std::string::npos && lhs.text.find('.') == std::string::npos
                  ? rhs
                  : lhs;
          check(field, Use::value);
          lhs.valid = rhs.valid = false;
        } else {
          check(lhs, Use::value);
          check(rhs, Use::value);
        }
        node.valid = lhs.valid && rhs.valid;
        if (!node.valid) return;
        bool scalar = true;
        for (const Node* side : {&lhs, &rhs})
          if (side->type != Type::boolean && side->type != Type::number &&
              side->type != Type::string) {
            fail(node, side->offset,
                 symbol + " needs numbers, booleans or strings; " + describe(*side) + " is " +
                     with_article(side->type));
            scalar = false;
          }
        if (scalar && lhs.type != rhs.type)
          fail(node, node.op_offsets[0],
               symbol + " needs operands of the same type; " + describe(lhs) + " is " +
                   with_article(lhs.type) + ", " + describe(rhs) + " is " + with_article(rhs.type));
        return;
      }
      case BinaryOp::lt:
      case BinaryOp::le:
      case BinaryOp::gt:
      case BinaryOp::ge:
        check(lhs, Use::value);
        check(rhs, Use::value);
        node.valid = lhs.valid && rhs.valid;
        for (const Node* side : {&lhs, &rhs})
          if (side->valid && side->type != Type::number)
            fail(node, side->offset,
                 symbol + " needs number operands; " + describe(*side) + " is " +
                     with_article(side->type));
        return;
      case BinaryOp::in:
      case BinaryOp::not_in: {
        const FieldInfo* left_enum = enum_field_of(lhs);
        check(lhs, Use::value);
        if (rhs.kind == NodeKind::list) {
          rhs.valid = true;
          check_list(rhs, left_enum);
        } else {
          check(rhs, Use::value);
          if (rhs.valid && rhs.type != Type::string_list && rhs.type != Type::number_list)
            fail(rhs, rhs.offset,
                 symbol + " needs a list on the right; " + describe(rhs) + " is " +
                     with_article(rhs.type));
        }
        node.valid = lhs.valid && rhs.valid;
        if (!node.valid) return;
        const Type element = rhs.type == Type::number_list ? Type::number : Type::string;
        if (lhs.type != element)
          fail(node, lhs.offset,
               symbol + " needs " + with_article(element) + " on the left of " +
                   with_article(rhs.type) + "; " + describe(lhs) + " is " + with_article(lhs.type));
        return;
      }
      default:
        break;
    }
  }

  std::string arguments_text(std::size_t count) const {
    return std::to_string(count) + (count == 1 ? " argument" : " arguments");
  }

  void check_call(Node& node) {
    const FunctionInfo* function = catalog_.find_function(node.text);
    if (!function) {
      std::vector<std::string_view> names;
      for (const auto& f : catalog_.functions()) names.push_back(f.name);
      std::string message = "unknown function " + quoted(node.text);
      const std::string_view suggestion = closest_match(node.text, names);
      if (!suggestion.empty()) message += "; did you mean " + quoted(suggestion) + "?";
      fail(node, node.offset, std::move(message));
      for (Node& arg : node.children) check(arg, Use::field_reference);
      node.valid = false;
      return;
    }
    node.function = function;
    const std::string name = quoted(function->name);
    const std::size_t count = node.children.size();
    auto argument = [&](std::size_t i) {
      return "argument " + std::to_string(i + 1) + " of " + name;
    };
    bool valid = true;

    switch (function->shape) {
      case FunctionInfo::Shape::field_presence: {
        node.type = Type::boolean;
        if (count != 1) {
          fail(node, node.offset,
               "function " + name + " takes 1 argument, got " + std::to_string(count));
          valid = false;
        }
        // Only the first argument is looked at; extra ones are already an error.
        for (std::size_t i = 0; i < std::min<std::size_t>(count, 1); ++i) {
          Node& arg = node.children[i];
          if (arg.kind == NodeKind::name) {
            check(arg, Use::field_reference);
          } else {
            fail(arg, arg.offset, argument(i) + " must be a field name");
          }
          valid = valid && arg.valid;
        }
        break;
      }
      case FunctionInfo::Shape::same_type: {
        const std::size_t wanted = function->parameters.size();
        if (count != wanted) {
          fail(node, node.offset,
               "function " + name + " takes " + arguments_text(wanted) + ", got " +
                   std::to_string(count));
          valid = false;
        }
        const FieldInfo* enum_field = count ? enum_field_of(node.children[0]) : nullptr;
        for (std::size_t i = 0; i < count; ++i) {
          Node& arg = node.children[i];
          if (i > 0 && enum_field && is_enum_candidate(arg, *enum_field))
            check_enum_literal(arg, *enum_field);
          else
            check(arg, Use::value);
          valid = valid && arg.valid;
        }
        node.type = count ? node.children[0].type : Type::number;
        if (count && node.children[0].valid)
          for (std::size_t i = 1; i < count; ++i) {
            const Node& arg = node.children[i];
            if (arg.valid && arg.type != node.type) {
              error(arg.offset, argument(i) + " must be " + with_article(node.type) + ", got " +
                                    to_string(arg.type));
              valid = false;
            }
          }
        break;
      }
      case FunctionInfo::Shape::fixed: {
        node.type = function->result;
        const auto& parameters = function->parameters;
        if (function->variadic) {
          if (count < function->min_args) {
            fail(node, node.offset,
                 "function " + name + " takes at least " + arguments_text(function->min_args) +
                     ", got " + std::to_string(count));
            valid = false;
          }
        } else if (count != parameters.size()) {
          fail(node, node.offset,
               "function " + name + " takes " +
                   (parameters.empty() ? std::string("no arguments")
                                       : arguments_text(parameters.size())) +
                   ", got " + std::to_string(count));
          valid = false;
        }
        for (std::size_t i = 0; i < count; ++i) {
          Node& arg = node.children[i];
          std::optional<Type> wanted;
          if (i < parameters.size())
            wanted = parameters[i];
          else if (function->variadic && !parameters.empty())
            wanted = parameters.back();
          if (wanted == Type::series) {
            check(arg, Use::series_argument);
            if (arg.valid && arg.type != Type::series) {
              error(arg.offset, argument(i) +
                                    " must be a history series such as history.pressure, got " +
                                    to_string(arg.type));
              valid = false;
            }
          } else if (wanted == Type::string && arg.kind == NodeKind::name &&
                     !catalog_.find_field(arg.text) && arg.text.find('.') == std::string::npos) {
            unknown_field(arg, "; to pass text, quote it: '" + arg.text + "'");
          } else {
            check(arg, Use::value);
            if (wanted && arg.valid && arg.type != *wanted) {
              error(arg.offset, argument(i) + " must be " + with_article(*wanted) + ", got " +
                                    to_string(arg.type));
              valid = false;
            }
          }
          valid = valid && arg.valid;
        }
        break;
      }
    }
    node.valid = valid;
  }

  std::string_view text_;
  const Catalog& catalog_;
  std::vector<ExpressionError>& errors_;
};

}  // namespace

bool check_expression(Node& root, std::string_view text, const Catalog& catalog,
                      std::optional<Type> expected, std::vector<ExpressionError>& errors) {
  const std::size_t first_error = errors.size();
  Checker checker(text, catalog, errors);
  checker.check(root, Use::value);
  if (root.valid && expected && root.type != *expected) {
    if (*expected == Type::boolean)
      errors.push_back(
          {root.offset, std::string("condition must be boolean, got ") + to_string(root.type)});
    else
      errors.push_back({root.offset, std::string("expression must be ") + to_string(*expected) +
                                         ", got " + to_string(root.type)});
    root.valid = false;
  }
  // Report in the order of the text, whatever order the checks ran in.
  std::stable_sort(
      errors.begin() + static_cast<std::ptrdiff_t>(first_error), errors.end(),
      [](const ExpressionError& a, const ExpressionError& b) { return a.offset < b.offset; });
  return errors.size() == first_error;
}

}  // namespace fascia::detail::expr
