#include "core/protocol_model.hpp"

#include <atomic>

namespace fascia::detail {

std::uint64_t next_model_serial() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

const char* to_string(RuleFamily family) noexcept {
  switch (family) {
    case RuleFamily::stage_advance:
      return "stage advance";
    case RuleFamily::stage_hold:
      return "stage hold";
    case RuleFamily::stage_regress:
      return "stage regress";
    case RuleFamily::pressure_caps:
      return "pressure_caps";
    case RuleFamily::frequency_step_down:
      return "frequency step_down";
    case RuleFamily::frequency_step_up:
      return "frequency step_up";
    case RuleFamily::flare_response:
      return "flare_response";
    case RuleFamily::healing_response:
      return "healing_response";
    case RuleFamily::general:
      return "rules";
  }
  return "rule";
}

bool Rule::restricts() const noexcept {
  switch (family) {
    case RuleFamily::stage_hold:
    case RuleFamily::stage_regress:
    case RuleFamily::frequency_step_up:
      return true;
    case RuleFamily::stage_advance:
    case RuleFamily::frequency_step_down:
    case RuleFamily::healing_response:
      return false;
    default:
      break;
  }
  return cap || duration_minutes || postpone_days || !hold_techniques.empty() || only_techniques ||
         only_flare_safe || !refer.empty();
}

}  // namespace fascia::detail
