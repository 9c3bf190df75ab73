#pragma once
// The technique plugin API.
//
// A plugin is a shared library exporting one C function,
//   extern "C" const fascia_plugin_info* fascia_plugin_entry(void);
// (write it with FASCIA_PLUGIN below). The host reads the plain struct it
// returns before touching any C++ class: a library built for another ABI is
// refused with a message naming both versions.
//
// FASCIA_PLUGIN_ABI_VERSION must be bumped whenever fascia_plugin_info, the
// Technique interface, or any struct reachable from it (ClientState,
// TechniqueContext, TechniqueResult, ConfigField, PluginFunction, Params)
// changes layout or meaning; engine/src/core/plugin_abi_layout.cpp pins
// their sizes, so a layout change fails the engine's build until the
// version is bumped there too. History:
//   1 - first version (fascia 0.1.0).
//   2 - Technique::inputs() added (a new virtual function: every vtable slot
//       after it moved): a technique declares which client-state fields and
//       configuration keys its adjust() reads; adjust() is given a view of
//       only those and the engine memoises its result per thread keyed on
//       them. ClientState::last_missed and history_overrides, appended at
//       its end after ABI 1 was pinned, are now part of the pinned layout.
//
// Plugins are C++ and must be built with the same compiler and standard
// library as the host (they share std::string and vtables). The host calls
// every plugin function inside a try/catch: a throwing plugin makes its
// technique held for that session with a warning, never a crash. Plugin
// libraries stay loaded for as long as anything created from them is alive.

#include <fascia/client_state.hpp>
#include <fascia/export.hpp>
#include <fascia/param.hpp>
#include <fascia/recommendation.hpp>
#include <fascia/version.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#define FASCIA_PLUGIN_ABI_VERSION 2u
#define FASCIA_PLUGIN_ENTRY_SYMBOL "fascia_plugin_entry"

extern "C" {
// abi_version and engine_version stay the first two fields in every ABI
// version: the host reads only them before deciding whether it can read the rest.
struct fascia_plugin_info {
  std::uint32_t abi_version;   // FASCIA_PLUGIN_ABI_VERSION the plugin was built with
  const char* engine_version;  // FASCIA_VERSION_STRING the plugin was built against
  const char* name;            // plugin name, e.g. "swedish"
  const char* version;         // semantic version of the plugin, e.g. "1.0.0"
  // Registers the plugin's techniques into `registry` (a
  // fascia::TechniqueRegistry*). Returns 0 on success; otherwise writes a
  // NUL-terminated message of at most error_size bytes into `error`.
  // Must not throw (FASCIA_PLUGIN makes sure of it).
  int (*register_techniques)(void* registry, char* error, std::size_t error_size);
};
typedef const fascia_plugin_info* (*fascia_plugin_entry_fn)(void);
}

