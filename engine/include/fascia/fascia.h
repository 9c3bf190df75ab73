/* The fascia C API: a small, stable surface for hosts that are not C++
 * (C, Python ctypes, C#, Java FFM, Go cgo...).
 *
 * - Opaque handles (fascia_engine, fascia_protocol, fascia_store), created by
 *   a *_new / *_load / *_open function and released by the matching *_free.
 *   *_free(NULL) does nothing.
 * - Text in and out is NUL-terminated UTF-8. Client states go in as JSON (or
 *   YAML); recommendations come out as the JSON document of CONTRACT.md.
 *   Every char* a function returns through an out-parameter belongs to the
 *   caller: release it with fascia_string_free(). A const char* returned
 *   directly (fascia_version, fascia_protocol_id...) belongs to the library
 *   and lives as long as the handle it came from (forever for fascia_version).
 * - Every fallible function returns a fascia_status and, on failure, a
 *   fascia_error through its last parameter (pass NULL if you only want the
 *   code); on success it sets *error to NULL. There is no global error
 *   state: each call reports its own error, so the API is safe to use from
 *   many threads. Release errors with fascia_error_free(). Out-parameters
 *   for results are set to NULL on failure.
 * - Nothing throws or aborts across this boundary.
 *
 * Threads: a fascia_protocol and a fascia_store may be used by any number of
 * threads at once (evaluate, reload, current). A fascia_engine may be used
 * by many threads to load protocols, but must not be freed while another
 * thread uses it. Protocols and stores stay valid after their engine is
 * freed (they keep the plugin libraries they use loaded).
 *
 * FASCIA_C_API_VERSION is bumped when a function is added (minor) or
 * changed/removed (major); fascia_api_version() returns the library's.
 */
#ifndef FASCIA_FASCIA_H
#define FASCIA_FASCIA_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(FASCIA_BUILDING_LIBRARY)
#define FASCIA_C_API __declspec(dllexport)
#else
#define FASCIA_C_API __declspec(dllimport)
#endif
#else
#define FASCIA_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Version 1.2 of the C API; major * 1000 + minor.
 * 1.1: fascia_record, fascia_protocol_info_json; unknown flag bits refused.
 * 1.2: fascia_what_if, fascia_validate_protocol, fascia_validate_protocol_file,
 *      fascia_validate_state, fascia_simulate, fascia_protocol_state_schema_json,
 *      FASCIA_STRICT; every diagnostic in error JSON has a "path"; protocol
 *      info lists each technique's plugin. */
#define FASCIA_C_API_VERSION 1002

typedef enum fascia_status {
  FASCIA_OK = 0,
  FASCIA_ERROR_ARGUMENT = 1,      /* a NULL handle or text, or bad options JSON */
  FASCIA_ERROR_INVALID_INPUT = 2, /* the protocol, client state or plugin is invalid */
  FASCIA_ERROR_IO = 3,            /* a file could not be read */
  FASCIA_ERROR_OUT_OF_MEMORY = 4,
  FASCIA_ERROR_INTERNAL = 5 /* a bug: please report it with the input */
} fascia_status;

typedef struct fascia_error fascia_error;
typedef struct fascia_engine fascia_engine;
typedef struct fascia_protocol fascia_protocol;
typedef struct fascia_store fascia_store;

/* Flags. Each function documents the flags it takes; any other bit is
 * refused with FASCIA_ERROR_ARGUMENT (a newer caller's flag is never ignored). */
#define FASCIA_EXPLAIN 1u /* evaluate, what-if: add the "trace" of every rule considered */
#define FASCIA_STRICT 2u  /* validate: safety-floor warnings are errors */
/* The flags of fascia_evaluate and fascia_store_evaluate. */
#define FASCIA_KNOWN_FLAGS FASCIA_EXPLAIN

/* "0.1.0": the engine version (also in every recommendation). */
FASCIA_C_API const char* fascia_version(void);
/* FASCIA_C_API_VERSION of the library actually loaded. */
FASCIA_C_API int fascia_api_version(void);

/* ---- errors ----------------------------------------------------------- */

FASCIA_C_API fascia_status fascia_error_code(const fascia_error* error);
/* Every problem, one per line: "FILE:LINE:COL: error: MESSAGE". */
FASCIA_C_API const char* fascia_error_message(const fascia_error* error);
/* The same problems as JSON:
 * {"status": "invalid_input", "diagnostics": [{"severity": "error",
 *   "file": "<state>", "line": 3, "column": 7, "path": "$.pain.current",
 *   "message": "..."}]}
 * "file" is "<state>" for the client state given to a call, "<scenario>" for
 * fascia_simulate's scenario, "--set PATH" for a fascia_what_if change.
 * "path" is the JSON path of the key or value the problem is about, in that
 * input (the same for YAML input): "$.history[0].pressure", "$.flare" for a
 * missing key of "flare", "$.PATH" for a what-if change; "$" when the
 * problem is about the whole input or has no position. */
