#pragma once
// What the technique plugins write into during an evaluation, kept from one
// evaluation to the next on a thread so that their lists and strings keep
// their memory. Never shared between threads.

#include "core/decision_record.hpp"

#include <fascia/plugin.hpp>
#include <fascia/recommendation.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace fascia::detail {

struct PlannerScratch {
  SessionDraft draft;
  std::vector<std::unique_ptr<TechniqueResult>> results;  // stable addresses
  // What this evaluation decided (Recommendation::fired and the trace are
  // rendered from it).
  DecisionRecord record;
  // Lends its home-program list to an evaluation rendered straight to JSON
  // (SessionPlan::run_to_json), which builds no Recommendation of its own.
  Recommendation lent;
  bool in_use = false;  // an evaluation on this thread is running (re-entry)

  // The next result (`used` counts those handed out in this evaluation),
  // emptied as a plugin expects it but keeping its lists' capacity.
  TechniqueResult& next_result(std::size_t& used);
};

// The calling thread's scratch for the duration of one evaluation; a nested
// evaluation (a plugin evaluating a protocol) gets a scratch of its own.
class ScratchLease {
 public:
  ScratchLease();
  ~ScratchLease();
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  PlannerScratch& get() noexcept { return *scratch_; }

 private:
  std::unique_ptr<PlannerScratch> nested_;
  PlannerScratch* scratch_;
};

}  // namespace fascia::detail