namespace fascia {

// Configuration keys a technique accepts in a protocol (`techniques:` block
// and per-stage overrides), and the parameters its adjust() may return.
// The engine validates both against these declarations.
enum class ConfigType : std::uint8_t { integer, number, boolean, string, enumeration, string_list };

struct ConfigField {
  std::string name;
  ConfigType type = ConfigType::number;
  std::optional<double> min;  // integer/number
  std::optional<double> max;
  std::vector<std::string> allowed;  // enumeration / string_list values
  bool required = false;
  ParamValue default_value;  // monostate = no default
  std::string description;
};

enum class TechniqueKind : std::uint8_t {
  in_session,  // done by the therapist during the session
  home,        // self-care between sessions (contributes home-program items)
};

struct TechniqueInfo {
  std::string id;  // e.g. "myofascial_release"
  std::string display_name;
  TechniqueKind kind = TechniqueKind::in_session;
  int default_pressure = 3;                    // 1-10
  int max_pressure = 10;                       // 1-10: never exceeded in any session
  bool flare_safe = false;                     // may be used during an active flare
  std::vector<std::string> contraindications;  // human text, shown in docs/plugins
  std::string description;
};

// A home-program item a plugin knows how to prescribe; rules refer to it by id.
struct HomeProgramTemplate {
  std::string id;  // e.g. "self_mfr"
  std::string description;
  Params defaults;  // e.g. minutes_per_day: 5
};

// Values passed to and returned from plugin expression functions.
enum class FunctionType : std::uint8_t { boolean, number, string };
using FunctionValue = std::variant<std::monostate /* unknown */, bool, double, std::string>;

// A function added to the expression language, callable as
// `<technique id>.<name>(args)`, e.g. `myofascial_release.healing_response()`.
struct PluginFunction {
  std::string name;
  std::vector<FunctionType> parameters;
  FunctionType result = FunctionType::boolean;
  std::string description;
  // `config` is the technique's protocol-level configuration (defaults
  // filled in). Return monostate when the answer is unknown.
  FunctionValue (*call)(const ClientState& state, const Params& config, const FunctionValue* args,
                        std::size_t arg_count) = nullptr;
};

// The session being built, as the engine sees it when it asks a technique
// to adjust itself. Read-only.
struct SessionDraft {
  std::string stage;
  int pressure_cap = 1;  // engine cap before technique limits
  int duration_minutes = 0;
  std::vector<std::string> techniques;  // in-session techniques planned
  bool flare_restricted = false;        // a flare rule limited techniques
};

struct TechniqueContext {
  const ClientState& state;
  const Params& config;  // merged protocol + stage config
  const SessionDraft& session;
};

// An adjustment a technique reports. Its rule id becomes
// "<technique id>.<rule>" in the recommendation.
struct TechniqueAdjustment {
  AdjustmentKind kind = AdjustmentKind::note;
  ParamValue value;
  std::string rule;
  std::string reason;
};

struct TechniqueResult {
  Params parameters;                // validated against parameter_schema()
  std::optional<int> pressure_max;  // this technique's limit today (1-10)
  bool hold = false;                // hold this technique this session
  std::string hold_rule;            // rule id suffix, e.g. "high-sensitivity"
  std::string hold_reason;
  std::vector<TechniqueAdjustment> adjustments;
  std::vector<HomeProgramItem> home_program;  // ids must be declared templates
  std::vector<std::string> warnings;
};

// What a technique's adjust() reads (plugin ABI 2), checked when the plugin
// is loaded. adjust() is then given a view of the client state holding only
// these fields (every other field keeps its default value) and a
// configuration holding only these keys, and the engine memoises its result
// per thread keyed on exactly these inputs and the SessionDraft: adjust()
// must be a pure function of them (no clock, no randomness, no globals).
// Reading an undeclared field cannot give a stale result, only the default.
//
// state_fields are paths of the client-state format (CONTRACT.md):
//   client.id  client.condition  as_of  program.stage
//   program.sessions_completed  program.sessions_in_stage
//   program.weeks_in_program  program.frequency  program.missed_sessions_30d
//   program.last_missed  pain.current  pain.baseline  sensitivity
//   pressure_tolerance  sleep_quality  flare.active  flare.severity
//   flare.days_since_last  flare.count_30d  medications_changed
//   history.X   field X of every history entry (the view keeps their count)
//   last.X      field X of the newest entry only (the view holds just it,
//               unless a history.X field is declared too)
//     X: date techniques pressure soreness_24h pain_before pain_after override
//   observations.NAME   one observation declared by the protocol
// config_keys are names from config_schema().
struct TechniqueInputs {
  std::vector<std::string> state_fields;
  std::vector<std::string> config_keys;
  // adjust() reads the whole state and configuration: it gets them
  // unfiltered and is called on every evaluation (not memoised).
  bool everything = false;
};

class Technique {
 public:
  virtual ~Technique() = default;
  virtual TechniqueInfo info() const = 0;
  virtual std::vector<ConfigField> config_schema() const { return {}; }
  virtual std::vector<ConfigField> parameter_schema() const { return {}; }
  virtual std::vector<PluginFunction> functions() const { return {}; }
  virtual std::vector<HomeProgramTemplate> home_program_templates() const { return {}; }
  // What adjust() reads; by default everything (no memoisation): declare it.
  virtual TechniqueInputs inputs() const {
    TechniqueInputs all;
    all.everything = true;
    return all;
  }
  // Called for each technique planned in the session (and each configured
  // home technique) once per distinct declared input on each thread (see
  // TechniqueInputs); an undeclared technique is called on every evaluation.
  virtual void adjust(const TechniqueContext& context, TechniqueResult& result) const = 0;
};

// The narrow facade a plugin registers through. Duplicate technique ids are
// rejected, naming both plugins.
class TechniqueRegistry {
 public:
  virtual void add(std::unique_ptr<Technique> technique) = 0;

