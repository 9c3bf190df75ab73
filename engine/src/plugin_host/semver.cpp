#include "plugin_host/semver.hpp"

#include <charconv>
#include <climits>

namespace fascia::detail {

namespace {

bool parse_number(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  if (text.size() > 1 && text[0] == '0') return false;  // 01 is not a version part
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

const char* op_text(VersionOp op) {
  switch (op) {
    case VersionOp::eq:
      return "=";
    case VersionOp::lt:
      return "<";
    case VersionOp::le:
      return "<=";
    case VersionOp::gt:
      return ">";
    case VersionOp::ge:
      return ">=";
  }
  return "=";
}

bool holds(const Version& v, const VersionComparison& c) {
  switch (c.op) {
    case VersionOp::eq:
      return v == c.version;
    case VersionOp::lt:
      return v < c.version;
    case VersionOp::le:
      return v <= c.version;
    case VersionOp::gt:
      return v > c.version;
    case VersionOp::ge:
      return v >= c.version;
  }
  return false;
}

// Versions are integer triples, so every bound can be made inclusive:
// the smallest version above v is v with patch+1, the largest below it is
// found by stepping down (0.0.0 has none).
std::optional<Version> next_version(Version v) {
  if (v.patch == INT_MAX) return std::nullopt;
  ++v.patch;
  return v;
}

bool satisfiable(const VersionConstraint& c) {
  Version low{0, 0, 0};
  bool has_high = false, high_inclusive = true;
  Version high{};
  for (const auto& cmp : c.comparisons) {
    switch (cmp.op) {
      case VersionOp::eq:
        return satisfies(cmp.version, c);
      case VersionOp::ge:
        if (cmp.version > low) low = cmp.version;
        break;
      case VersionOp::gt: {
        auto next = next_version(cmp.version);
        if (!next) return false;
        if (*next > low) low = *next;
        break;
      }
      case VersionOp::le:
      case VersionOp::lt: {
        bool inclusive = cmp.op == VersionOp::le;
        if (!has_high || cmp.version < high || (cmp.version == high && !inclusive)) {
          high = cmp.version;
          high_inclusive = inclusive;
          has_high = true;
        }
        break;
      }
    }
  }
  if (!has_high) return true;
  return high_inclusive ? low <= high : low < high;
}

}  // namespace

std::optional<Version> parse_version(std::string_view text) {
  auto dot1 = text.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  auto dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  Version v;
  if (!parse_number(text.substr(0, dot1), v.major) ||
      !parse_number(text.substr(dot1 + 1, dot2 - dot1 - 1), v.minor) ||
      !parse_number(text.substr(dot2 + 1), v.patch))
    return std::nullopt;
  return v;
}

std::string to_string(const Version& v) {
  return std::to_string(v.major) + '.' + std::to_string(v.minor) + '.' + std::to_string(v.patch);
}

bool parse_constraint(std::string_view text, VersionConstraint& constraint, std::string& error) {
  constraint.comparisons.clear();
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    tokens.push_back(text.substr(start, i - start));
  }
  if (tokens.empty()) {
    error = "empty version constraint: write \"*\" to accept any version";
    return false;
  }
  if (tokens.size() == 1 && tokens[0] == "*") return true;

  for (std::size_t t = 0; t < tokens.size(); ++t) {
    std::string_view token = tokens[t];
    if (token == "*") {
      error = "'*' cannot be combined with other comparisons";
      return false;
    }
    VersionComparison cmp;
    std::string_view rest = token;
    if (rest.starts_with(">="))
      cmp.op = VersionOp::ge, rest.remove_prefix(2);
    else if (rest.starts_with("<="))
      cmp.op = VersionOp::le, rest.remove_prefix(2);
    else if (rest.starts_with(">"))
      cmp.op = VersionOp::gt, rest.remove_prefix(1);
    else if (rest.starts_with("<"))
      cmp.op = VersionOp::lt, rest.remove_prefix(1);
    else if (rest.starts_with("="))
      cmp.op = VersionOp::eq, rest.remove_prefix(1);
    else if (rest.starts_with("^") || rest.starts_with("~")) {
      error = std::string(1, '\'').append(token).append(
          "': the operators ^ and ~ are not supported; write a range such as \">=1.0.0 <2.0.0\"");
      return false;
    }
    // ">= 1.0.0": the operator and its version as separate words.
    if (rest.empty() && rest.data() != token.data() && t + 1 < tokens.size()) {
      rest = tokens[++t];
      token = std::string_view(token.data(), rest.data() + rest.size() - token.data());
    }
    auto version = parse_version(rest);
    if (!version) {
      error = std::string(1, '\'').append(token).append(
          "' is not a version comparison: expected an operator (>=, >, <=, <, =) and a version "
          "MAJOR.MINOR.PATCH");
      return false;
    }
    cmp.version = *version;
    constraint.comparisons.push_back(cmp);
  }
  if (!satisfiable(constraint)) {
    error = "version constraint \"" + to_string(constraint) + "\" can never be satisfied";
    constraint.comparisons.clear();
    return false;
  }
  return true;
}

bool satisfies(const Version& version, const VersionConstraint& constraint) {
  for (const auto& cmp : constraint.comparisons)
    if (!holds(version, cmp)) return false;
  return true;
}

std::string to_string(const VersionConstraint& constraint) {
  if (constraint.comparisons.empty()) return "*";
  std::string out;
  for (const auto& cmp : constraint.comparisons) {
    if (!out.empty()) out += ' ';
    out += op_text(cmp.op);
    out += to_string(cmp.version);
  }
  return out;
}

}  // namespace fascia::detail
