#include "yaml/reader.hpp"

#include "common/did_you_mean.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace fascia::detail::yaml {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::size_t sign_length(std::string_view t) noexcept {
  return !t.empty() && (t[0] == '+' || t[0] == '-') ? 1 : 0;
}

// [-+]? (0 | [1-9][0-9]*)
bool is_decimal_integer(std::string_view t) noexcept {
  std::size_t i = sign_length(t);
  if (i >= t.size()) return false;
  if (t[i] == '0') return i + 1 == t.size();
  for (; i < t.size(); ++i)
    if (!is_digit(t[i])) return false;
  return true;
}

// [-+]? ( int ( . [0-9]* )? | . [0-9]+ ) ( [eE] [-+]? [0-9]+ )?, int without
// leading zeros.
bool is_decimal_number(std::string_view t) noexcept {
  std::size_t i = sign_length(t);
  const std::size_t int_start = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  const std::size_t int_digits = i - int_start;
  if (int_digits > 1 && t[int_start] == '0') return false;
  std::size_t fraction_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++fraction_digits;
  }
  if (int_digits + fraction_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    i += sign_length(t.substr(i));
    const std::size_t exponent_start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == exponent_start) return false;
  }
  return i == t.size();
}

// .nan, .inf, -.Inf, nan, infinity...: YAML 1.1/1.2 spellings and C's.
bool is_non_finite_word(std::string_view t) noexcept {
  t.remove_prefix(sign_length(t));
  if (!t.empty() && t[0] == '.') t.remove_prefix(1);
  return equals_ignoring_case(t, "nan") || equals_ignoring_case(t, "inf") ||
         equals_ignoring_case(t, "infinity");
}

bool is_radix_form(std::string_view t) noexcept {
  t.remove_prefix(sign_length(t));
  if (t.size() < 3 || t[0] != '0') return false;
  const char k = lower(t[1]);
  return k == 'x' || k == 'o' || k == 'b';
}

bool has_leading_zero(std::string_view t) noexcept {
  t.remove_prefix(sign_length(t));
  return t.size() > 1 && t[0] == '0' && is_digit(t[1]);
}

bool is_yaml11_boolean(std::string_view t) noexcept {
  for (std::string_view word : {"y", "n", "yes", "no", "on", "off"})
    if (equals_ignoring_case(t, word)) return true;
  return false;
}

// `text` shortened, between `quote` characters. (Built by appending: GCC 12
// warns falsely about "'" + std::string&&, bug 105329.)
std::string quoted(std::string_view text, char quote = '\'') {
  std::string out(1, quote);
  out += shorten(text);
  out += quote;
  return out;
}

// "'high'", "the string \"5\"", "a list", "null", "an empty value".
std::string describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::null:
      return node.value.empty() ? "an empty value" : "null";
    case NodeKind::sequence:
      return "a list";
    case NodeKind::mapping:
      return "a mapping";
    case NodeKind::scalar:
      if (node.plain) return quoted(node.value);
      return "the string " + quoted(node.value, '"');
  }
  return "a value";
}

std::string format_number(double value) {
  std::array<char, 32> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), result.ptr);
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

// Optimal string alignment distance (a transposition counts as one edit, so
// "hihg" is one edit from "high").
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

}  // namespace

ScalarKind classify_plain_scalar(std::string_view text) noexcept {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return ScalarKind::null;
  if (text == "true" || text == "false") return ScalarKind::boolean;
  if (is_decimal_integer(text)) return ScalarKind::integer;
  if (is_decimal_number(text)) return ScalarKind::number;
  return ScalarKind::string;
}

Reader::Reader(const Document& document, Diagnostics& diagnostics)
    : document_(document), diagnostics_(diagnostics) {}

SourceLocation Reader::location(const Node& node) const { return location_of(document_, node); }

void Reader::error(const Node& node, std::string message) {
  diagnostics_.push_back(Diagnostic{Severity::error, location(node), std::move(message)});
}