 protected:
  ~TechniqueRegistry() = default;
};

}  // namespace fascia

// Defines the entry point of a plugin library. REGISTER is a function
// `void (fascia::TechniqueRegistry&)`; an exception it throws becomes the
// load error message instead of crossing the C boundary.
#define FASCIA_PLUGIN(NAME, VERSION, REGISTER)                                                     \
  namespace {                                                                                      \
  int fascia_plugin_register_(void* registry, char* error, std::size_t size) noexcept {            \
    try {                                                                                          \
      REGISTER(*static_cast<::fascia::TechniqueRegistry*>(registry));                              \
      return 0;                                                                                    \
    } catch (const std::exception& e) {                                                            \
      if (size) {                                                                                  \
        std::snprintf(error, size, "%s", e.what());                                                \
      }                                                                                            \
    } catch (...) {                                                                                \
      if (size) std::snprintf(error, size, "unknown exception");                                   \
    }                                                                                              \
    return 1;                                                                                      \
  }                                                                                                \
  const fascia_plugin_info fascia_plugin_info_{FASCIA_PLUGIN_ABI_VERSION, FASCIA_VERSION_STRING,   \
                                               NAME, VERSION, &fascia_plugin_register_};           \
  }                                                                                                \
  extern "C" __attribute__((visibility("default"))) const fascia_plugin_info* fascia_plugin_entry( \
      void) {                                                                                      \
    return &fascia_plugin_info_;                                                                   \
  }

// Defines `const fascia_plugin_info VAR` (external linkage, in the enclosing
// namespace) for a plugin linked into the process instead of loaded from a
// library; pass it to Engine::add_plugin(). Unlike FASCIA_PLUGIN it defines
// no extern "C" symbol, so one binary may hold several in-process plugins.
// Other files refer to it after FASCIA_DECLARE_PLUGIN_INFO(VAR).
#define FASCIA_DECLARE_PLUGIN_INFO(VAR) extern const ::fascia_plugin_info VAR
#define FASCIA_PLUGIN_INFO(VAR, NAME, VERSION, REGISTER)                               \
  static int VAR##_register_(void* registry, char* error, std::size_t size) noexcept { \
    try {                                                                              \
      REGISTER(*static_cast<::fascia::TechniqueRegistry*>(registry));                  \
      return 0;                                                                        \
    } catch (const std::exception& e) {                                                \
      if (size) std::snprintf(error, size, "%s", e.what());                            \
    } catch (...) {                                                                    \
      if (size) std::snprintf(error, size, "unknown exception");                       \
    }                                                                                  \
    return 1;                                                                          \
  }                                                                                    \
  FASCIA_DECLARE_PLUGIN_INFO(VAR);                                                     \
  const ::fascia_plugin_info VAR {                                                     \
    FASCIA_PLUGIN_ABI_VERSION, FASCIA_VERSION_STRING, NAME, VERSION, &VAR##_register_  \
  }
