#pragma once
// Safety invariants every recommendation must satisfy, whatever the input:
// shared by the protocol and client-state fuzz targets.

#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include "fuzz_check.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace fascia::fuzz {

inline void check_recommendation(const Protocol& protocol, const ClientState& state,
                                 const Recommendation& r,
                                 const std::map<std::string, int>* stage_ceilings = nullptr) {
  const int cap = r.session.pressure_cap;
  FASCIA_FUZZ_CHECK(cap >= 1 && cap <= 10, "pressure cap within 1-10");
  FASCIA_FUZZ_CHECK(cap <= std::max(1, state.pressure_tolerance),
                    "pressure cap within the client's tolerance");
  if (stage_ceilings) {
    auto it = stage_ceilings->find(r.session.stage);
    FASCIA_FUZZ_CHECK(it != stage_ceilings->end(), "recommended stage exists");
    FASCIA_FUZZ_CHECK(cap <= it->second, "pressure cap within the stage ceiling");
  }
  for (const auto& t : r.session.techniques) {
    const ParamValue* p = find_param(t.parameters, "pressure_max");
    FASCIA_FUZZ_CHECK(p != nullptr, "every technique has pressure_max");
    const auto* i = std::get_if<std::int64_t>(p);
    FASCIA_FUZZ_CHECK(i != nullptr, "pressure_max is an integer");
    FASCIA_FUZZ_CHECK(*i >= 1 && *i <= cap, "technique pressure_max within the cap");
  }
  for (const auto& a : r.adjustments) {
    FASCIA_FUZZ_CHECK(!a.rule.empty(), "adjustment names its rule");
    FASCIA_FUZZ_CHECK(!a.reason.empty(), "adjustment has a reason");
    FASCIA_FUZZ_CHECK(!a.source.empty(), "adjustment has a source");
    const bool technique_clamp =
        a.rule.size() > 17 && a.rule.compare(a.rule.size() - 17, 17, ".pressure-clamped") == 0;
    if (a.kind == AdjustmentKind::pressure_cap && a.source.rfind("plugin ", 0) != 0 &&
        !technique_clamp) {
      // Every cap the protocol or the client set bounds the session cap
      // (a technique's clamp reports the lower value set for it alone).
      if (const auto* v = std::get_if<std::int64_t>(&a.value))
        FASCIA_FUZZ_CHECK(cap <= std::max<std::int64_t>(*v, 1), "cap within every fired cap");
    }
  }
  if (r.session.referral)
    FASCIA_FUZZ_CHECK(!r.session.referral->rule.empty(), "referral names its rule");
  // Same input, same bytes.
  auto again = protocol.evaluate(state);
  FASCIA_FUZZ_CHECK(again.ok(), "a second evaluation succeeds");
  FASCIA_FUZZ_CHECK(to_json(again.value()) == to_json(r), "evaluation is deterministic");
}

}  // namespace fascia::fuzz
