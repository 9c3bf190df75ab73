#include "core/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace fascia::detail {

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto l = std::make_shared<spdlog::logger>("fascia", sink);
    l->set_pattern("fascia: %l: %v");
    l->set_level(spdlog::level::warn);
    if (const char* level = std::getenv("FASCIA_LOG_LEVEL"))
      l->set_level(spdlog::level::from_str(level));
    return l;
  }();
  return *instance;
}

}  // namespace fascia::detail
