// The C API (fascia.h) over the C++ API. Every function catches everything:
// no exception crosses extern "C". Errors travel through per-call
// out-parameters, never through global state.
#include <fascia/fascia.h>

#include <fascia/engine.hpp>
#include <fascia/protocol.hpp>
#include <fascia/protocol_store.hpp>
#include <fascia/record.hpp>
#include <fascia/version.hpp>

#include <nlohmann/json.hpp>

#include "core/protocol_access.hpp"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

struct fascia_error {
  fascia_status code = FASCIA_ERROR_INTERNAL;
  std::string message;  // diagnostics, one per line
  std::string json;
};

struct fascia_engine {
  fascia::Engine engine;
  fascia::Diagnostics problems;  // plugin load problems
};

struct fascia_protocol {
  std::shared_ptr<const fascia::Protocol> protocol;
};

struct fascia_store {
  std::unique_ptr<fascia::ProtocolStore> store;
};

namespace {

using fascia::Diagnostics;
using Json = nlohmann::ordered_json;

const char* status_name(fascia_status code) {
  switch (code) {
    case FASCIA_OK:
      return "ok";
    case FASCIA_ERROR_ARGUMENT:
      return "argument";
    case FASCIA_ERROR_INVALID_INPUT:
      return "invalid_input";
    case FASCIA_ERROR_IO:
      return "io";
    case FASCIA_ERROR_OUT_OF_MEMORY:
      return "out_of_memory";
    case FASCIA_ERROR_INTERNAL:
      return "internal";
  }
  return "internal";
}

const char* severity_name(fascia::Severity severity) {
  switch (severity) {
    case fascia::Severity::error:
      return "error";
    case fascia::Severity::warning:
      return "warning";
    case fascia::Severity::note:
      return "note";
  }
  return "error";
}

// The status of a failure: the first error whose code is not about the
// input itself decides (Diagnostic::code, never the message's wording).
fascia_status classify(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity != fascia::Severity::error) continue;
    switch (d.code) {
      case fascia::DiagnosticCode::internal_error:
        return FASCIA_ERROR_INTERNAL;
      case fascia::DiagnosticCode::out_of_memory:
        return FASCIA_ERROR_OUT_OF_MEMORY;
      case fascia::DiagnosticCode::cannot_read:
        return FASCIA_ERROR_IO;
      case fascia::DiagnosticCode::invalid_input:
      case fascia::DiagnosticCode::safety_floor:
        break;
    }
  }
  return FASCIA_ERROR_INVALID_INPUT;
}

// Sets *out (when wanted) and returns `code`. Allocation failures here
// leave *out NULL: the code still says what happened.
fascia_status fail(fascia_error** out, fascia_status code, const Diagnostics& diagnostics) {
  if (!out) return code;
  *out = nullptr;
  try {
    auto error = std::make_unique<fascia_error>();
    error->code = code;
    Json list = Json::array();
    for (const auto& d : diagnostics) {
      if (!error->message.empty()) error->message += '\n';
      error->message += d.to_string();
      list.push_back({{"severity", severity_name(d.severity)},
                      {"file", d.location.file},
                      {"line", d.location.line},
                      {"column", d.location.column},
                      {"message", d.message}});
    }
    error->json = Json{{"status", status_name(code)}, {"diagnostics", std::move(list)}}.dump(
        -1, ' ', false, Json::error_handler_t::replace);
    *out = error.release();
  } catch (...) {
  }
  return code;
}

fascia_status fail(fascia_error** out, fascia_status code, const std::string& message) {
  return fail(
      out, code,
      Diagnostics{{fascia::Severity::error, fascia::SourceLocation{"fascia", 0, 0}, message}});
}

fascia_status fail(fascia_error** out, const Diagnostics& diagnostics) {
  return fail(out, classify(diagnostics), diagnostics);
}

