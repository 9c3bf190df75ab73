#pragma once
// Plugin expression functions (`<technique>.<function>(...)` in a protocol):
// their catalog entries, bound to each technique's configuration, and the
// call that converts values and goes through the never-throwing boundary.

#include "core/protocol_model.hpp"

namespace fascia::detail {

// Adds every function of every technique the model uses to model.catalog.
void add_plugin_functions(ProtocolModel& model);

}  // namespace fascia::detail