std::size_t Reader::error_count() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(diagnostics_.begin(), diagnostics_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

bool Reader::expect_mapping(const Node& node, std::string_view what,
                            std::initializer_list<std::string_view> allowed,
                            std::initializer_list<std::string_view> required) {
  if (!node.is_mapping()) {
    error(node, std::string(what) + " must be a mapping");
    return false;
  }
  for (const auto key : required)
    if (!node.find(key))
      error(node, "missing required key '" + std::string(key) + "' in " + std::string(what));
  for (const auto& [key, value] : node.entries) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(key.value)) != allowed.end())
      continue;
    const std::vector<std::string> names(allowed.begin(), allowed.end());  // only for messages
    std::string message = "unknown key '" + shorten(key.value) + "' in " + std::string(what);
    if (!names.empty()) message += "; expected one of: " + join(names);
    error(key, message + did_you_mean(key.value, names));
  }
  return true;
}

bool Reader::expect_sequence(const Node& node, std::string_view what) {
  if (node.is_sequence()) return true;
  error(node, std::string(what) + " must be a list");
  return false;
}

namespace {

// Shared checks of integer() and number(): the wrong-kind messages. Returns
// the message, or empty if `node` is a plain scalar worth parsing.
std::string numeric_problem(const Node& node, std::string_view what, std::string_view noun,
                            bool integer) {
  // The common case first, without building any message: a plain decimal
  // of the wanted kind (never a non-finite word, radix form or leading zero).
  if (node.is_scalar() && node.plain) {
    const ScalarKind kind = classify_plain_scalar(node.value);
    if (kind == ScalarKind::integer || (!integer && kind == ScalarKind::number)) return {};
  }
  const std::string prefix = std::string(what) + " must be " + std::string(noun);
  if (!node.is_scalar()) return prefix + ", got " + describe(node);
  const ScalarKind kind = classify_plain_scalar(node.value);
  if (!node.plain) {
    const bool would_parse =
        kind == ScalarKind::integer || (!integer && kind == ScalarKind::number);
    return prefix + ", got " + describe(node) + (would_parse ? " (remove the quotes)" : "");
  }
  const std::string_view text = node.value;
  if (is_non_finite_word(text))
    return std::string(what) + " must be a finite number, got '" + shorten(text) + "'";
  if (is_radix_form(text))
    return std::string(what) + " must be a decimal number, got '" + shorten(text) +
           "' (hexadecimal, octal and binary forms are not accepted)";
  if (has_leading_zero(text))
    return std::string(what) + " must be a decimal number, got '" + shorten(text) +
           "' (leading zeros are not allowed)";
  if (kind == ScalarKind::integer || (!integer && kind == ScalarKind::number)) return {};
  return prefix + ", got " + describe(node);
}

}  // namespace

std::optional<std::int64_t> Reader::integer(const Node& node, std::string_view what,
                                            std::int64_t min, std::int64_t max) {
  if (std::string problem = numeric_problem(node, what, "a whole number", true); !problem.empty()) {
    error(node, std::move(problem));
    return std::nullopt;
  }
  std::string_view text = node.value;
  if (text[0] == '+') text.remove_prefix(1);  // from_chars takes '-' only
  std::int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  const bool overflow = result.ec == std::errc::result_out_of_range;
  if (result.ec != std::errc{} && !overflow) {
    error(node, std::string(what) + " must be a whole number, got " + describe(node));
    return std::nullopt;
  }
  if (overflow || value < min || value > max) {
    std::string message = std::string(what);
    if (min != lowest && max != highest)
      message += " must be between " + std::to_string(min) + " and " + std::to_string(max);
    else if (min != lowest && (!overflow || text[0] == '-'))
      message += " must be at least " + std::to_string(min);
    else if (max != highest && (!overflow || text[0] != '-'))
      message += " must be at most " + std::to_string(max);
    else
      message += text[0] == '-' ? " is too small" : " is too large";
    error(node, message + ", got " + node.value);
    return std::nullopt;
  }
  return value;
}