// Runs `body` (returning a fascia_status), turning any exception into an
// error. Clears *error first so that success leaves it NULL.
template <class F>
fascia_status guarded(fascia_error** error, F&& body) noexcept {
  if (error) *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, FASCIA_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, FASCIA_ERROR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(error, FASCIA_ERROR_INTERNAL, "internal error: unknown exception");
  }
}

// A malloc'ed copy for the caller (released with fascia_string_free).
char* copy_out(std::string_view text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

// Parses the options object of fascia_engine_new / fascia_store_open.
// Returns an error message, or empty.
std::string read_options(const char* text, fascia::EngineOptions& options) {
  if (!text) return {};
  const Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return "options must be a JSON object, e.g. {\"plugin_dirs\": [\"/opt/plugins\"]}";
  for (const auto& [key, value] : json.items()) {
    if (key == "plugin_dirs") {
      if (!value.is_array()) return "option plugin_dirs must be an array of folder names";
      for (const auto& dir : value) {
        if (!dir.is_string()) return "option plugin_dirs must be an array of folder names";
        options.plugin_dirs.push_back(dir.get<std::string>());
      }
    } else if (key == "use_environment" || key == "use_default_dirs") {
      if (!value.is_boolean()) return "option " + key + " must be true or false";
      (key == "use_environment" ? options.use_environment : options.use_default_dirs) =
          value.get<bool>();
    } else {
      return "unknown option '" + key +
             "'; expected plugin_dirs, use_environment, use_default_dirs";
    }
  }
  return {};
}

fascia::EvaluateOptions evaluate_options(unsigned flags) {
  fascia::EvaluateOptions options;
  options.explain = (flags & FASCIA_EXPLAIN) != 0;
  return options;
}

fascia_status evaluate_with(const fascia::Protocol& protocol, const char* state, unsigned flags,
                            char** out, fascia_error** error) {
  auto result = protocol.evaluate_json(state, evaluate_options(flags));
  if (!result) return fail(error, result.diagnostics());
  *out = copy_out(result.value());
  return FASCIA_OK;
}

fascia_status unknown_flags(fascia_error** error, unsigned flags) {
  return fail(error, FASCIA_ERROR_ARGUMENT,
              "unknown flag bits " + std::to_string(flags & ~unsigned(FASCIA_KNOWN_FLAGS)) +
                  "; this library (C API " + std::to_string(FASCIA_C_API_VERSION) +
                  ") knows FASCIA_EXPLAIN only");
}

// Reads the session object of fascia_record; returns an error message or empty.
std::string read_session(const char* text, fascia::SessionRecord& session,
                         fascia::RecordOptions& options) {
  const Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return "session must be a JSON object, e.g. {\"status\": \"given\", \"soreness_24h\": 3}";
  const auto score = [](const Json& v, const std::string& key,
                        std::optional<double>& out) -> std::string {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 10)
      return "session." + key + " must be a number 0-10";
    out = v.get<double>();
    return {};
  };
  for (const auto& [key, value] : json.items()) {
    std::string problem;
    if (key == "status") {
      const std::string s = value.is_string() ? value.get<std::string>() : "";
      if (s == "given")
        session.status = fascia::SessionRecord::Status::given;
      else if (s == "missed")
        session.status = fascia::SessionRecord::Status::missed;
      else if (s == "postponed")
        session.status = fascia::SessionRecord::Status::postponed;
      else
        problem = "session.status must be \"given\", \"missed\" or \"postponed\"";
    } else if (key == "date") {
      if (value.is_string()) session.date = fascia::Date::parse(value.get<std::string>());
      if (!session.date) problem = "session.date must be a date YYYY-MM-DD";
    } else if (key == "techniques") {
      std::vector<std::string> list;
      for (const auto& t : value.is_array() ? value : Json::array({1})) {
        if (!t.is_string()) {
          problem = "session.techniques must be an array of technique ids";
          break;
        }
        list.push_back(t.get<std::string>());
      }
      if (problem.empty()) session.techniques = std::move(list);
    } else if (key == "pressure") {
      if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 10)
        problem = "session.pressure must be an integer 1-10";
      else
        session.pressure = value.get<int>();
    } else if (key == "soreness_24h") {
      problem = score(value, key, session.soreness_24h);
    } else if (key == "pain_before") {
      problem = score(value, key, session.pain_before);
    } else if (key == "pain_after") {
      problem = score(value, key, session.pain_after);
    } else if (key == "override") {
      if (!value.is_string())
        problem = "session.override must be text (the reason)";
      else
        session.override_reason = value.get<std::string>();
    } else if (key == "history_kept") {
      if (!value.is_number_integer() || value.get<int>() < 1)
        problem = "session.history_kept must be an integer >= 1";
      else
        options.history_kept = value.get<std::size_t>();
    } else {
      problem = "unknown session key '" + key +
                "'; expected status, date, techniques, pressure, soreness_24h, pain_before, "
                "pain_after, override, history_kept";
    }
    if (!problem.empty()) return problem;
  }
  return {};
}

