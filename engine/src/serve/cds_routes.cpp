// CDS Hooks 2.0: discovery, service calls (prefetch -> FHIR mapping -> client
// state -> recommendation -> cards) and feedback.
#include "cards.hpp"
#include "fhir_fetch.hpp"
#include "service.hpp"
#include "util.hpp"

#include "json_path.hpp"

#include <nlohmann/json.hpp>

namespace fascia::serve {

using Json = nlohmann::ordered_json;

namespace {

constexpr const char* encounter_suffix = "-encounter-start";

std::string json_error(const std::string& message, const std::string& path,
                       const std::string& decision_id) {
  return error_body(message, decision_id, path);
}

}  // namespace

Response Service::discovery(Response rs) {
  Json services = Json::array();
  for (const auto& [id, served] : *folder_->protocols()) {
    auto p = served.store->current();
    services.push_back({{"hook", "patient-view"},
                        {"title", p->title()},
                        {"description", "Today's massage session plan and its red flags from " +
                                            p->title() + " " + p->version() + " (fascia)"},
                        {"id", id},
                        {"prefetch", prefetch_templates(fhir_map_, false)}});
    services.push_back({{"hook", "encounter-start"},
                        {"title", p->title() + " (encounter start)"},
                        {"description",
                         "The massage session plan for the encounter that starts, "
                         "from " +
                             p->title() + " " + p->version() + " (fascia)"},
                        {"id", id + encounter_suffix},
                        {"prefetch", prefetch_templates(fhir_map_, true)}});
  }
  rs.body = Json{{"services", services}}.dump();
  return rs;
}

// What the prefetch lacks, fetched from the request's fhirServer (CDS Hooks
// 2.0, "FHIR resource access"), within half the request deadline. A key
// that cannot be fetched stays missing, with the reason, for the one
// warning card.
void Service::fetch_missing_prefetch(const nlohmann::json& doc, bool encounter, MapContext& context,
                                     nlohmann::json& prefetch) {
  const auto server = doc.find("fhirServer");
  if (server == doc.end() || !server->is_string() || server->get_ref<const std::string&>().empty())
    return;
  std::string bearer;
  if (const auto a = doc.find("fhirAuthorization"); a != doc.end() && a->is_object())
    if (const auto t = a->find("access_token"); t != a->end() && t->is_string())
      bearer = t->get<std::string>();
  const auto deadline = std::chrono::steady_clock::now() + options_.request_deadline / 2;
  const auto templates = prefetch_templates(fhir_map_, encounter);
  for (const auto& [key, value] : templates.items()) {
    if (prefetch.contains(key)) continue;
    std::string query = value.get<std::string>();
    for (const auto& [token, filled] :
         {std::pair<std::string, std::string>{"{{context.patientId}}", context.patient_id},
          {"{{context.encounterId}}", context.encounter_id}})
      for (auto at = query.find(token); at != std::string::npos; at = query.find(token, at))
        query.replace(at, token.size(), filled), at += filled.size();
    auto fetched = fhir_get(server->get<std::string>(), query, bearer, deadline);
    metrics_.fhir_fetch(fetched.ok);
    if (fetched.ok)
      prefetch[key] = std::move(fetched.resource);
    else
      context.unfetched[key] = fetched.error;
  }
}

Response Service::cds_call(const Request& rq, const std::string& service, Response rs) {
  std::string id = service;
  bool encounter = false;
  const std::string suffix = encounter_suffix;
  if (id.size() > suffix.size() &&
      id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0) {
    id.resize(id.size() - suffix.size());
    encounter = true;
  }
  auto protocol = folder_->find(id);
  if (!protocol) {
    rs.status = 404;
    rs.body =
        json_error("no CDS service '" + service + "'; see GET /cds-services", "$", rs.decision_id);
    return rs;
  }
  nlohmann::json doc = nlohmann::json::parse(rq.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    rs.status = 400;
    rs.body =
        json_error("the body must be a CDS Hooks request (a JSON object)", "$", rs.decision_id);
    return rs;
  }
  const std::string hook = encounter ? "encounter-start" : "patient-view";
  Json errors = Json::array();
  auto bad = [&](const std::string& path, const std::string& message) {
    errors.push_back({{"line", 0}, {"column", 0}, {"path", path}, {"message", message}});
  };
  if (!doc.contains("hook") || !doc["hook"].is_string())
    bad("$.hook", "hook is required");
  else if (doc["hook"] != hook)
    bad("$.hook", "service '" + service + "' answers the " + hook + " hook");
  if (!doc.contains("hookInstance") || !doc["hookInstance"].is_string())
    bad("$.hookInstance", "hookInstance is required");
  if (!doc.contains("context") || !doc["context"].is_object())
    bad("$.context", "context is required");
  else {
    const auto& c = doc["context"];
    if (!c.contains("patientId") || !c["patientId"].is_string())
      bad("$.context.patientId", "context.patientId is required");
    if (encounter && (!c.contains("encounterId") || !c["encounterId"].is_string()))
      bad("$.context.encounterId", "context.encounterId is required for encounter-start");
  }
  if (doc.contains("prefetch") && !doc["prefetch"].is_object() && !doc["prefetch"].is_null())
    bad("$.prefetch", "prefetch must be an object");
  if (!errors.empty()) {
    rs.status = 400;
    rs.body = Json{{"errors", errors}, {"decision_id", rs.decision_id}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return rs;
  }
  MapContext context;
  context.patient_id = doc["context"]["patientId"].get<std::string>();
  if (encounter) context.encounter_id = doc["context"]["encounterId"].get<std::string>();
  context.today = utc_today();
  context.covered = protocol->conditions();
  if (!doc.contains("prefetch") || doc["prefetch"].is_null())
    doc["prefetch"] = nlohmann::json::object();
  nlohmann::json& prefetch = doc["prefetch"];
  fetch_missing_prefetch(doc, encounter, context, prefetch);
  MappedState mapped = map_prefetch(fhir_map_, prefetch, context);
  Json cards = Json::array();
  CardSet set;
  std::string recommendation_json;
  if (mapped.ok) {
    auto state = protocol->parse_state(mapped.state_json, "<mapped state>");
    if (!state) {
      // A value the FHIR resources gave that the protocol refuses: name the element.
      const documents::JsonPathFinder paths(mapped.state_json, "<mapped state>");
      for (const auto& d : state.diagnostics()) {
        if (d.severity != Severity::error) continue;
        std::string path = paths.path(d.location.line, d.location.column);
        std::string key = path.size() > 2 ? path.substr(2) : path;
        auto it = mapped.sources.find(key);
        mapped.errors.push_back((it != mapped.sources.end() ? it->second + " (" + key + ")" : key) +
                                ": " + d.message);
      }
      mapped.ok = false;
    } else {
      auto result = protocol->evaluate(state.value());
      if (!result) {
        for (const auto& d : result.diagnostics()) mapped.errors.push_back(d.message);
        mapped.ok = false;
      } else {
        metrics_.evaluation();
        recommendation_json = to_json(result.value());
        set = recommendation_cards(*protocol, result.value(), rs.decision_id, fhir_map_.version,
                                   technique_names_);
        cards = std::move(set.cards);
        decision_log_.decision(rs.decision_id, rs.route, result.value(), rq.body, set.red_flags);
      }
    }
  }
  if (!mapped.ok) {
    cards.push_back(missing_data_card(*protocol, mapped.missing, mapped.errors, rs.decision_id,
                                      fhir_map_.version));
    decision_log_.refusal(rs.decision_id, rs.route, id, rq.body,
                          std::to_string(mapped.missing.size()) + " missing, " +
                              std::to_string(mapped.errors.size()) + " unreadable");
  }
  rs.body = Json{{"cards", cards}, {"extension", {{"fascia.decision_id", rs.decision_id}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  splice_recommendation(rs.body, set, recommendation_json);
  return rs;
}

Response Service::cds_feedback(const Request& rq, const std::string& service, Response rs) {
  std::string id = service;
  const std::string suffix = encounter_suffix;
  if (id.size() > suffix.size() &&
      id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0)
    id.resize(id.size() - suffix.size());
  if (!folder_->find(id)) {
    rs.status = 404;
    rs.body = json_error("no CDS service '" + service + "'", "$", rs.decision_id);
    return rs;
  }
  nlohmann::json doc = nlohmann::json::parse(rq.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("feedback") ||
      !doc["feedback"].is_array()) {
    rs.status = 400;
    rs.body = json_error("the body must be {\"feedback\": [{\"card\", \"outcome\", ...}]}",
                         "$.feedback", rs.decision_id);
    return rs;
  }
  Json errors = Json::array();
  for (std::size_t i = 0; i < doc["feedback"].size(); ++i) {
    const auto& f = doc["feedback"][i];
    const std::string at = "$.feedback[" + std::to_string(i) + "]";
    if (!f.is_object() || !f.contains("card") || !f["card"].is_string())
      errors.push_back({{"line", 0},
                        {"column", 0},
                        {"path", at + ".card"},
                        {"message", "card (the card's uuid) is required"}});
    else if (!f.contains("outcome") || (f["outcome"] != "accepted" && f["outcome"] != "overridden"))
      errors.push_back({{"line", 0},
                        {"column", 0},
                        {"path", at + ".outcome"},
                        {"message", "outcome must be accepted or overridden"}});
  }
  if (!errors.empty()) {
    rs.status = 400;
    rs.body = Json{{"errors", errors}, {"decision_id", rs.decision_id}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return rs;
  }
  for (const auto& f : doc["feedback"]) {
    std::string reason;
    if (f.contains("overrideReason") && f["overrideReason"].is_object()) {
      const auto& r = f["overrideReason"];
      if (r.contains("reason") && r["reason"].is_object()) reason = r["reason"].value("code", "");
    }
    // userComment is free text (it may hold health data): never logged.
    decision_log_.feedback(rs.decision_id, service, f["card"].get<std::string>(),
                           f["outcome"].get<std::string>(), reason, rq.body);
  }
  rs.body = "{}";
  return rs;
}

}  // namespace fascia::serve
