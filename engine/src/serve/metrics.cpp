#include "metrics.hpp"

#include <cstdio>

namespace fascia::serve {

void Metrics::request(const std::string& route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& b = buckets_[route];
  std::size_t i = 0;
  while (i < bounds.size() && seconds > bounds[i]) ++i;
  ++b[i];
  sums_[route] += seconds;
}

std::string Metrics::render(const Gauges& gauges) const {
  std::string out;
  char line[256];
  out += "# HELP fascia_http_requests_total HTTP requests by route template and status.\n";
  out += "# TYPE fascia_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, n] : requests_) {
    std::snprintf(line, sizeof line,
                  "fascia_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                  key.first.c_str(), key.second, static_cast<unsigned long long>(n));
    out += line;
  }
  out +=
      "# HELP fascia_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE fascia_http_request_duration_seconds histogram\n";
  for (const auto& [route, b] : buckets_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      cumulative += b[i];
      if (i < bounds.size())
        std::snprintf(line, sizeof line,
                      "fascia_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                      route.c_str(), bounds[i], static_cast<unsigned long long>(cumulative));
      else
        std::snprintf(
            line, sizeof line,
            "fascia_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
            route.c_str(), static_cast<unsigned long long>(cumulative));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "fascia_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "fascia_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route.c_str(), sums_.at(route), route.c_str(),
                  static_cast<unsigned long long>(cumulative));
    out += line;
  }
  auto counter = [&](const char* name, const char* help, unsigned long long v, const char* type) {
    std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name,
                  type, name, v);
    out += line;
  };
  counter("fascia_evaluations_total", "Recommendations computed (evaluate, what-if, CDS Hooks).",
          evaluations_.load(), "counter");
  counter("fascia_protocol_reloads_total", "Protocol versions swapped in after a file changed.",
          gauges.reloads, "counter");
  counter("fascia_protocol_load_errors_total", "Protocol files that failed to load.",
          gauges.load_errors, "counter");
  counter("fascia_protocols_loaded", "Protocols served now.", gauges.protocols, "gauge");
  counter("fascia_connections_open", "Open client connections.",
          static_cast<unsigned long long>(open_connections.load()), "gauge");
  counter("fascia_connections_rejected_total", "Connections closed at once: too many open.",
          rejected_.load(), "counter");
  counter("fascia_auth_failures_total", "Requests refused with 401.", auth_failures_.load(),
          "counter");
  counter("fascia_deadline_exceeded_total",
          "Requests answered 503 because handling outlasted --request-deadline-ms.",
          deadline_exceeded_.load(), "counter");
  counter("fascia_fhir_fetches_total", "Prefetch resources fetched from a request's fhirServer.",
          fhir_fetches_.load(), "counter");
  counter("fascia_fhir_fetch_failures_total",
          "Prefetch resources a request's fhirServer did not give (unreachable, error, too large).",
          fhir_fetch_failures_.load(), "counter");
  return out;
}

}  // namespace fascia::serve
