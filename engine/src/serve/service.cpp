// Routing, content types and authentication of every request; the JSON API
// handlers are in api_routes.cpp, CDS Hooks in cds_routes.cpp, static files
// in static_files.cpp.
#include "service.hpp"

#include "util.hpp"

#include <fascia/version.hpp>

#include <dlfcn.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>

namespace fascia::serve {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

bool is_json(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = char(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json" || media == "application/fhir+json";
}

// The installed data folder (share/fascia), seen from the module this code
// is in (libfascia-serve.so, or a program linking fascia_serve statically)
// and from the running program (bin/fascia).
std::vector<std::filesystem::path> installed_data_dirs() {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&installed_data_dirs), &info) != 0 && info.dli_fname) {
    const fs::path module = fs::absolute(info.dli_fname);
    if (module.filename().string().find(".so") != std::string::npos)  // a shared library
      dirs.push_back(module.parent_path() / FASCIA_SERVE_LIB_TO_DATA);
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path() / FASCIA_SERVE_BIN_TO_DATA);
  return dirs;
}

std::string default_fhir_map() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& dir : installed_data_dirs()) {
    const fs::path installed = dir / "fhir" / "default-map.yaml";
    if (fs::exists(installed, ec)) return installed.lexically_normal().string();
  }
  return FASCIA_SERVE_SOURCE_DIR "/fhir/default-map.yaml";
}

std::string default_web_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates;
  for (const auto& dir : installed_data_dirs()) candidates.push_back(dir / "web");
  candidates.push_back(fs::path(FASCIA_SERVE_BINARY_DIR) / "tools" / "web");
  candidates.push_back(fs::path(FASCIA_SERVE_SOURCE_DIR) / "tools" / "web");
  for (const auto& c : candidates)
    if (fs::is_directory(c, ec)) return c.lexically_normal().string();
  return {};
}

}  // namespace

bool Service::init(const ServerOptions& options, Diagnostics& problems) {
  options_ = options;
  EngineOptions engine_options;
  engine_options.plugin_dirs = options.plugin_dirs;
  meta_engine_ = std::make_unique<Engine>(engine_options);
  meta_engine_->load_plugins();
  for (const auto& t : meta_engine_->techniques()) {
    for (const auto& h : t.home_program) {
      home_item_owners_[h.id] = t.info.id;
      home_item_titles_[h.id] = h.description;
    }
    technique_names_[t.info.id] = t.info.display_name;
  }
  folder_ = std::make_unique<ProtocolFolder>(options.protocols_dir, engine_options,
                                             [this](const Diagnostics& diagnostics) {
                                               for (const auto& d : diagnostics) log(d.to_string());
                                             });
  bool ok = true;
  const std::string map_path = options.fhir_map.empty() ? default_fhir_map() : options.fhir_map;
  ok &= load_fhir_map(map_path, fhir_map_, problems);
  if (!options.auth_config.empty()) ok &= auth_.load(options.auth_config, problems);
  std::string error;
  if (!decision_log_.open(options.decision_log, error)) {
    problems.push_back({Severity::error, {options.decision_log, 0, 0}, error});
    ok = false;
  }
  web_root_ = options.web_root.empty() ? default_web_root() : options.web_root;
  if (!options.web_root.empty() && !std::filesystem::is_directory(options.web_root)) {
    problems.push_back({Severity::error, {options.web_root, 0, 0}, "--web-root is not a folder"});
    ok = false;
  }
  if (!std::filesystem::is_directory(options.protocols_dir)) {
    problems.push_back(
        {Severity::error, {options.protocols_dir, 0, 0}, "the protocols folder does not exist"});
    return false;
  }
  if (!ok) return false;
  log("fascia serve: FHIR mapping " + map_path +
      (web_root_.empty() ? "; no what-if page" : "; what-if page from " + web_root_));
  folder_->poll();
  return true;
}

void Service::log(const std::string& line) {
  if (options_.log) return options_.log(line);
  access_log_.flush(line);
}

bool Service::log_request(std::string_view line) {
  if (!options_.log) return access_log_.add(line);
  options_.log(std::string(line));
  return false;
}

Response Service::error(unsigned status, const std::string& message, const std::string& route) {
  Response rs;
  rs.decision_id = new_uuid();
  rs.status = status;
  rs.route = route;
  rs.body = error_body(message, rs.decision_id);
  return rs;
}

