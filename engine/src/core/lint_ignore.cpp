#include "core/lint_ignore.hpp"

#include "yaml/reader.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace fascia::detail {

namespace {
constexpr std::array<std::string_view, lint_code_count> code_names = {
    "stage-unreachable", "frequency-unreachable", "no-step-down",
    "rule-never-fires",  "contradiction",         "safety-floor",
};
}  // namespace

std::string_view to_string(LintCode code) noexcept {
  return code_names[static_cast<std::size_t>(code)];
}

std::vector<LintIgnore> read_lint_section(const yaml::Node& node, yaml::Reader& reader) {
  std::vector<LintIgnore> out;
  if (!reader.expect_mapping(node, "lint", {"ignore"}, {"ignore"})) return out;
  const yaml::Node* list = node.find("ignore");
  if (!list || !reader.expect_sequence(*list, "lint.ignore")) return out;
  const std::vector<std::string> names(code_names.begin(), code_names.end());
  for (const auto& entry : list->items) {
    if (!reader.expect_mapping(entry, "lint.ignore entry", {"code", "reason"}, {"code", "reason"}))
      continue;
    // A missing required key is reported by expect_mapping, which still
    // returns true so the other keys get checked: look before reading.
    const yaml::Node* code_node = entry.find("code");
    const yaml::Node* reason_node = entry.find("reason");
    if (!code_node || !reason_node) continue;
    const auto code = reader.one_of(*code_node, "lint.ignore code", names);
    const auto reason = reader.string(*reason_node, "lint.ignore reason");
    if (!code || !reason) continue;
    const auto index = static_cast<std::size_t>(
        std::find(code_names.begin(), code_names.end(), *code) - code_names.begin());
    const auto lint_code = static_cast<LintCode>(index);
    if (is_ignored(out, lint_code)) {
      reader.error(entry, "lint.ignore lists '" + *code + "' twice; keep one entry");
      continue;
    }
    out.push_back({lint_code, *reason});
  }
  return out;
}

bool is_ignored(const std::vector<LintIgnore>& ignored, LintCode code) noexcept {
  return std::any_of(ignored.begin(), ignored.end(),
                     [code](const LintIgnore& i) { return i.code == code; });
}

void add_lint_warning(Diagnostics& out, const std::vector<LintIgnore>& ignored, LintCode code,
                      SourceLocation where, std::string message) {
  if (is_ignored(ignored, code)) return;
  out.push_back({Severity::warning, std::move(where), std::move(message),
                 code == LintCode::safety_floor ? DiagnosticCode::safety_floor
                                                : DiagnosticCode::invalid_input});
}

}  // namespace fascia::detail