FASCIA_C_API const char* fascia_error_json(const fascia_error* error);
FASCIA_C_API void fascia_error_free(fascia_error* error);

/* Releases a string returned through an out-parameter. */
FASCIA_C_API void fascia_string_free(char* text);

/* ---- engine: the technique plugins ------------------------------------- */

/* Creates an engine and loads the technique plugins. `options_json` may be
 * NULL (defaults) or an object with any of:
 *   "plugin_dirs": ["dir", ...]   searched first
 *   "use_environment": true       also FASCIA_PLUGIN_PATH (colon-separated)
 *   "use_default_dirs": true      also the plugin folder beside libfascia
 * Plugin problems (a file that fails to load, a configured folder that does
 * not exist) do not fail the call: fascia_engine_plugins_json lists them
 * under "problems", and a protocol that needs a missing plugin fails to load
 * saying so. */
FASCIA_C_API fascia_status fascia_engine_new(const char* options_json, fascia_engine** engine,
                                             fascia_error** error);
FASCIA_C_API void fascia_engine_free(fascia_engine* engine);
/* {"search_path": [...], "plugins": [{"file", "name", "version", "abi",
 *  "built_against", "techniques": [...]}], "problems": ["..."]} */
FASCIA_C_API fascia_status fascia_engine_plugins_json(const fascia_engine* engine, char** json,
                                                      fascia_error** error);

/* ---- protocol: one loaded protocol, immutable --------------------------- */

FASCIA_C_API fascia_status fascia_protocol_load(const fascia_engine* engine, const char* path,
                                                fascia_protocol** protocol, fascia_error** error);
/* From text in memory; `name` is used in messages (may be NULL). */
FASCIA_C_API fascia_status fascia_protocol_parse(const fascia_engine* engine, const char* yaml,
                                                 const char* name, fascia_protocol** protocol,
                                                 fascia_error** error);
FASCIA_C_API void fascia_protocol_free(fascia_protocol* protocol);
FASCIA_C_API const char* fascia_protocol_id(const fascia_protocol* protocol);
FASCIA_C_API const char* fascia_protocol_version(const fascia_protocol* protocol);
FASCIA_C_API const char* fascia_protocol_sha256(const fascia_protocol* protocol);

/* Evaluates one client state (JSON or YAML text). On success
 * *recommendation_json is the recommendation (one line, no newline). */
FASCIA_C_API fascia_status fascia_evaluate(const fascia_protocol* protocol, const char* state,
                                           unsigned flags, char** recommendation_json,
                                           fascia_error** error);

/* What an integrator needs to build an intake form or show titles:
 * {"id", "version", "title", "sha256", "conditions": [...],
 *  "stages": [{"id", "title"}], "frequencies": [{"id", "title", "interval_days"}],
 *  "start_frequency": "...", "observations": [{"name", "type" (integer|number|
 *  boolean|enum|string), "values"?, "minimum"?, "maximum"?, "required",
 *  "description"}], "techniques": [{"id", "title", "plugin",
 *  "plugin_version", "flare_safe", "max_pressure"}]}
 * (the C++ API: fascia::Protocol::stages(), frequencies(), observations(),
 * techniques()). */
FASCIA_C_API fascia_status fascia_protocol_info_json(const fascia_protocol* protocol, char** json,
                                                     fascia_error** error);

/* Records a session (fascia/record.hpp; `fascia record`): `state` is the
 * client state the session was planned for (JSON or YAML), `session_json`
 * what happened: {"status": "given" | "missed" | "postponed", "date":
 * "YYYY-MM-DD", "techniques": [...], "pressure": 1-10, "soreness_24h": 0-10,
 * "pain_before": 0-10, "pain_after": 0-10, "override": "reason",
 * "history_kept": N}, every key optional ("{}": given as planned, on as_of).
 * On success *result_json is {"state": NEXT_CLIENT_STATE, "plan":
 * RECOMMENDATION}. `flags` must be 0. */
FASCIA_C_API fascia_status fascia_record(const fascia_protocol* protocol, const char* state,
                                         const char* session_json, unsigned flags,
                                         char** result_json, fascia_error** error);

/* ---- documents: what-if, validation, simulation, state schema ------------
 * The JSON documents of `fascia what-if --json`, `fascia validate`,
 * `fascia simulate --json` and `fascia schema`, made by the same code. */

