#pragma once
// Generated client states for the protocol lint: every field a condition
// compares is drawn from its boundary values (the protocol's own literals
// and their neighbours, the ends of its range) and from seeded random
// histories. Deterministic: the same protocol always gets the same states.

#include "core/protocol_model.hpp"

#include <fascia/client_state.hpp>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace fascia::detail {

// Generated states per question asked ("can this rule fire?", "can these two
// fire together?"). Half vary only the fields the conditions read, half vary
// everything (plugin functions read fields the expression does not name).
constexpr int lint_samples = 4000;

// splitmix64: the same sequence on every platform (std distributions are not),
// so the same protocol always gets the same findings.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

// FNV-1a of a question's text: its own seed.
std::uint64_t seed_of(std::string_view text);

class StateSampler {
 public:
  explicit StateSampler(const ProtocolModel& model);
  ~StateSampler();
  StateSampler(const StateSampler&) = delete;
  StateSampler& operator=(const StateSampler&) = delete;

  // A state with the fields in `used` (or, when `everything`, every field)
  // drawn at random, the others calm.
  ClientState draw(Random& random, const std::set<std::string>& used, bool everything) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fascia::detail
