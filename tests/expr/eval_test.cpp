// Evaluation: Kleene logic, missing/error propagation, arithmetic,
// comparisons, membership, formatting, no allocation, thread safety.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <new>
#include <thread>

// Counts heap allocations so that a test can check evaluation makes none.
// GCC 12 warns about free() on memory from the (replaced) operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<long> allocations{0};
}
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): a
// block from the library's nothrow new must not reach the free() above
// (AddressSanitizer: alloc-dealloc-mismatch).
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace fascia::test {
using namespace fascia::detail;
namespace {

// The four truth values and the fields that produce them.
enum class K { f, t, m, e };
const char* field_for(K k) {
  switch (k) {
    case K::f:
      return "b.no";
    case K::t:
      return "b.yes";
    case K::m:
      return "b.unknown";
    case K::e:
      return "b.fails";
  }
  return "";
}
std::string text_of(K k) {
  switch (k) {
    case K::f:
      return "false";
    case K::t:
      return "true";
    case K::m:
      return "absent";
    case K::e:
      return "error";
  }
  return "";
}

// The documented semantics, written independently of the evaluator.
K kleene_and(std::vector<K> operands) {
  auto any = [&](K k) { return std::find(operands.begin(), operands.end(), k) != operands.end(); };
  if (any(K::f)) return K::f;
  if (any(K::e)) return K::e;
  if (any(K::m)) return K::m;
  return K::t;
}
K kleene_or(std::vector<K> operands) {
  auto any = [&](K k) { return std::find(operands.begin(), operands.end(), k) != operands.end(); };
  if (any(K::t)) return K::t;
  if (any(K::e)) return K::e;
  if (any(K::m)) return K::m;
  return K::f;
}

const K all[] = {K::f, K::t, K::m, K::e};

TEST(Evaluate, KleeneAndOrTruthTables) {
  for (K a : all)
    for (K b : all) {
      const std::string x = field_for(a), y = field_for(b);
      EXPECT_EQ(eval_text(x + " and " + y), text_of(kleene_and({a, b}))) << x << " and " << y;
      EXPECT_EQ(eval_text(x + " or " + y), text_of(kleene_or({a, b}))) << x << " or " << y;
      for (K c : all) {
        const std::string z = field_for(c);
        EXPECT_EQ(eval_text(x + " and " + y + " and " + z), text_of(kleene_and({a, b, c})))
            << x << " and " << y << " and " << z;
        EXPECT_EQ(eval_text(x + " or " + y + " or " + z), text_of(kleene_or({a, b, c})))
            << x << " or " << y << " or " << z;
      }
    }
}

TEST(Evaluate, Not) {
  EXPECT_EQ(eval_text("not b.yes"), "false");
  EXPECT_EQ(eval_text("not b.no"), "true");
  EXPECT_EQ(eval_text("not b.unknown"), "absent");
  EXPECT_EQ(eval_text("not b.fails"), "error");
  EXPECT_EQ(eval_text("not not b.yes"), "true");
  EXPECT_EQ(eval_text("not (b.no or b.unknown)"), "absent");
}

TEST(Evaluate, MixedLogic) {
  EXPECT_EQ(eval_text("b.yes and b.no or b.yes"), "true");
  EXPECT_EQ(eval_text("b.no or b.yes and b.unknown"), "absent");
  EXPECT_EQ(eval_text("(b.no or b.yes) and (b.unknown or b.yes)"), "true");
  // Short-circuit: the right side is skipped, its error does not matter.
  EXPECT_EQ(eval_text("b.no and 1 / 0 > 1"), "false");
  EXPECT_EQ(eval_text("b.yes or 1 / 0 > 1"), "true");
  EXPECT_EQ(eval_text("1 / 0 > 1 and b.no"), "false");
  EXPECT_EQ(eval_text("1 / 0 > 1 or b.yes"), "true");
}

TEST(Evaluate, ComparisonsPropagateUnknowns) {
  EXPECT_EQ(eval_text("n.seven > 3"), "true");
  EXPECT_EQ(eval_text("n.seven >= 7"), "true");
  EXPECT_EQ(eval_text("n.seven < 7"), "false");
  EXPECT_EQ(eval_text("n.seven <= 7"), "true");
  EXPECT_EQ(eval_text("n.seven == 7"), "true");
  EXPECT_EQ(eval_text("n.seven != 7"), "false");
  EXPECT_EQ(eval_text("n.missing > 3"), "absent");
  EXPECT_EQ(eval_text("3 > n.missing"), "absent");
  EXPECT_EQ(eval_text("n.missing == n.missing"), "absent");
  EXPECT_EQ(eval_text("n.error > 3"), "error");
  EXPECT_EQ(eval_text("n.missing == n.error"), "error");
  EXPECT_EQ(eval_text("n.error != n.missing"), "error");
  EXPECT_EQ(eval_text("b.unknown == true"), "absent");
  EXPECT_EQ(eval_text("n.missing in [1, 2]"), "absent");
  EXPECT_EQ(eval_text("n.error not in [1, 2]"), "error");
  // Exact double comparison.
  EXPECT_EQ(eval_text("0.1 + 0.2 == 0.3"), "false");
  EXPECT_EQ(eval_text("0.5 + 0.25 == 0.75"), "true");
}

// String fields for the fused comparisons: arg 0 "high", 1 a number (a
// misbehaving getter), 2 missing, 3 error.
Value fixed_string(const ClientState&, std::uint32_t arg) noexcept {
  switch (arg) {
    case 0:
      return Value::make_string("high");
    case 1:
      return Value::make_number(1);
    case 2:
      return Value::make_missing();
    default:
      return Value::make_error();
  }
}

const Catalog& catalog_with_strings() {
  static const Catalog catalog = [] {
    Catalog c = test_catalog();
    const char* names[] = {"s.high", "s.number", "s.missing", "s.fails"};
    for (std::uint32_t i = 0; i < 4; ++i) {
      FieldInfo f;
      f.path = names[i];
      f.type = Type::string;
      f.getter = fixed_string;
      f.arg = i;
      c.add_field(std::move(f));
    }
    return c;
  }();
  return catalog;
}

// `field <op> number` and `field ==/!= string` compile to one fused
// instruction; `- -field` and a constant on the left take the unfused path.
// Both must agree for normal, missing and error operands, alone (the
// single-instruction path) and inside a larger program.
TEST(Evaluate, FusedFieldComparisonsMatchTheUnfusedForms) {
  for (const char* field : {"n.seven", "n.missing", "n.error", "pain.current", "sleep_quality"})
    for (const char* op : {"==", "!=", "<", "<=", ">", ">="})
      for (const char* constant : {"3", "6", "7", "10"}) {
        const std::string fused = std::string(field) + " " + op + " " + constant;
        const std::string unfused = std::string("- -") + field + " " + op + " " + constant;
        EXPECT_EQ(eval_text(fused), eval_text(unfused)) << fused;
        EXPECT_EQ(eval_text("b.yes and " + fused), eval_text("b.yes and " + unfused)) << fused;
      }
  // value_or(field, number) <op> number; the fallback as a negation is not fused.
  for (const char* field :
       {"n.seven", "n.missing", "n.error", "last.soreness_24h", "sleep_quality"})
    for (const char* op : {"==", "!=", "<", "<=", ">", ">="})
      for (const char* fallback : {"0", "7", "10"}) {
        const std::string fused =
            std::string("value_or(") + field + ", " + fallback + ") " + op + " 7";
        const std::string unfused =
            std::string("value_or(- -") + field + ", - -" + fallback + ") " + op + " 7";
        EXPECT_EQ(eval_text(fused), eval_text(unfused)) << fused;
        EXPECT_EQ(eval_text("b.yes and " + fused), eval_text("b.yes and " + unfused)) << fused;
      }
  // field <op> field <arith> number; a negated left side is not fused.
  for (const char* left : {"n.seven", "n.missing", "n.error", "pain.current", "sleep_quality"})
    for (const char* right : {"n.seven", "n.missing", "n.error", "pain.baseline"})
      for (const char* op : {"==", "!=", "<", "<=", ">", ">="})
        for (const char* arith : {"+", "-", "*", "/"})
          for (const char* number : {"0", "2", "1e308"}) {
            const std::string rest =
                std::string(" ") + op + " " + right + " " + arith + " " + number;
            const std::string fused = left + rest;
            const std::string unfused = std::string("- -") + left + rest;
            EXPECT_EQ(eval_text(fused), eval_text(unfused)) << fused;
            EXPECT_EQ(eval_text("b.yes and " + fused), eval_text("b.yes and " + unfused)) << fused;
          }
  EXPECT_EQ(eval_text("pain.current >= pain.baseline + 2"), "false");  // 6 >= 10
  EXPECT_EQ(eval_text("pain.current >= pain.baseline - 2"), "true");
  EXPECT_EQ(eval_text("n.seven == n.seven / 0"), "error");
  EXPECT_EQ(eval_text("n.missing < n.error + 1"), "error");  // error wins over missing
  EXPECT_EQ(eval_text("n.missing < n.seven + 1"), "absent");
  EXPECT_EQ(eval_text("n.seven < n.missing + 1"), "absent");
  EXPECT_EQ(eval_text("value_or(n.seven, 0) >= 7"), "true");
  EXPECT_EQ(eval_text("value_or(n.missing, 7) >= 7"), "true");
  EXPECT_EQ(eval_text("value_or(n.missing, 6) >= 7"), "false");
  EXPECT_EQ(eval_text("value_or(n.error, 7) >= 7"), "error");
  EXPECT_EQ(eval_text("b.no or value_or(n.error, 7) >= 7"), "error");
  EXPECT_EQ(eval_text("n.seven >= 7"), "true");
  EXPECT_EQ(eval_text("n.seven < 7"), "false");
  EXPECT_EQ(eval_text("n.missing < 7"), "absent");
  EXPECT_EQ(eval_text("n.error < 7"), "error");
  EXPECT_EQ(eval_text("sleep_quality <= 3"), "absent");  // optional, not set
  EXPECT_EQ(eval_text("b.no or n.error >= 1"), "error");
  EXPECT_EQ(eval_text("b.yes and n.missing >= 1"), "absent");

  const Catalog& c = catalog_with_strings();
  const ClientState state = sample_state();
  for (const char* field : {"s.high", "s.number", "s.missing", "s.fails", "sensitivity"})
    for (const char* op : {"==", "!="})
      for (const char* constant : {"'high'", "'low'", "moderate"}) {
        // A bare name is an enum value: only the enum field takes one.
        if (constant[0] != '\'' && std::string_view(field) != "sensitivity") continue;
        const std::string fused = std::string(field) + " " + op + " " + constant;
        const std::string unfused = std::string(constant) + " " + op + " " + field;
        EXPECT_EQ(eval_text(fused, state, c), eval_text(unfused, state, c)) << fused;
        EXPECT_EQ(eval_text("b.yes and " + fused, state, c),
                  eval_text("b.yes and " + unfused, state, c))
            << fused;
      }
  EXPECT_EQ(eval_text("s.high == 'high'", state, c), "true");
  EXPECT_EQ(eval_text("s.high != 'high'", state, c), "false");
  EXPECT_EQ(eval_text("s.high == 'low'", state, c), "false");
  EXPECT_EQ(eval_text("s.number == 'high'", state, c), "error");
  EXPECT_EQ(eval_text("s.missing != 'high'", state, c), "absent");
  EXPECT_EQ(eval_text("s.fails == 'high'", state, c), "error");
  EXPECT_EQ(eval_text("observations.energy == ok"), "absent");
  ClientState with_energy = state;
  with_energy.observations[1].value = std::string("ok");
  EXPECT_EQ(eval_text("observations.energy == ok", with_energy), "true");
  EXPECT_EQ(eval_text("observations.energy != ok", with_energy), "false");
}

// Programs that are one value-producing instruction, or an and/or of such,
// run without the value stack. Comparing the same and/or with `true` puts it
// under a comparison, which the general loop runs: both must agree, also
// with operands of several instructions (general loop either way).
TEST(Evaluate, ChainsMatchTheGeneralLoop) {
  const std::vector<std::string> operands = {
      "b.yes", "b.no", "b.unknown", "b.fails", "not b.yes", "not b.no", "not b.unknown",
      "not b.fails", "n.seven >= 7", "n.missing < 3", "n.error > 1", "value_or(n.missing, 2) > 1",
      "value_or(n.error, 2) > 1", "sensitivity == high",
      // Operands of several instructions.
      "n.seven + 1 > 7", "n.missing + 1 > 7", "1 / 0 > 1", "b.yes == true", "(b.no or b.unknown)",
      "not (b.yes and b.fails)", "(b.yes and not b.no)"};
  auto general = [](const std::string& text) { return "(" + text + ") == true"; };
  for (const auto& x : operands) {
    for (const auto& y : operands) {
      const std::string both_and = x + " and " + y;
      const std::string both_or = x + " or " + y;
      EXPECT_EQ(eval_text(both_and), eval_text(general(both_and))) << both_and;
      EXPECT_EQ(eval_text(both_or), eval_text(general(both_or))) << both_or;
      for (const char* z : {"b.yes", "b.unknown", "not b.fails", "n.missing + 1 > 7"}) {
        const std::string three_and = both_and + " and " + z;
        const std::string three_or = both_or + " or " + z;
        EXPECT_EQ(eval_text(three_and), eval_text(general(three_and))) << three_and;
        EXPECT_EQ(eval_text(three_or), eval_text(general(three_or))) << three_or;
      }
    }
  }
  EXPECT_EQ(eval_text("not b.unknown"), "absent");
  EXPECT_EQ(eval_text("not b.fails"), "error");
  EXPECT_EQ(eval_text("not b.no and n.seven >= 7"), "true");
  EXPECT_EQ(eval_text("b.unknown and b.fails"), "error");
  EXPECT_EQ(eval_text("b.unknown or not b.yes"), "absent");
  EXPECT_EQ(eval_text("b.fails or b.yes"), "true");
  EXPECT_EQ(eval_text("b.no and b.fails"), "false");
  EXPECT_EQ(eval_text("b.no and 1 / 0 > 1"), "false");  // short-circuit
  EXPECT_EQ(eval_text("n.seven + 1 > 7 and (b.no or b.unknown)"), "absent");
  // Mixed and/or: the operands of the top `or` include an `and`.
  EXPECT_EQ(eval_text("b.no and b.yes or b.yes"), "true");
  EXPECT_EQ(eval_text("b.yes or b.no and b.fails"), "true");
}

// A program that is one field read returns the getter's value directly;
// `not not`, `- -` and `value_or(x, x)` read the same field through the
// general loop: both must agree for normal, missing and error values.
TEST(Evaluate, BareFieldReadsMatchTheGeneralLoop) {
  for (const char* field : {"b.yes", "b.no", "b.unknown", "b.fails", "flare.active"}) {
    EXPECT_EQ(eval_text(field), eval_text(std::string("not not ") + field)) << field;
    EXPECT_EQ(eval_text(field),
              eval_text(std::string("(") + field + ") == true or b.no and " + field))
        << field;
  }
  for (const char* field :
       {"n.seven", "n.missing", "n.error", "pain.current", "sleep_quality", "last.soreness_24h"})
    EXPECT_EQ(eval_text(field), eval_text(std::string("- -") + field)) << field;
  const Catalog& c = catalog_with_strings();
  const ClientState state = sample_state();
  for (const char* field : {"s.high", "s.missing", "s.fails", "sensitivity", "client.id"})
    EXPECT_EQ(eval_text(field, state, c),
              eval_text(std::string("value_or(") + field + ", " + field + ")", state, c))
        << field;
  EXPECT_EQ(eval_text("b.yes"), "true");
  EXPECT_EQ(eval_text("b.unknown"), "absent");
  EXPECT_EQ(eval_text("b.fails"), "error");
  EXPECT_EQ(eval_text("n.seven"), "7");
}

// A program that starts with single instructions joined by and/or, then
// needs the stack (`program.frequency == weekly and value_or(trend(...), 0)
// <= 0`), runs that prefix without the stack and continues in the loop.
// `true == (...)` starts with a constant: the loop runs all of it.
TEST(Evaluate, PrefixedProgramsMatchTheGeneralLoop) {
  const std::vector<std::string> singles = {"b.yes",
                                            "b.no",
                                            "b.unknown",
                                            "b.fails",
                                            "not b.unknown",
                                            "n.seven >= 7",
                                            "n.error > 1",
                                            "value_or(n.missing, 2) > 1",
                                            "sensitivity == high"};
  const std::vector<std::string> generals = {
      "n.seven + 1 > 7",        "n.missing + 1 > 7", "1 / 0 > 1",
      "b.yes == true",          "b.unknown == true", "(b.no or b.unknown)",
      "not (b.yes and b.fails)"};
  auto general = [](const std::string& text) { return "true == (" + text + ")"; };
  for (const auto& x : singles)
    for (const auto& g : generals) {
      std::vector<std::string> texts = {x + " and " + g, x + " or " + g, g + " and " + x};
      for (const auto& y : singles) {
        texts.push_back(x + " and " + y + " and " + g);
        texts.push_back(x + " or " + y + " or " + g);
        texts.push_back(x + " and " + g + " and " + y);
        texts.push_back(x + " and " + y + " or " + g);
        texts.push_back(x + " or " + y + " and " + g);
      }
      for (const auto& text : texts) EXPECT_EQ(eval_text(text), eval_text(general(text))) << text;
    }
  // A first instruction that is not a condition.
  for (const std::string text : {"n.seven + 1", "n.missing * 2", "n.error - 1", "pain.current / 0"})
    EXPECT_EQ(eval_text(text), eval_text("0 + (" + text + ")")) << text;
  for (const std::string text : {"n.seven + 1 > 7", "pain.current in [6, 7]", "n.missing in [1]"})
    EXPECT_EQ(eval_text(text), eval_text(general(text))) << text;
  EXPECT_EQ(eval_text("n.seven + 1"), "8");
  EXPECT_EQ(eval_text("b.no and 1 / 0 > 1"), "false");  // decided by the prefix
  EXPECT_EQ(eval_text("b.yes and b.yes and 1 / 0 > 1"), "error");
  EXPECT_EQ(eval_text("b.unknown and n.seven + 1 > 7"), "absent");
  EXPECT_EQ(eval_text("b.yes or b.unknown or 1 / 0 > 1"), "true");
}

TEST(Evaluate, Arithmetic) {
  EXPECT_EQ(eval_text("1 + 2 * 3"), "7");
  EXPECT_EQ(eval_text("(1 + 2) * 3"), "9");
  EXPECT_EQ(eval_text("10 / 4"), "2.5");
  EXPECT_EQ(eval_text("7 - 2 - 1"), "4");
  EXPECT_EQ(eval_text("2 * 3 / 4"), "1.5");
  EXPECT_EQ(eval_text("-n.seven + 1"), "-6");
  EXPECT_EQ(eval_text("- -n.seven"), "7");
  EXPECT_EQ(eval_text("1 / 3"), "0.33");
  EXPECT_EQ(eval_text("1 / 0"), "error");
  EXPECT_EQ(eval_text("pain.current / (pain.baseline - 8)"), "error");
  EXPECT_EQ(eval_text("0 / 0"), "error");
  EXPECT_EQ(eval_text("1e308 * 10"), "error");
  EXPECT_EQ(eval_text("n.missing + 1"), "absent");
  EXPECT_EQ(eval_text("-n.missing"), "absent");
  EXPECT_EQ(eval_text("n.error * 0"), "error");
  EXPECT_EQ(eval_text("n.missing / 0"), "absent");
  EXPECT_EQ(eval_text("n.error + n.missing"), "error");
  EXPECT_EQ(eval_text("(1 / 0) + n.missing"), "error");
}

TEST(Evaluate, StringsAndEnums) {
  EXPECT_EQ(eval_text("client.id == 'C-1042'"), "true");
  EXPECT_EQ(eval_text("client.id == \"C-1043\""), "false");
  EXPECT_EQ(eval_text("sensitivity == high"), "true");
  EXPECT_EQ(eval_text("sensitivity != 'high'"), "false");
  EXPECT_EQ(eval_text("low == sensitivity"), "false");
  EXPECT_EQ(eval_text("sensitivity in [moderate, high]"), "true");
  EXPECT_EQ(eval_text("sensitivity not in [moderate, high]"), "false");
  EXPECT_EQ(eval_text("program.stage == foundation"), "true");
  EXPECT_EQ(eval_text("flare.active == false"), "true");
}

TEST(Evaluate, Membership) {
  EXPECT_EQ(eval_text("3 in [1, 2, 3]"), "true");
  EXPECT_EQ(eval_text("3 not in [1, 2]"), "true");
  EXPECT_EQ(eval_text("-1 in [-1, 2]"), "true");
  EXPECT_EQ(eval_text("2.5 in [2, 3]"), "false");
  EXPECT_EQ(eval_text("'swedish' in last.techniques"), "true");
  EXPECT_EQ(eval_text("'deep_tissue' in last.techniques"), "false");
  EXPECT_EQ(eval_text("'deep_tissue' not in last.techniques"), "true");
  ClientState fresh = sample_state();
  fresh.history.clear();
  EXPECT_EQ(eval_text("'swedish' in last.techniques", fresh), "absent");
}

TEST(FormatValue, Renders) {
  EXPECT_EQ(format_value(Value::make_number(7)), "7");
  EXPECT_EQ(format_value(Value::make_number(2.5)), "2.5");
  EXPECT_EQ(format_value(Value::make_number(1.0 / 3)), "0.33");
  EXPECT_EQ(format_value(Value::make_number(2.0 / 3)), "0.67");
  EXPECT_EQ(format_value(Value::make_number(10)), "10");
  EXPECT_EQ(format_value(Value::make_number(100.10)), "100.1");
  EXPECT_EQ(format_value(Value::make_number(-4)), "-4");
  EXPECT_EQ(format_value(Value::make_number(-0.001)), "0");
  EXPECT_EQ(format_value(Value::make_number(-0.0)), "0");
  EXPECT_EQ(format_value(Value::make_number(0)), "0");
  // From 1e15 on, six significant digits: never a 300-digit number.
  EXPECT_EQ(format_value(Value::make_number(1e15 - 1)), "999999999999999");
  EXPECT_EQ(format_value(Value::make_number(1e15)), "1e+15");
  EXPECT_EQ(format_value(Value::make_bool(true)), "true");
  EXPECT_EQ(format_value(Value::make_bool(false)), "false");
  EXPECT_EQ(format_value(Value::make_string("high")), "high");
  EXPECT_EQ(format_value(Value::make_missing()), "absent");
  EXPECT_EQ(format_value(Value::make_error()), "error");
  const std::vector<std::string> names{"a", "b"};
  EXPECT_EQ(format_value(Value::make_strings(names)), "[a, b]");
  EXPECT_EQ(format_value(Value::make_strings({})), "[]");
  const std::vector<double> numbers{1, 2.5};
  EXPECT_EQ(format_value(Value::make_numbers(numbers)), "[1, 2.5]");
  EXPECT_EQ(eval_text("last.techniques"), "[swedish, myofascial_release]");
}

// append_number's fast paths against the reference: std::to_chars with two
// fixed decimals, trailing zeros trimmed, "-0" shown as "0".
TEST(FormatValue, NumbersMatchTheReferenceFormatting) {
  auto reference = [](double n) {
    char buf[400];
    if (std::fabs(n) >= 1e15)
      return std::string(
          buf, std::to_chars(buf, buf + sizeof buf, n, std::chars_format::general, 6).ptr);
    const char* end = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::fixed, 2).ptr;
    while (end[-1] == '0') --end;
    if (end[-1] == '.') --end;
    std::string text(buf, static_cast<std::size_t>(end - buf));
    return text == "-0" ? std::string("0") : text;
  };
  std::vector<double> values = {0,
                                -0.0,
                                1,
                                -1,
                                7,
                                10,
                                1e13 - 1,
                                1e13,
                                1e14,
                                1e15 - 1,
                                1e15,
                                1e15 + 2,
                                1e16,
                                1e300,
                                -1e14,
                                -1e15,
                                0.5,
                                0.25,
                                0.125,
                                2.675,
                                1.005,
                                -2.5,
                                1e-9,
                                -1e-9,
                                99.999,
                                4503599627370495.5,
                                9007199254740993.0,
                                9.999,
                                9.995,
                                9.994,
                                std::nextafter(10.0, 0.0),
                                std::nextafter(0.0, -1.0),
                                std::nextafter(0.0, 1.0),
                                std::nextafter(1.0, 0.0),
                                std::nextafter(9.0, 10.0)};
  for (int i = -1000; i <= 1000; ++i) values.push_back(i / 8.0);
  for (double v : values) {
    std::string out;
    append_number(out, v);
    EXPECT_EQ(out, reference(v)) << v;
  }
}

TEST(Evaluate, DefaultAndMovedExpressions) {
  Expression empty;
  EXPECT_EQ(empty.evaluate(sample_state()).kind, Value::Kind::error);
  EXPECT_EQ(empty.test(sample_state()), Truth::error);
  EXPECT_EQ(empty.text(), "");
  EXPECT_TRUE(empty.fields_used().empty());
  Compiled c =
      compile_as("sensitivity in [moderate, high] and 'swedish' in last.techniques", Type::boolean);
  ASSERT_TRUE(c.ok);
  Expression moved = std::move(c.expression);
  Expression again;
  again = std::move(moved);
  EXPECT_EQ(format_value(again.evaluate(sample_state())), "true");
  EXPECT_EQ(again.test(sample_state()), Truth::yes);
  // Moved from: empty again, never running the program it gave away.
  EXPECT_EQ(moved.evaluate(sample_state()).kind,
            Value::Kind::error);                        // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved.test(sample_state()), Truth::error);  // NOLINT(bugprone-use-after-move)
}

TEST(Evaluate, DoesNotAllocate) {
  const ClientState state = sample_state();
  std::vector<Expression> expressions;
  for (const char* text :
       {"flare.active and flare.severity >= 7",
        "sensitivity in [moderate, high] and 'swedish' in last.techniques",
        "avg(history.soreness_24h, 3) >= 6 or trend(history.pain_after, 4) < 0",
        "max(1, pressure_tolerance - 2) > min(3, 4, 5)",
        "value_or(sleep_quality, 5) > 3 and has(flare.days_since_last)",
        "sessions_with('swedish', 3) >= 2 and last.techniques != last.techniques"}) {
    Compiled c = compile_any(text);
    if (!c.ok) continue;  // the last one is a deliberate type error
    expressions.push_back(std::move(c.expression));
  }
  ASSERT_EQ(expressions.size(), 5u);
  const long before = allocations.load();
  for (int i = 0; i < 100; ++i)
    for (const auto& e : expressions) (void)e.evaluate(state);
  EXPECT_EQ(allocations.load(), before);
}

TEST(Evaluate, ConcurrentEvaluation) {
  Compiled c =
      compile_as("flare.active or pain.current >= 6 and sensitivity == high", Type::boolean);
  ASSERT_TRUE(c.ok);
  const ClientState state = sample_state();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        const Value v = c.expression.evaluate(state);
        if (v.kind != Value::Kind::boolean || !v.boolean) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Evaluate, TypicalConditionHoldsDuringAFlare) {
  // Its speed is BM_TypicalCondition's (tools/bench/bench_main.cpp).
  Compiled c = compile_as("flare.active and flare.severity >= 7", Type::boolean);
  ASSERT_TRUE(c.ok);
  ClientState state = sample_state();
  state.flare.active = true;
  state.flare.severity = 8;
  const Value v = c.expression.evaluate(state);
  ASSERT_EQ(v.kind, Value::Kind::boolean);
  EXPECT_TRUE(v.boolean);
}

}  // namespace
}  // namespace fascia::test