/* Evaluates `state` as given and with `changes_json`, an object of
 * {"PATH": VALUE} (PATH as `fascia what-if --set`: "flare.active",
 * "pain.current", "last.soreness_24h", "observations.NAME"; VALUE any JSON
 * value). *result_json is {"baseline": RECOMMENDATION, "what_if":
 * RECOMMENDATION, "changes": [{"path", "from", "to", "rules"}]}. A change the
 * protocol refuses fails with FASCIA_ERROR_INVALID_INPUT, its diagnostic's
 * file "--set PATH" and path "$.PATH". Flags: FASCIA_EXPLAIN. */
FASCIA_C_API fascia_status fascia_what_if(const fascia_protocol* protocol, const char* state,
                                          const char* changes_json, unsigned flags,
                                          char** result_json, fascia_error** error);

/* Validates a protocol (YAML text; `name` is used in messages, may be NULL)
 * as `fascia validate` does: schema and semantic checks, then lint warnings
 * (overlapping rules with contradicting actions, rules that never fire,
 * stages or frequencies never reached, safety-floor findings). An invalid
 * protocol is a result, not a failure: the call returns FASCIA_OK with
 * *result_json = {"valid": false, "errors": N, "warnings": N, "diagnostics":
 * [{"severity": "error" | "warning", "file", "line", "column", "path",
 * "message"}]} ("path" into the protocol: "$.stages[1].advance[0]").
 * Flags: FASCIA_STRICT. */
FASCIA_C_API fascia_status fascia_validate_protocol(const fascia_engine* engine, const char* yaml,
                                                    const char* name, unsigned flags,
                                                    char** result_json, fascia_error** error);
/* The same for a protocol file; FASCIA_ERROR_IO is not used: a file that
 * cannot be read is a diagnostic of the result. */
FASCIA_C_API fascia_status fascia_validate_protocol_file(const fascia_engine* engine,
                                                         const char* path, unsigned flags,
                                                         char** result_json, fascia_error** error);
/* Checks a client state (JSON or YAML) against the protocol (`fascia
 * validate --state S --protocol P`): the result document as above, with the
 * problems of the state. Flags: none (0). */
FASCIA_C_API fascia_status fascia_validate_state(const fascia_protocol* protocol, const char* state,
                                                 unsigned flags, char** result_json,
                                                 fascia_error** error);

/* Projects the plan `weeks` (1-260) weeks forward (`fascia simulate`):
 * `scenario` is a scenario document (YAML or JSON, the format of docs/cli.md
 * "Scenario files") or NULL (no events). *result_json is the document of
 * `fascia simulate --json`. Flags: none (0). */
FASCIA_C_API fascia_status fascia_simulate(const fascia_protocol* protocol, const char* state,
                                           int weeks, const char* scenario, unsigned flags,
                                           char** result_json, fascia_error** error);

/* The client-state JSON Schema specialised to this protocol (`fascia schema
 * --protocol P`, one line): its conditions, stages and frequencies with
 * titles, and its observations with types, ranges and descriptions, so that
 * an EHR can generate its intake form. */
FASCIA_C_API fascia_status fascia_protocol_state_schema_json(const fascia_protocol* protocol,
                                                             char** json, fascia_error** error);

/* ---- store: a protocol file that can be reloaded while in use ----------- */

/* Loads the protocol at `path` with a new engine (options as for
 * fascia_engine_new). */
FASCIA_C_API fascia_status fascia_store_open(const char* path, const char* options_json,
                                             fascia_store** store, fascia_error** error);
FASCIA_C_API void fascia_store_free(fascia_store* store);
/* Re-reads the protocol file (and with `reload_plugins` non-zero, the plugin
 * folders, through a fresh engine). On success *changed (may be NULL) is 1
 * when a different version was swapped in. On failure the store keeps
 * serving the version it had, and the error says why. */
FASCIA_C_API fascia_status fascia_store_reload(fascia_store* store, int reload_plugins,
                                               int* changed, fascia_error** error);
/* Like fascia_store_reload, but only when the file changed on disk
 * (modification time, size or inode) since the last load. */
FASCIA_C_API fascia_status fascia_store_reload_if_changed(fascia_store* store, int* changed,
                                                          fascia_error** error);
/* The version being served now, as its own handle (free it with
 * fascia_protocol_free); it stays valid across later reloads. */
FASCIA_C_API fascia_status fascia_store_current(const fascia_store* store,
                                                fascia_protocol** protocol, fascia_error** error);
/* Evaluates with the version being served now; the recommendation's
 * "protocol" names it (id, version, sha256). */
FASCIA_C_API fascia_status fascia_store_evaluate(const fascia_store* store, const char* state,
                                                 unsigned flags, char** recommendation_json,
                                                 fascia_error** error);

#ifdef __cplusplus
}
#endif

#endif /* FASCIA_FASCIA_H */