Response Service::handle(const Request& rq) {
  Response rs;
  rs.decision_id = new_uuid();
  const std::string path = rq.target.substr(0, rq.target.find('?'));
  const auto parts = split_path(path);
  auto fail = [&](unsigned status, const std::string& message, const std::string& route) {
    rs.status = status;
    rs.route = route;
    rs.content_type = "application/json";
    rs.body = error_body(message, rs.decision_id);
    return rs;
  };
  auto only = [&](const char* method, const std::string& route) -> bool {
    if (rq.method == method) return true;
    fail(405, "this endpoint takes " + std::string(method), route);
    rs.headers.emplace_back("Allow", method);
    return false;
  };
  auto authorized = [&](Authenticator::Scope scope, const std::string& route) -> bool {
    std::string why;
    if (auth_.check(rq.authorization, path, scope, why)) return true;
    metrics_.auth_failure();
    rs = Response{};
    rs.decision_id = new_uuid();
    rs.status = 401;
    rs.route = route;
    rs.content_type = "application/json";
    rs.body =
        "{\"errors\":[{\"line\":0,\"column\":0,\"path\":\"$\",\"message\":\"unauthorized\"}]}";
    rs.headers.emplace_back("WWW-Authenticate", "Bearer");
    return false;
  };
  auto json_body = [&](const std::string& route) -> bool {
    if (is_json(rq.content_type)) return true;
    fail(415, "send the body as application/json", route);
    return false;
  };
  if (rq.method == "OPTIONS") {  // CORS preflight (browser-based CDS clients)
    rs.status = 204;
    rs.route = "OPTIONS";
    rs.content_type.clear();
    rs.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    rs.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    rs.headers.emplace_back("Access-Control-Max-Age", "600");
    return rs;
  }
  if (path == "/healthz") {
    rs.route = "/healthz";
    if (!only("GET", rs.route)) return rs;
    const auto n = folder_->protocols()->size();
    rs.status = n > 0 ? 200 : 503;
    rs.body = "{\"status\":\"" + std::string(n > 0 ? "ok" : "no protocols loaded") +
              "\",\"protocols\":" + std::to_string(n) + ",\"decision_id\":\"" + rs.decision_id +
              "\"}";
    return rs;
  }
  if (path == "/metrics") {
    rs.route = "/metrics";
    if (!only("GET", rs.route)) return rs;
    rs.content_type = "text/plain; version=0.0.4; charset=utf-8";
    rs.body =
        metrics_.render({folder_->protocols()->size(), folder_->reloads(), folder_->load_errors()});
    return rs;
  }
  if (!parts.empty() && parts[0] == "v1" && parts.size() >= 2 && parts[1] == "protocols") {
    if (parts.size() == 2) {
      rs.route = "/v1/protocols";
      if (!only("GET", rs.route) || !authorized(Authenticator::Scope::json_api, rs.route))
        return rs;
      return protocol_list(std::move(rs));
    }
    if (parts.size() == 4 && parts[3] == "state-schema") {
      rs.route = "/v1/protocols/{id}/state-schema";
      if (!only("GET", rs.route) || !authorized(Authenticator::Scope::json_api, rs.route))
        return rs;
      return state_schema(parts[2], std::move(rs));
    }
    if (parts.size() == 4 &&
        (parts[3] == "evaluate" || parts[3] == "what-if" || parts[3] == "simulate")) {
      rs.route = "/v1/protocols/{id}/" + parts[3];
      if (!only("POST", rs.route) || !authorized(Authenticator::Scope::json_api, rs.route) ||
          !json_body(rs.route))
        return rs;
      const auto call = parts[3] == "evaluate"  ? ApiCall::evaluate
                        : parts[3] == "what-if" ? ApiCall::what_if
                                                : ApiCall::simulate;
      return json_api(rq, parts[2], call, std::move(rs));
    }
    return fail(404, "no such endpoint; see GET /v1/protocols", "not_found");
  }
  if (!parts.empty() && parts[0] == "cds-services") {
    if (parts.size() == 1) {
      rs.route = "/cds-services";
      if (!only("GET", rs.route)) return rs;
      return discovery(std::move(rs));
    }
    if (parts.size() == 2 || (parts.size() == 3 && parts[2] == "feedback")) {
      rs.route = parts.size() == 2 ? "/cds-services/{id}" : "/cds-services/{id}/feedback";
      if (!only("POST", rs.route) || !authorized(Authenticator::Scope::cds_hooks, rs.route) ||
          !json_body(rs.route))
        return rs;
      return parts.size() == 2 ? cds_call(rq, parts[1], std::move(rs))
                               : cds_feedback(rq, parts[1], std::move(rs));
    }
    return fail(404, "no such CDS service; see GET /cds-services", "not_found");
  }
  rs.route = "static";
  if (rq.method != "GET" && rq.method != "HEAD") {
    if (parts.empty()) {
      fail(405, "this endpoint takes GET", "static");
      rs.headers.emplace_back("Allow", "GET, HEAD");
      return rs;
    }
    return fail(404, "no such endpoint", "not_found");
  }
  return static_file(path, std::move(rs));
}

}  // namespace fascia::serve
