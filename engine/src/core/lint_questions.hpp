#pragma once
// The questions the protocol lint asks of generated client states: does a
// rule fire, is there a state where a predicate holds, which values show it.

#include "core/lint_state_sampler.hpp"
#include "core/protocol_model.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fascia::detail {

using LintFix = std::function<void(ClientState&)>;
using LintPredicate = std::function<bool(const ClientState&)>;

bool fires(const Rule& rule, const ClientState& state);
std::set<std::string> fields_of(const std::vector<const Rule*>& rules);

// The first generated state (with `fix` applied) that satisfies `holds`,
// out of lint_samples seeded by the protocol id and the question's text.
std::optional<ClientState> find_state(const ProtocolModel& model, const StateSampler& sampler,
                                      const std::string& question,
                                      const std::set<std::string>& used, const LintFix& fix,
                                      const LintPredicate& holds);

// "pain.current = 9, pain.baseline = 5": the values the rules read (at most six).
std::string witness(const ClientState& s, const std::vector<const Rule*>& rules);

}  // namespace fascia::detail
