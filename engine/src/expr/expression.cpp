#include "expr/expression.hpp"

#include "expr/checker.hpp"
#include "expr/parser.hpp"
#include "expr/program.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace fascia::detail {

Expression make_expression(std::unique_ptr<CompiledProgram> program) {
  Expression e;
  e.program_ = std::move(program);
  return e;
}

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

Type Expression::type() const noexcept { return program_ ? program_->type : Type::boolean; }

const std::string& Expression::text() const noexcept {
  static const std::string empty;
  return program_ ? program_->text : empty;
}

const std::vector<const FieldInfo*>& Expression::fields_used() const noexcept {
  static const std::vector<const FieldInfo*> none;
  return program_ ? program_->fields_used : none;
}

Value Expression::evaluate(const ClientState& state) const noexcept {
  if (!program_) return Value::make_error();
  try {
    return expr::run_program(*program_, state);
  } catch (...) {
    return Value::make_error();  // a function that threw despite its contract
  }
}

namespace {

bool compile(std::string_view text, std::optional<Type> expected, const Catalog& catalog,
             const CompileLimits& limits, Expression& out, std::vector<ExpressionError>& errors) {
  expr::Node root;
  if (!expr::parse_expression(text, limits, root, errors)) return false;
  if (!expr::check_expression(root, text, catalog, expected, errors)) return false;
  auto program = std::make_unique<CompiledProgram>();
  program->text = std::string(text);
  program->type = root.type;
  if (!expr::compile_program(root, *program, errors)) return false;
  out = make_expression(std::move(program));
  return true;
}

}  // namespace

bool compile_expression(std::string_view text, Type expected, const Catalog& catalog,
                        const CompileLimits& limits, Expression& out,
                        std::vector<ExpressionError>& errors) {
  return compile(text, expected, catalog, limits, out, errors);
}

bool compile_expression(std::string_view text, const Catalog& catalog, const CompileLimits& limits,
                        Expression& out, std::vector<ExpressionError>& errors) {
  return compile(text, std::nullopt, catalog, limits, out, errors);
}

namespace {

// At most two decimals, trailing zeros trimmed, no locale involved.
std::string format_number(double n) {
  if (!std::isfinite(n)) return "error";
  char buf[400];
  const auto result = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::fixed, 2);
  if (result.ec != std::errc{}) return "error";
  std::string out(buf, result.ptr);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

std::string format_value(const Value& value) {
  switch (value.kind) {
    case Value::Kind::missing: return "absent";
    case Value::Kind::error: return "error";
    case Value::Kind::boolean: return value.boolean ? "true" : "false";
    case Value::Kind::number: return format_number(value.number);
    case Value::Kind::string: return std::string(value.string);
    case Value::Kind::string_list: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.strings.size(); ++i) {
        if (i) out += ", ";
        out += value.strings[i];
      }
      return out + "]";
    }
    case Value::Kind::number_list: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.numbers.size(); ++i) {
        if (i) out += ", ";
        out += format_number(value.numbers[i]);
      }
      return out + "]";
    }
  }
  return "error";
}

}  // namespace fascia::detail
