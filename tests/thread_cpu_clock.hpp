// A std::chrono clock that reads the CPU time of the calling thread. Tests
// that bound how long a hostile input may take use it instead of wall time:
// on a shared, loaded machine wall time measures the neighbours, the
// thread's CPU time measures the code under test (an endless loop or a
// blow-up still shows).
#pragma once

#include <time.h>

#include <chrono>

namespace fascia::test {

struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return time_point(std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec));
  }
};

}  // namespace fascia::test
