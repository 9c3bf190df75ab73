#pragma once
// The one place the engine's version and the formats it reads are defined.

#define FASCIA_VERSION_MAJOR 0
#define FASCIA_VERSION_MINOR 1
#define FASCIA_VERSION_PATCH 0
#define FASCIA_VERSION_STRING "0.1.0"

namespace fascia {

inline constexpr const char* engine_name = "fascia";
inline constexpr const char* engine_version = FASCIA_VERSION_STRING;

// Format of the client-state input and the recommendation output
// (../shared/CONTRACT.md). A breaking change bumps it.
inline constexpr int state_format = 1;
inline constexpr int recommendation_format = 1;
// Format of the protocol YAML language (docs/protocol-authoring.md).
inline constexpr int protocol_format = 1;

}  // namespace fascia
