#pragma once
// Deterministic, varied, valid client states for the bundled fibromyalgia
// protocol, as compact JSON (one line each): every stage, frequency,
// sensitivity and flare combination shows up. Used by the batch benchmarks
// and the embedding tests; tools/bench/make_states.py writes similar files.

#include <cstdint>
#include <string>

namespace fascia::bench {

// next(n) is the state of client "C-<n>"; the sequence depends only on the
// order of the calls.
class StateMaker {
 public:
  std::string next(int n) {
    const char* stages[] = {"foundation", "myofascial_introduction", "targeted", "maintenance"};
    const char* frequencies[] = {"weekly", "every_other_week", "monthly"};
    const char* sensitivities[] = {"low", "moderate", "high"};
    const int completed = pick(40);
    const bool flare = pick(100) < 15;
    const int day = 1 + pick(28);
    std::string s =
        "{\"format\":1,\"client\":{\"id\":\"C-" + std::to_string(n) +
        "\",\"condition\":\"fibromyalgia\"},\"as_of\":\"2026-06-" + two(day) +
        "\",\"program\":{\"stage\":\"" + stages[pick(4)] +
        "\",\"sessions_completed\":" + std::to_string(completed) +
        ",\"sessions_in_stage\":" + std::to_string(pick(completed + 1)) +
        ",\"weeks_in_program\":" + std::to_string(pick(60)) + ",\"frequency\":\"" +
        frequencies[pick(3)] + "\",\"missed_sessions_30d\":" + std::to_string(pick(3)) +
        "},\"pain\":{\"current\":" + std::to_string(pick(11)) +
        ",\"baseline\":" + std::to_string(pick(11)) + "},\"sensitivity\":\"" +
        sensitivities[pick(3)] + "\",\"pressure_tolerance\":" + std::to_string(1 + pick(10)) +
        ",\"sleep_quality\":" + std::to_string(pick(11)) +
        ",\"flare\":{\"active\":" + (flare ? "true" : "false") +
        ",\"severity\":" + std::to_string(flare ? 1 + pick(10) : 0) +
        ",\"days_since_last\":" + std::to_string(pick(90)) +
        ",\"count_30d\":" + std::to_string(pick(3)) +
        "},\"medications_changed\":" + (pick(10) == 0 ? "true" : "false") + ",\"history\":[";
    const int entries = pick(4);
    for (int k = 0; k < entries; ++k) {
      if (k) s += ',';
      s += "{\"date\":\"2026-05-" + two(1 + 7 * k) +
           "\",\"techniques\":[\"swedish\",\"myofascial_release\"],\"pressure\":" +
           std::to_string(1 + pick(10)) + ",\"soreness_24h\":" + std::to_string(pick(11)) +
           ",\"pain_before\":" + std::to_string(pick(11)) +
           ",\"pain_after\":" + std::to_string(pick(11)) + "}";
    }
    s += "],\"observations\":{\"morning_stiffness_minutes\":" + std::to_string(pick(120)) + "}}";
    return s;
  }

 private:
  int pick(int n) {
    seed_ = seed_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int>((seed_ >> 33) % static_cast<std::uint64_t>(n));
  }
  static std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }
  std::uint64_t seed_ = 1;
};

}  // namespace fascia::bench
