#pragma once
// The one place the engine's version and the formats it reads are defined.

// CMake reads the three numbers from here (the top CMakeLists.txt): change
// them here only.
#define FASCIA_VERSION_MAJOR 0
#define FASCIA_VERSION_MINOR 1
#define FASCIA_VERSION_PATCH 0

#define FASCIA_VERSION_STRINGIZE_(x) #x
#define FASCIA_VERSION_STRINGIZE(x) FASCIA_VERSION_STRINGIZE_(x)
#define FASCIA_VERSION_STRING                                                      \
  FASCIA_VERSION_STRINGIZE(FASCIA_VERSION_MAJOR)                                   \
  "." FASCIA_VERSION_STRINGIZE(FASCIA_VERSION_MINOR) "." FASCIA_VERSION_STRINGIZE( \
      FASCIA_VERSION_PATCH)

namespace fascia {

inline constexpr const char* engine_name = "fascia";
inline constexpr const char* engine_version = FASCIA_VERSION_STRING;

// Format of the client-state input and the recommendation output
// (schemas/client-state.schema.json and schemas/recommendation.schema.json,
// installed in share/fascia/schemas). A breaking change bumps it.
inline constexpr int state_format = 1;
inline constexpr int recommendation_format = 1;
// Format of the protocol YAML language (docs/protocol-authoring.md).
inline constexpr int protocol_format = 1;

}  // namespace fascia
