#pragma once
// The engine's own way into a Protocol: making one from a compiled model,
// and reading the model back (white-box tests and fuzz targets too). Not
// part of the public API: fascia/protocol.hpp only names it as a friend.

#include "core/protocol_model.hpp"

#include <fascia/protocol.hpp>

#include <memory>

namespace fascia::detail {

struct ProtocolAccess {
  static std::shared_ptr<const Protocol> make(std::shared_ptr<const ProtocolModel> model) {
    return std::shared_ptr<const Protocol>(new Protocol(std::move(model)));
  }
  static const ProtocolModel& model(const Protocol& protocol) noexcept { return *protocol.model_; }
};

}  // namespace fascia::detail
