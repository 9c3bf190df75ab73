#pragma once
// Semantic versions of plugins and the version constraints protocols write
// in their `plugins:` block (docs/protocol-authoring.md).

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const Version&) const = default;
};

// Exactly "MAJOR.MINOR.PATCH": decimal digits, no leading zeros, no
// pre-release or build suffix (plugins have no use for them yet).
std::optional<Version> parse_version(std::string_view text);
std::string to_string(const Version& version);

enum class VersionOp { eq, lt, le, gt, ge };

struct VersionComparison {
  VersionOp op = VersionOp::eq;
  Version version;
};

// All comparisons must hold; an empty list ("*") accepts any version.
struct VersionConstraint {
  std::vector<VersionComparison> comparisons;
};

// Space-separated comparisons ">=1.0.0 <2.0.0", "=1.2.3", a bare "1.2.3"
// (meaning =), or "*". A constraint no version can satisfy is an error.
// On failure returns false and sets `error` (no location: the caller adds it).
bool parse_constraint(std::string_view text, VersionConstraint& constraint, std::string& error);
bool satisfies(const Version& version, const VersionConstraint& constraint);
// Canonical text: ">=1.0.0 <2.0.0", "=1.2.3", "*".
std::string to_string(const VersionConstraint& constraint);

}  // namespace fascia::detail
