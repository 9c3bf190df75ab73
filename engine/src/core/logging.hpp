#pragma once
// The library's logger: stderr only (stdout belongs to the caller's output),
// level "warn" unless FASCIA_LOG_LEVEL says otherwise. Client values are
// health data: log them only at debug/trace, never at the default level.

#include <memory>

namespace spdlog {
class logger;
}

namespace fascia::detail {
spdlog::logger& logger();
}
