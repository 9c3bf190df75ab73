#pragma once
// Lint findings a protocol acknowledges: `lint: {ignore: [{code, reason}]}`
// (docs/protocol-authoring.md "Acknowledging a lint warning"). Every
// warning the loader and `fascia validate` give about a protocol's design
// has a code; an acknowledged code is not reported again.

#include <fascia/diagnostic.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

namespace yaml {
struct Node;
class Reader;
}  // namespace yaml

enum class LintCode : unsigned char {
  stage_unreachable,      // a stage no advance rule leads to
  frequency_unreachable,  // a ladder step no step-down rule leads to
  no_step_down,           // a ladder without step_down rules
  rule_never_fires,       // a rule no sampled state fires
  contradiction,          // rules whose actions contradict each other
  safety_floor,           // the protocol relies on an engine safety floor
};
inline constexpr std::size_t lint_code_count = 6;

std::string_view to_string(LintCode code) noexcept;

struct LintIgnore {
  LintCode code;
  std::string reason;
};

// Reads the `lint` section: each entry's code must be known and carry a
// non-empty reason (who decided and why).
std::vector<LintIgnore> read_lint_section(const yaml::Node& node, yaml::Reader& reader);

bool is_ignored(const std::vector<LintIgnore>& ignored, LintCode code) noexcept;

// Adds the warning unless the protocol acknowledges its code.
void add_lint_warning(Diagnostics& out, const std::vector<LintIgnore>& ignored, LintCode code,
                      SourceLocation where, std::string message);

}  // namespace fascia::detail
