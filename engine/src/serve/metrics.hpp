#pragma once
// Prometheus counters of the server (text exposition format 0.0.4).
// Labels are route templates and status codes only: never a client value.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace fascia::serve {

class Metrics {
 public:
  void request(const std::string& route, unsigned status, double seconds);
  void evaluation() { ++evaluations_; }
  void connection_rejected() { ++rejected_; }
  void auth_failure() { ++auth_failures_; }
  void deadline_exceeded() { ++deadline_exceeded_; }
  void fhir_fetch(bool ok) { ++(ok ? fhir_fetches_ : fhir_fetch_failures_); }
  std::atomic<int> open_connections{0};

  struct Gauges {
    std::uint64_t protocols = 0, reloads = 0, load_errors = 0;
  };
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 12> bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                 0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, std::array<std::uint64_t, bounds.size() + 1>> buckets_;
  std::map<std::string, double> sums_;
  std::atomic<std::uint64_t> evaluations_{0}, rejected_{0}, auth_failures_{0},
      deadline_exceeded_{0}, fhir_fetches_{0}, fhir_fetch_failures_{0};
};

}  // namespace fascia::serve
