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
  e.run_ = expr::runner_for(*program);
  e.test_ = expr::tester_for(*program);
  e.compiled_ = program.get();
  e.program_ = std::move(program);
  return e;
}

void Expression::make_empty() noexcept {
  static const CompiledProgram none;
  compiled_ = &none;
  run_ = [](const CompiledProgram&, const ClientState&) noexcept { return Value::make_error(); };
  test_ = [](const CompiledProgram&, const ClientState&) noexcept { return Truth::error; };
}
Expression::Expression() { make_empty(); }
Expression::~Expression() = default;
Expression::Expression(Expression&& other) noexcept
    : program_(std::move(other.program_)),
      compiled_(other.compiled_),
      run_(other.run_),
      test_(other.test_) {
  other.make_empty();
}
Expression& Expression::operator=(Expression&& other) noexcept {
  if (this == &other) return *this;
  program_ = std::move(other.program_);
  compiled_ = other.compiled_;
  run_ = other.run_;
  test_ = other.test_;
  other.make_empty();
  return *this;
}

Type Expression::type() const noexcept { return program_ ? program_->type : Type::boolean; }

// Namespace-scope constants: no guard to test on every call (the trace
// reads both for every rule it shows).
namespace {
const std::string no_text;
const std::vector<const FieldInfo*> no_fields;
}  // namespace

const std::string& Expression::text() const noexcept { return program_ ? program_->text : no_text; }

const std::vector<const FieldInfo*>& Expression::fields_used() const noexcept {
  return program_ ? program_->fields_used : no_fields;
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

// The reference formatting: at most two decimals, trailing zeros trimmed, no
// locale involved. Exact for any double; used when the fast paths below
// cannot prove they give the same text.
void append_number_slow(std::string& out, double n) {
  char buf[400];
  // A huge number (a runaway expression, an absurd input) prints in six
  // significant digits, "1e+300", never as hundreds of digits.
  const auto result = std::fabs(n) >= 1e15
                          ? std::to_chars(buf, buf + sizeof buf, n, std::chars_format::general, 6)
                          : std::to_chars(buf, buf + sizeof buf, n, std::chars_format::fixed, 2);
  if (result.ec == std::errc{} && std::fabs(n) >= 1e15) {
    out.append(buf, static_cast<std::size_t>(result.ptr - buf));
    return;
  }
  if (result.ec != std::errc{}) {
    out += "error";
    return;
  }
  const char* end = result.ptr;
  while (end[-1] == '0') --end;
  if (end[-1] == '.') --end;
  if (end - buf == 2 && buf[0] == '-' && buf[1] == '0') {
    out += '0';
    return;
  }
  out.append(buf, static_cast<std::size_t>(end - buf));
}

// Everything but single digits.
[[gnu::noinline]] void append_number_general(std::string& out, double n) {
  if (!std::isfinite(n)) {
    out += "error";
    return;
  }
  // Whole numbers (most values shown) print as integers: what the two-decimal
  // formatting gives once its zeros are trimmed; 0 and -0 both give "0".
  if (std::fabs(n) < 1e15) {
    const auto whole = static_cast<long long>(n);
    if (static_cast<double>(whole) == n) {
      char buf[24];
      const char* end = std::to_chars(buf, buf + sizeof buf, whole).ptr;
      out.append(buf, static_cast<std::size_t>(end - buf));
      return;
    }
  }
  // Reasons and traces mostly show whole numbers and quarter or tenth steps:
  // format n * 100 as an integer when that is provably the correctly rounded
  // two-decimal value, which is what std::to_chars(fixed, 2) prints.
  if (std::fabs(n) < 1e13) {
    const double scaled = std::round(n * 100);
    // Exact n * 100 - scaled (one rounding, at most 2^-53 off): clear of the
    // half-way point means `scaled` is the correct rounding.
    const double rest = std::fma(n, 100, -scaled);
    if (std::fabs(rest) < 0.49) {
      long long hundredths = static_cast<long long>(scaled);
      char buf[32];
      char* p = buf;
      if (hundredths < 0) {
        *p++ = '-';
        hundredths = -hundredths;
      }
      if (hundredths == 0) {
        out += '0';  // also -0.001 and -0: never "-0"
        return;
      }
      p = std::to_chars(p, buf + sizeof buf, hundredths / 100).ptr;
      const int cents = static_cast<int>(hundredths % 100);
      if (cents != 0) {
        *p++ = '.';
        *p++ = static_cast<char>('0' + cents / 10);
        if (cents % 10 != 0) *p++ = static_cast<char>('0' + cents % 10);
      }
      out.append(buf, static_cast<std::size_t>(p - buf));
      return;
    }
  }
  append_number_slow(out, n);
}

}  // namespace

void append_number(std::string& out, double n) {
  // Single digits (most numbers reasons show: pain, tolerance, counts) skip
  // the general function's frame; -0 gives "0" there too.
  if (n >= 0 && n < 10) {
    const int digit = static_cast<int>(n);
    if (digit == n) {
      out.push_back(static_cast<char>('0' + digit));
      return;
    }
  }
  append_number_general(out, n);
}

void append_value(std::string& out, const Value& value) {
  switch (value.kind) {
    case Value::Kind::missing:
      out += "absent";
      return;
    case Value::Kind::error:
      out += "error";
      return;
    case Value::Kind::boolean:
      out += value.boolean ? "true" : "false";
      return;
    case Value::Kind::number:
      append_number(out, value.number);
      return;
    case Value::Kind::string:
      out += value.string;
      return;
    case Value::Kind::string_list: {
      out += '[';
      for (std::size_t i = 0; i < value.strings.size(); ++i) {
        if (i) out += ", ";
        out += value.strings[i];
      }
      out += ']';
      return;
    }
    case Value::Kind::number_list: {
      out += '[';
      for (std::size_t i = 0; i < value.numbers.size(); ++i) {
        if (i) out += ", ";
        append_number(out, value.numbers[i]);
      }
      out += ']';
      return;
    }
  }
  out += "error";
}

std::string format_value(const Value& value) {
  std::string out;
  append_value(out, value);
  return out;
}

}  // namespace fascia::detail
