#include "documents/handout_words.hpp"

#include "core/protocol_access.hpp"

namespace fascia::documents {

HandoutWords handout_words(const Protocol& protocol) {
  const auto& model = detail::ProtocolAccess::model(protocol);
  return {model.handout_when_to_call, model.handout_urgent};
}

}  // namespace fascia::documents
