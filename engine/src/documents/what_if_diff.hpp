#pragma once
// What a what-if changed: the session fields (and held techniques) of two
// recommendations compared through their JSON documents, each change
// attributed to the adjustments of the matching kind that appeared or
// disappeared between them.

#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace fascia::documents {

// An adjustment that explains a change: new in the what-if, or one of the
// baseline's that no longer applies (`lifted`).
struct Cause {
  const Adjustment* adjustment = nullptr;
  bool lifted = false;
};

struct Change {
  std::string path;  // "session.pressure_cap", "held_techniques"
  nlohmann::ordered_json from, to;
  std::vector<Cause> causes;
  std::vector<std::string> rules() const;  // rule ids, first cause first, no duplicates
};

// Home-program item id -> the technique whose plugin prescribes it
// ("self_mfr" -> "myofascial_release"), to explain items that come and go.
using HomeItemOwners = std::map<std::string, std::string>;

std::vector<Change> diff_recommendations(const Recommendation& baseline,
                                         const Recommendation& what_if,
                                         const HomeItemOwners& owners = {});

// {"path": ..., "from": ..., "to": ..., "rules": [...]} per change.
nlohmann::ordered_json changes_json(const std::vector<Change>& changes);

// Check-ins, notes and held stages that apply in one recommendation but not
// the other: things to say or ask that the session fields do not show.
std::vector<Cause> new_conversation_points(const Recommendation& baseline,
                                           const Recommendation& what_if);

}  // namespace fascia::documents

namespace fascia::documents {

// The home-program items of a protocol's techniques and who prescribes them.
HomeItemOwners home_item_owners(const Protocol& protocol);

// The what-if document (CONTRACT.md, "what-if (JSON)"), one line:
// {"baseline": R, "what_if": R, "changes": [...]}; `fascia what-if --json`
// and fascia_what_if print it.
std::string what_if_json(const Recommendation& baseline, const Recommendation& what_if,
                         const std::vector<Change>& changes);

}  // namespace fascia::documents