const char* observation_type(fascia::detail::ObservationDecl::Kind kind) {
  using Kind = fascia::detail::ObservationDecl::Kind;
  switch (kind) {
    case Kind::integer:
      return "integer";
    case Kind::number:
      return "number";
    case Kind::boolean:
      return "boolean";
    case Kind::enumeration:
      return "enum";
    case Kind::string:
      return "string";
  }
  return "string";
}

Json protocol_info(const fascia::Protocol& protocol) {
  const auto& model = fascia::detail::ProtocolAccess::model(protocol);
  Json stages = Json::array(), frequencies = Json::array(), observations = Json::array(),
       techniques = Json::array();
  for (const auto& st : model.stages) stages.push_back({{"id", st.id}, {"title", st.title}});
  for (const auto& f : model.ladder)
    frequencies.push_back({{"id", f.id}, {"title", f.title}, {"interval_days", f.interval_days}});
  for (const auto& o : model.observations) {
    Json j = {{"name", o.name}, {"type", observation_type(o.kind)}};
    if (!o.values.empty()) j["values"] = o.values;
    if (o.min) j["minimum"] = *o.min;
    if (o.max) j["maximum"] = *o.max;
    j["required"] = o.required;
    j["description"] = o.description;
    observations.push_back(std::move(j));
  }
  for (const auto& t : model.techniques)
    techniques.push_back({{"id", t.entry->info.id}, {"title", t.entry->info.display_name}});
  return {{"id", model.id},
          {"version", model.version},
          {"title", model.title},
          {"sha256", model.sha256},
          {"conditions", model.conditions},
          {"stages", std::move(stages)},
          {"frequencies", std::move(frequencies)},
          {"start_frequency", model.start_frequency < model.ladder.size()
                                  ? model.ladder[model.start_frequency].id
                                  : std::string()},
          {"observations", std::move(observations)},
          {"techniques", std::move(techniques)}};
}

fascia_status missing(fascia_error** error, const char* what) {
  return fail(error, FASCIA_ERROR_ARGUMENT, std::string(what) + " must not be NULL");
}

}  // namespace

