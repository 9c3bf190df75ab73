#include "inline_runs.hpp"

namespace fascia::serve {

std::optional<InlineRuns::Claim> InlineRuns::claim(std::shared_ptr<DeadlineListener> listener,
                                                   std::uint64_t ticket,
                                                   Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (slot.listener) continue;
    slot.listener = std::move(listener);
    slot.ticket = ticket;
    slot.deadline = deadline;
    slot.told = false;
    Claim claimed{i, !watchdog_running_};
    watchdog_running_ = true;
    return claimed;
  }
  return std::nullopt;
}

void InlineRuns::release(std::size_t slot) {
  std::shared_ptr<DeadlineListener> listener;  // released outside the lock
  std::lock_guard lock(mutex_);
  listener.swap(slots_[slot].listener);
}

bool InlineRuns::expired(Clock::time_point now) {
  std::vector<std::pair<std::shared_ptr<DeadlineListener>, std::uint64_t>> late;
  {
    std::lock_guard lock(mutex_);
    bool any = false;
    for (Slot& slot : slots_) {
      if (!slot.listener) continue;
      any = true;
      if (slot.told || now < slot.deadline) continue;
      slot.told = true;
      late.emplace_back(slot.listener, slot.ticket);
    }
    if (!any) {
      watchdog_running_ = false;
      return false;
    }
  }
  for (const auto& [listener, ticket] : late) listener->deadline_passed(ticket);
  return true;
}

}  // namespace fascia::serve
