#include "core/planner_scratch.hpp"

#include <optional>
#include <string>

namespace fascia::detail {

// Every member is reset by hand: a member added to TechniqueResult must be
// reset here too, or a plugin would see the last evaluation's value (the
// size check below makes that a compile error).
TechniqueResult& PlannerScratch::next_result(std::size_t& used) {
  struct MembersResetHere {  // TechniqueResult's members, in order
    Params parameters;
    std::optional<int> pressure_max;
    bool hold;
    std::string hold_rule, hold_reason;
    std::vector<TechniqueAdjustment> adjustments;
    std::vector<HomeProgramItem> home_program;
    std::vector<std::string> warnings;
  };
  static_assert(sizeof(MembersResetHere) == sizeof(TechniqueResult),
                "TechniqueResult changed: reset the new member in next_result()");
  if (used == results.size()) results.push_back(std::make_unique<TechniqueResult>());
  TechniqueResult& r = *results[used++];
  r.parameters.clear();
  r.pressure_max.reset();
  r.hold = false;
  r.hold_rule.clear();
  r.hold_reason.clear();
  r.adjustments.clear();
  r.home_program.clear();
  r.warnings.clear();
  return r;
}

namespace {
thread_local PlannerScratch thread_scratch;
}  // namespace

ScratchLease::ScratchLease()
    : scratch_(thread_scratch.in_use ? (nested_ = std::make_unique<PlannerScratch>()).get()
                                     : &thread_scratch) {
  scratch_->in_use = true;
}

ScratchLease::~ScratchLease() { scratch_->in_use = false; }

}  // namespace fascia::detail