extern "C" {

const char* fascia_version(void) { return FASCIA_VERSION_STRING; }

int fascia_api_version(void) { return FASCIA_C_API_VERSION; }

fascia_status fascia_error_code(const fascia_error* error) {
  return error ? error->code : FASCIA_OK;
}

const char* fascia_error_message(const fascia_error* error) {
  return error ? error->message.c_str() : "";
}

const char* fascia_error_json(const fascia_error* error) {
  return error ? error->json.c_str() : "{\"status\": \"ok\", \"diagnostics\": []}";
}

void fascia_error_free(fascia_error* error) { delete error; }

void fascia_string_free(char* text) { std::free(text); }

fascia_status fascia_engine_new(const char* options_json, fascia_engine** engine,
                                fascia_error** error) {
  return guarded(error, [&] {
    if (!engine) return missing(error, "engine");
    *engine = nullptr;
    fascia::EngineOptions options;
    if (auto problem = read_options(options_json, options); !problem.empty())
      return fail(error, FASCIA_ERROR_ARGUMENT, problem);
    auto created = std::make_unique<fascia_engine>(fascia_engine{fascia::Engine(options), {}});
    created->problems = created->engine.load_plugins();
    *engine = created.release();
    return FASCIA_OK;
  });
}

void fascia_engine_free(fascia_engine* engine) { delete engine; }

fascia_status fascia_engine_plugins_json(const fascia_engine* engine, char** json,
                                         fascia_error** error) {
  return guarded(error, [&] {
    if (!json) return missing(error, "json");
    *json = nullptr;
    if (!engine) return missing(error, "engine");
    Json plugins = Json::array();
    for (const auto& p : engine->engine.plugins())
      plugins.push_back({{"file", p.file},
                         {"name", p.name},
                         {"version", p.version},
                         {"abi", p.abi_version},
                         {"built_against", p.built_against},
                         {"techniques", p.techniques}});
    Json problems = Json::array();
    for (const auto& d : engine->problems) problems.push_back(d.to_string());
    const Json out = {{"search_path", engine->engine.plugin_search_path()},
                      {"plugins", std::move(plugins)},
                      {"problems", std::move(problems)}};
    *json = copy_out(out.dump(-1, ' ', false, Json::error_handler_t::replace));
    return FASCIA_OK;
  });
}

fascia_status fascia_protocol_load(const fascia_engine* engine, const char* path,
                                   fascia_protocol** protocol, fascia_error** error) {
  return guarded(error, [&] {
    if (!protocol) return missing(error, "protocol");
    *protocol = nullptr;
    if (!engine) return missing(error, "engine");
    if (!path) return missing(error, "path");
    auto loaded = engine->engine.load_protocol(path);
    if (!loaded) return fail(error, loaded.diagnostics());
    *protocol = new fascia_protocol{std::move(loaded).value_or_throw()};
    return FASCIA_OK;
  });
}

fascia_status fascia_protocol_parse(const fascia_engine* engine, const char* yaml, const char* name,
                                    fascia_protocol** protocol, fascia_error** error) {
  return guarded(error, [&] {
    if (!protocol) return missing(error, "protocol");
    *protocol = nullptr;
    if (!engine) return missing(error, "engine");
    if (!yaml) return missing(error, "yaml");
    auto loaded = engine->engine.parse_protocol(yaml, name ? name : "<protocol>");
    if (!loaded) return fail(error, loaded.diagnostics());
    *protocol = new fascia_protocol{std::move(loaded).value_or_throw()};
    return FASCIA_OK;
  });
}

void fascia_protocol_free(fascia_protocol* protocol) { delete protocol; }

const char* fascia_protocol_id(const fascia_protocol* protocol) {
  return protocol ? protocol->protocol->id().c_str() : "";
}

const char* fascia_protocol_version(const fascia_protocol* protocol) {
  return protocol ? protocol->protocol->version().c_str() : "";
}

const char* fascia_protocol_sha256(const fascia_protocol* protocol) {
  return protocol ? protocol->protocol->sha256().c_str() : "";
}

fascia_status fascia_evaluate(const fascia_protocol* protocol, const char* state, unsigned flags,
                              char** recommendation_json, fascia_error** error) {
  return guarded(error, [&] {
    if (!recommendation_json) return missing(error, "recommendation_json");
    *recommendation_json = nullptr;
    if (!protocol) return missing(error, "protocol");
    if (!state) return missing(error, "state");
    if (flags & ~unsigned(FASCIA_KNOWN_FLAGS)) return unknown_flags(error, flags);
    return evaluate_with(*protocol->protocol, state, flags, recommendation_json, error);
  });
}

fascia_status fascia_protocol_info_json(const fascia_protocol* protocol, char** json,
                                        fascia_error** error) {
  return guarded(error, [&] {
    if (!json) return missing(error, "json");
    *json = nullptr;
    if (!protocol) return missing(error, "protocol");
    *json = copy_out(
        protocol_info(*protocol->protocol).dump(-1, ' ', false, Json::error_handler_t::replace));
    return FASCIA_OK;
  });
}

fascia_status fascia_record(const fascia_protocol* protocol, const char* state,
                            const char* session_json, unsigned flags, char** result_json,
                            fascia_error** error) {
  return guarded(error, [&] {
    if (!result_json) return missing(error, "result_json");
    *result_json = nullptr;
    if (!protocol) return missing(error, "protocol");
    if (!state) return missing(error, "state");
    if (!session_json) return missing(error, "session_json");
    if (flags != 0) return unknown_flags(error, flags);
    fascia::SessionRecord session;
    fascia::RecordOptions options;
    if (auto problem = read_session(session_json, session, options); !problem.empty())
      return fail(error, FASCIA_ERROR_ARGUMENT, problem);
    const fascia::Protocol& p = *protocol->protocol;
    auto parsed = p.parse_state(state, "<state>");
    if (!parsed) return fail(error, parsed.diagnostics());
    auto recorded = fascia::record_session(p, parsed.value(), session, options);
    if (!recorded) return fail(error, recorded.diagnostics());
    std::string out = "{\"state\": " + fascia::state_to_json(recorded.value().next, false) +
                      ", \"plan\": " + fascia::to_json(recorded.value().plan) + "}";
    *result_json = copy_out(out);
    return FASCIA_OK;
  });
}

fascia_status fascia_store_open(const char* path, const char* options_json, fascia_store** store,
                                fascia_error** error) {
  return guarded(error, [&] {
    if (!store) return missing(error, "store");
    *store = nullptr;
    if (!path) return missing(error, "path");
    fascia::EngineOptions options;
    if (auto problem = read_options(options_json, options); !problem.empty())
      return fail(error, FASCIA_ERROR_ARGUMENT, problem);
    auto opened = fascia::ProtocolStore::open(path, std::move(options));
    if (!opened) return fail(error, opened.diagnostics());
    *store = new fascia_store{std::move(opened).value_or_throw()};
    return FASCIA_OK;
  });
}

void fascia_store_free(fascia_store* store) { delete store; }

fascia_status fascia_store_reload(fascia_store* store, int reload_plugins, int* changed,
                                  fascia_error** error) {
  return guarded(error, [&] {
    if (changed) *changed = 0;
    if (!store) return missing(error, "store");
    auto result = reload_plugins ? store->store->reload_plugins() : store->store->reload();
    if (!result.ok) return fail(error, result.diagnostics);
    if (changed) *changed = result.changed ? 1 : 0;
    return FASCIA_OK;
  });
}

fascia_status fascia_store_reload_if_changed(fascia_store* store, int* changed,
                                             fascia_error** error) {
  return guarded(error, [&] {
    if (changed) *changed = 0;
    if (!store) return missing(error, "store");
    auto result = store->store->reload_if_changed();
    if (!result.ok) return fail(error, result.diagnostics);
    if (changed) *changed = result.changed ? 1 : 0;
    return FASCIA_OK;
  });
}

fascia_status fascia_store_current(const fascia_store* store, fascia_protocol** protocol,
                                   fascia_error** error) {
  return guarded(error, [&] {
    if (!protocol) return missing(error, "protocol");
    *protocol = nullptr;
    if (!store) return missing(error, "store");
    *protocol = new fascia_protocol{store->store->current()};
    return FASCIA_OK;
  });
}

fascia_status fascia_store_evaluate(const fascia_store* store, const char* state, unsigned flags,
                                    char** recommendation_json, fascia_error** error) {
  return guarded(error, [&] {
    if (!recommendation_json) return missing(error, "recommendation_json");
    *recommendation_json = nullptr;
    if (!store) return missing(error, "store");
    if (!state) return missing(error, "state");
    if (flags & ~unsigned(FASCIA_KNOWN_FLAGS)) return unknown_flags(error, flags);
    return evaluate_with(*store->store->current(), state, flags, recommendation_json, error);
  });
}

}  // extern "C"
