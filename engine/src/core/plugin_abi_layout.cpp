// The layout of every struct that crosses the plugin boundary, pinned for
// ABI version 1 on x86-64 with libstdc++ (the platform fascia is built and
// tested on). A change to one of these structs fails the build here: bump
// FASCIA_PLUGIN_ABI_VERSION (fascia/plugin.hpp, with a line in its history)
// and write the new layouts below. This file holds only these checks.
#include <fascia/plugin.hpp>

#include <cstddef>

namespace fascia {

static_assert(FASCIA_PLUGIN_ABI_VERSION == 1u,
              "new plugin ABI version: write its struct layouts below");

// The C entry struct: fields and offsets, read before any C++ class.
static_assert(offsetof(fascia_plugin_info, abi_version) == 0);
static_assert(offsetof(fascia_plugin_info, engine_version) == sizeof(void*));

#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(offsetof(fascia_plugin_info, name) == 16);
static_assert(offsetof(fascia_plugin_info, version) == 24);
static_assert(offsetof(fascia_plugin_info, register_techniques) == 32);
static_assert(sizeof(::fascia_plugin_info) == 40 && alignof(::fascia_plugin_info) == 8);
static_assert(sizeof(Date) == 12 && alignof(Date) == 4);
static_assert(sizeof(HistoryEntry) == 128 && alignof(HistoryEntry) == 8);
static_assert(sizeof(Observation) == 72 && alignof(Observation) == 8);
static_assert(sizeof(ObservationValue) == 40 && alignof(ObservationValue) == 8);
// ClientState grew at its end only (last_missed, history_overrides: issue
// 14): every field a plugin reads keeps its offset, and plugins receive it by
// const reference only, never by value or in an array.
static_assert(sizeof(ClientState) == 344 && alignof(ClientState) == 8);
static_assert(sizeof(Param) == 72 && alignof(Param) == 8);
static_assert(sizeof(ParamValue) == 40 && alignof(ParamValue) == 8);
static_assert(sizeof(Params) == 24 && alignof(Params) == 8);
static_assert(sizeof(ConfigField) == 176 && alignof(ConfigField) == 8);
static_assert(sizeof(TechniqueInfo) == 136 && alignof(TechniqueInfo) == 8);
static_assert(sizeof(HomeProgramTemplate) == 88 && alignof(HomeProgramTemplate) == 8);
static_assert(sizeof(PluginFunction) == 104 && alignof(PluginFunction) == 8);
static_assert(sizeof(FunctionValue) == 40 && alignof(FunctionValue) == 8);
static_assert(sizeof(SessionDraft) == 72 && alignof(SessionDraft) == 8);
static_assert(sizeof(TechniqueContext) == 24 && alignof(TechniqueContext) == 8);
static_assert(sizeof(TechniqueAdjustment) == 112 && alignof(TechniqueAdjustment) == 8);
static_assert(sizeof(TechniqueResult) == 176 && alignof(TechniqueResult) == 8);
static_assert(sizeof(Adjustment) == 144 && alignof(Adjustment) == 8);
static_assert(sizeof(PlannedTechnique) == 120 && alignof(PlannedTechnique) == 8);
static_assert(sizeof(HomeProgramItem) == 56 && alignof(HomeProgramItem) == 8);
static_assert(sizeof(Technique) == 8 && alignof(Technique) == 8);
static_assert(sizeof(TechniqueRegistry) == 8 && alignof(TechniqueRegistry) == 8);
#endif

}  // namespace fascia
