#pragma once
// The protocol's own words for the client's hand-out (`handout:` in the
// protocol file, docs/protocol-authoring.md), for `fascia handout`.

#include <fascia/protocol.hpp>

#include <string>
#include <vector>

namespace fascia::documents {

struct HandoutWords {
  std::vector<std::string> when_to_call;  // "When to call us" items; empty: none given
  std::string urgent;                     // the urgent note; empty: none given
};

HandoutWords handout_words(const Protocol& protocol);

}  // namespace fascia::documents