std::optional<double> Reader::number(const Node& node, std::string_view what, double min,
                                     double max) {
  if (std::string problem = numeric_problem(node, what, "a number", false); !problem.empty()) {
    error(node, std::move(problem));
    return std::nullopt;
  }
  std::string_view text = node.value;
  if (text[0] == '+') text.remove_prefix(1);
  double value = 0;
  const auto result =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (result.ec == std::errc::result_out_of_range) {
    // Underflow (1e-999) is harmlessly zero; overflow is not a number we keep.
    const bool underflow =
        text.find("e-") != std::string_view::npos || text.find("E-") != std::string_view::npos;
    if (!underflow) {
      error(node,
            std::string(what) + " must be a finite number, got '" + shorten(node.value) + "'");
      return std::nullopt;
    }
    value = 0.0;
  } else if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    error(node, std::string(what) + " must be a number, got " + describe(node));
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    error(node, std::string(what) + " must be a finite number, got '" + shorten(node.value) + "'");
    return std::nullopt;
  }
  if (value < min || value > max) {
    const double big = std::numeric_limits<double>::max();
    std::string message = std::string(what);
    if (min > -big && max < big)
      message += " must be between " + format_number(min) + " and " + format_number(max);
    else if (min > -big)
      message += " must be at least " + format_number(min);
    else
      message += " must be at most " + format_number(max);
    error(node, message + ", got " + node.value);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Reader::boolean(const Node& node, std::string_view what) {
  const std::string prefix = std::string(what) + " must be true or false, got ";
  if (node.is_scalar() && node.plain) {
    if (node.value == "true") return true;
    if (node.value == "false") return false;
  }
  std::string message = prefix + describe(node);
  if (node.is_scalar() && !node.plain) {
    if (node.value == "true" || node.value == "false") message += " (remove the quotes)";
  } else if (node.is_scalar() && is_yaml11_boolean(node.value)) {
    message += " (YAML 1.1 booleans are not accepted)";
  } else if (node.is_scalar() && (equals_ignoring_case(node.value, "true") ||
                                  equals_ignoring_case(node.value, "false"))) {
    message += " (write it in lowercase)";
  }
  error(node, std::move(message));
  return std::nullopt;
}

std::optional<std::string> Reader::string(const Node& node, std::string_view what,
                                          bool allow_empty) {
  if (node.is_scalar() || (node.is_null() && node.value.empty())) {
    if (node.value.empty() && !allow_empty) {
      error(node, std::string(what) + " must not be empty");
      return std::nullopt;
    }
    return node.value;
  }
  error(node, std::string(what) + " must be a string, got " + describe(node));
  return std::nullopt;
}

std::optional<std::string> Reader::one_of(const Node& node, std::string_view what,
                                          const std::vector<std::string>& allowed) {
  if (node.is_scalar() && std::find(allowed.begin(), allowed.end(), node.value) != allowed.end())
    return node.value;
  std::string message = std::string(what) + " must be one of: " + join(allowed) + ", got ";
  if (node.is_scalar()) {
    message += quoted(node.value) + did_you_mean(node.value, allowed);
  } else {
    message += describe(node);
  }
  error(node, std::move(message));
  return std::nullopt;
}

std::optional<Date> Reader::date(const Node& node, std::string_view what) {
  if (node.is_scalar()) {
    if (auto parsed = Date::parse(node.value)) return parsed;
    error(node,
          std::string(what) + " must be a date YYYY-MM-DD, got '" + shorten(node.value) + "'");
    return std::nullopt;
  }
  error(node, std::string(what) + " must be a date YYYY-MM-DD, got " + describe(node));
  return std::nullopt;
}

std::optional<std::vector<std::string>> Reader::string_list(const Node& node,
                                                            std::string_view what) {
  if (!expect_sequence(node, what)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    auto item = string(node.items[i], std::string(what) + "[" + std::to_string(i) + "]");
    if (item)
      out.push_back(std::move(*item));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace fascia::detail::yaml
