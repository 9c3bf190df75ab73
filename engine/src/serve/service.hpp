#pragma once
// What the server answers, independent of the transport: one request in,
// one response out (routing, content types, auth, the JSON API, CDS Hooks,
// static files). The HTTP layer (http_server.cpp) parses and writes; this
// class decides. Thread-safe: handle() runs on every I/O thread at once.

#include <fascia/serve.hpp>

#include "access_log.hpp"
#include "decision_log.hpp"
#include "fhir_map.hpp"
#include "jwt_auth.hpp"
#include "metrics.hpp"
#include "protocol_folder.hpp"

#include <fascia/engine.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fascia::serve {

struct Request {
  std::string method;
  std::string target;  // path and query as sent
  std::string content_type;
  std::string authorization;
  std::string body;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string decision_id;
  std::string route;  // route template, for metrics ("/v1/protocols/{id}/evaluate")
  std::vector<std::pair<std::string, std::string>> headers;
};

class Service {
 public:
  // false (with `problems`) when the FHIR map or auth config cannot be read.
  bool init(const ServerOptions& options, Diagnostics& problems);
  Response handle(const Request& request);
  // Error responses the HTTP layer makes itself (413, 431, 400 bad request).
  Response error(unsigned status, const std::string& message, const std::string& route);

  ProtocolFolder& folder() { return *folder_; }
  Metrics& metrics() { return metrics_; }
  DecisionLog& decision_log() { return decision_log_; }
  // A line about the server (start, reload, drain): written at once.
  void log(const std::string& line);
  // A request's access-log line; true when the server must call
  // flush_request_log() within AccessLog::flush_delay (buffered stderr).
  bool log_request(std::string_view line);
  void flush_request_log() { access_log_.timed_flush(); }

 private:
  enum class ApiCall { evaluate, what_if, simulate };
  Response json_api(const Request& rq, const std::string& id, ApiCall call, Response rs);
  Response protocol_list(Response rs);
  Response state_schema(const std::string& id, Response rs);
  Response discovery(Response rs);
  Response cds_call(const Request& rq, const std::string& service, Response rs);
  void fetch_missing_prefetch(const nlohmann::json& doc, bool encounter, MapContext& context,
                              nlohmann::json& prefetch);
  Response cds_feedback(const Request& rq, const std::string& service, Response rs);
  Response static_file(const std::string& path, Response rs);

  ServerOptions options_;
  std::unique_ptr<ProtocolFolder> folder_;
  std::unique_ptr<Engine> meta_engine_;  // techniques and plugin metadata
  std::map<std::string, std::string> home_item_owners_;
  std::map<std::string, std::string> technique_names_;   // id -> display name
  std::map<std::string, std::string> home_item_titles_;  // id -> plain-language description
  FhirMap fhir_map_;
  Authenticator auth_;
  Metrics metrics_;
  DecisionLog decision_log_;
  AccessLog access_log_;  // when options_.log is not set
  std::string web_root_;
};

}  // namespace fascia::serve
