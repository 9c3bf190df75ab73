#pragma once
// Deterministic valid client states for a protocol: each seed gives the same
// state on every machine (a fixed PRNG, no std::*_distribution, whose output
// differs between standard libraries).

#include <fascia/client_state.hpp>

#include "protocol_oracle.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace fascia::test {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int between(int lo, int hi) { return lo + static_cast<int>(next() % (hi - lo + 1)); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  // 0-10 in quarter steps: scores clients and tests really see.
  double score() { return between(0, 40) / 4.0; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[next() % items.size()];
  }

 private:
  std::uint64_t state_;
};

inline ClientState generate_state(const ProtocolOracle& p, std::uint64_t seed) {
  Random r(seed);
  ClientState s;
  s.client_id = "GEN-" + std::to_string(seed);
  s.condition = r.pick(p.conditions);
  s.as_of = Date{2026, 11, 20}.plus_days(r.between(-400, 400));
  if (r.chance(85)) {
    s.program.stage = r.pick(p.stages);
    s.program.sessions_completed = r.between(0, 60);
    if (r.chance(50)) s.program.sessions_in_stage = r.between(0, s.program.sessions_completed);
    s.program.weeks_in_program = r.between(0, 80);
    if (r.chance(80)) s.program.frequency = r.pick(p.frequencies);
    s.program.missed_sessions_30d = r.chance(70) ? 0 : r.between(1, 6);
  }
  s.pain.current = r.score();
  s.pain.baseline = r.score();
  s.sensitivity = static_cast<Sensitivity>(r.between(0, 2));
  s.pressure_tolerance = r.between(1, 10);
  if (r.chance(70)) s.sleep_quality = r.score();
  s.flare.active = r.chance(30);
  s.flare.severity = s.flare.active ? r.between(1, 10) : (r.chance(80) ? 0 : r.between(0, 3));
  if (s.flare.active || r.chance(60)) s.flare.days_since_last = r.between(0, 120);
  s.flare.count_30d = s.flare.active ? r.between(1, 4) : (r.chance(70) ? 0 : r.between(1, 3));
  s.medications_changed = r.chance(15);
  const std::vector<std::string> techniques(p.techniques.begin(), p.techniques.end());
  const int sessions = r.chance(25) ? 0 : r.between(1, 10);
  Date date = s.as_of.plus_days(-7 * sessions - r.between(0, 6));
  for (int i = 0; i < sessions; ++i) {
    HistoryEntry h;
    date = date.plus_days(r.between(3, 10));
    if (date >= s.as_of) break;
    h.date = date;
    for (const auto& t : techniques)
      if (r.chance(50)) h.techniques.push_back(t);
    if (h.techniques.empty()) h.techniques.push_back(r.pick(techniques));
    if (r.chance(85)) h.pressure = r.between(1, 10);
    if (r.chance(80)) h.soreness_24h = r.score();
    if (r.chance(80)) h.pain_before = r.score();
    if (r.chance(80)) h.pain_after = r.score();
    s.history.push_back(h);
  }
  for (const auto& o : p.observations) {
    if (!o.required && r.chance(30)) continue;
    ObservationValue v;
    if (o.type == "integer")
      v = static_cast<double>(
          r.between(static_cast<int>(o.min), static_cast<int>(std::min(o.max, 1e6))));
    else if (o.type == "number")
      v = o.min + (o.max - o.min) * r.between(0, 100) / 100.0;
    else if (o.type == "boolean")
      v = r.chance(50);
    else if (o.type == "enum")
      v = r.pick(o.values);
    else
      v = std::string("note ") + std::to_string(r.between(0, 99));
    s.observations.push_back({o.name, v});
  }
  return s;
}

}  // namespace fascia::test
