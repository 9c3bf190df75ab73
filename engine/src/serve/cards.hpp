#pragma once
// CDS Hooks cards for one recommendation (CONTRACT.md "serve"): the plan
// card (info; warning when anything was held) and one card per red flag
// (referral: critical; flare response, postponement, stage regression,
// frequency step-up, held escalation: warning). Summaries are plain words
// of at most 140 characters; details are markdown with every reason and
// rule id; the recommendation itself rides under the extension key
// "fascia.recommendation".

#include <fascia/protocol.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace fascia::serve {

struct CardSet {
  nlohmann::ordered_json cards = nlohmann::ordered_json::array();
  std::vector<std::string> red_flags;  // rule ids, for the decision log
  // The plan card's "fascia.recommendation" holds this string until
  // splice_recommendation puts the recommendation's JSON in its place.
  std::string recommendation_placeholder;
};

// Replaces the quoted placeholder in the written response with the JSON.
void splice_recommendation(std::string& body, const CardSet& set,
                           const std::string& recommendation_json);

CardSet recommendation_cards(const Protocol& protocol, const Recommendation& recommendation,
                             const std::string& decision_id, const std::string& map_version,
                             const std::map<std::string, std::string>& technique_names);

// One warning card: the state cannot be built (missing data or unreadable
// FHIR elements), listed item by item; never a guessed plan.
nlohmann::ordered_json missing_data_card(const Protocol& protocol,
                                         const std::vector<std::string>& missing,
                                         const std::vector<std::string>& errors,
                                         const std::string& decision_id,
                                         const std::string& map_version);

// At most 140 characters, cut at a word boundary with an ellipsis.
std::string fit_summary(const std::string& text);

}  // namespace fascia::serve
