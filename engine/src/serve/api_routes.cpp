// The JSON API (CONTRACT.md "serve"): evaluate, what-if and simulate return
// exactly the documents of `fascia evaluate --json`, `fascia what-if --json`
// and `fascia simulate --json`; invalid input is a 400 with located errors.
#include "service.hpp"

#include "scenario.hpp"
#include "simulation.hpp"
#include "simulation_json.hpp"
#include "state_schema.hpp"
#include "util.hpp"
#include "what_if_diff.hpp"

#include <nlohmann/json.hpp>

namespace fascia::serve {

using Json = nlohmann::ordered_json;

namespace {

// Parses a JSON body; on failure fills a 400 with the parser's position.
bool parse_body(const std::string& body, nlohmann::json& out, Response& rs) {
  try {
    out = nlohmann::json::parse(body);
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_column(body, e.byte > 0 ? e.byte - 1 : 0);
    std::string message = e.what();
    if (auto p = message.find("] "); p != std::string::npos) message = message.substr(p + 2);
    Diagnostics d{{Severity::error, {"<body>", line, column}, "invalid JSON: " + message}};
    rs.status = 400;
    rs.body = errors_body(d, body, rs.decision_id);
    return false;
  }
}

// The text of top-level member `key` of the body, with its offset.
bool member_text(const std::string& body, const char* key, std::string_view& text,
                 std::size_t& offset) {
  const auto [first, last] = member_span(body, key);
  if (first == std::string_view::npos) return false;
  text = std::string_view(body).substr(first, last - first);
  offset = first;
  return true;
}

}  // namespace

Response Service::protocol_list(Response rs) {
  Json list = Json::array();
  for (const auto& [id, served] : *folder_->protocols()) {
    auto p = served.store->current();
    list.push_back({{"id", p->id()},
                    {"version", p->version()},
                    {"sha256", p->sha256()},
                    {"title", p->title()},
                    {"conditions", p->conditions()}});
  }
  rs.body = Json{{"protocols", list}, {"decision_id", rs.decision_id}}.dump();
  return rs;
}

// The client-state JSON Schema specialised to the protocol (as `fascia
// schema --protocol`), plus "x-fascia-titles" (the display names of the
// techniques and home-programme items) and "x-fascia-rule-families" (rule id
// -> family, e.g. "flare_response"), for forms and the what-if page.
Response Service::state_schema(const std::string& id, Response rs) {
  auto protocol = folder_->find(id);
  if (!protocol) {
    rs.status = 404;
    rs.body = error_body("no protocol '" + id + "'; see GET /v1/protocols", rs.decision_id);
    return rs;
  }
  Json schema = documents::specialised_state_schema(*protocol);
  Json techniques = Json::object();
  for (const auto& [technique, name] : technique_names_) techniques[technique] = name;
  Json home = Json::object();
  for (const auto& [item, title] : home_item_titles_) home[item] = title;
  schema["x-fascia-titles"] = {{"techniques", techniques}, {"home_program", home}};
  Json families = Json::object();
  for (const auto& rule : protocol->rules()) families[rule.id] = rule.family;
  schema["x-fascia-rule-families"] = std::move(families);
  rs.content_type = "application/schema+json";
  rs.body = schema.dump();
  return rs;
}

// One path for evaluate, what-if and simulate: find the protocol, read the
// body (a client state, or a document holding one under "state"), parse the
// state with the protocol (errors located in the whole body), then compute.
Response Service::json_api(const Request& rq, const std::string& id, ApiCall call, Response rs) {
  auto fail = [&](Diagnostics d, std::size_t offset) {
    shift_locations(d, rq.body, offset);
    if (d.empty()) d.push_back({Severity::error, {"<body>", 0, 0}, "invalid request"});
    rs.status = 400;
    rs.body = errors_body(d, rq.body, rs.decision_id);
    if (call == ApiCall::evaluate)
      decision_log_.refusal(rs.decision_id, rs.route, id, rq.body, "invalid client state");
    return std::move(rs);
  };
  auto protocol = folder_->find(id);
  if (!protocol) {
    rs.status = 404;
    rs.body = error_body("no protocol '" + id + "'; see GET /v1/protocols", rs.decision_id);
    return rs;
  }
  // The state's text: the whole body, or the "state" member of a document.
  std::string_view state_text = rq.body;
  std::size_t offset = 0;
  nlohmann::json doc;
  if (call != ApiCall::evaluate) {
    if (!parse_body(rq.body, doc, rs)) return rs;
    if (!doc.is_object() || !doc.contains("state") || !doc["state"].is_object() ||
        !member_text(rq.body, "state", state_text, offset)) {
      rs.status = 400;
      rs.body = error_body(call == ApiCall::what_if
                               ? "the body must be {\"state\": {...}, \"set\": {\"PATH\": VALUE}}"
                               : "the body must be {\"state\": {...}, \"weeks\": N, "
                                 "\"scenario\": {...}}",
                           rs.decision_id, "$.state");
      return rs;
    }
  }
  // What-if's changes and simulate's weeks and scenario, checked before any
  // evaluation.
  std::vector<StateOverride> sets;
  int weeks = 0;
  documents::Scenario scenario;
  if (call == ApiCall::what_if && doc.contains("set")) {
    if (!doc["set"].is_object()) {
      rs.status = 400;
      rs.body = error_body("set must be an object {\"PATH\": VALUE}", rs.decision_id, "$.set");
      return rs;
    }
    for (const auto& [path, value] : doc["set"].items()) sets.push_back({path, value.dump()});
  }
  if (call == ApiCall::simulate) {
    if (!doc.contains("weeks") || !doc["weeks"].is_number_integer() ||
        doc["weeks"].get<int>() < 1 || doc["weeks"].get<int>() > 104) {
      rs.status = 400;
      rs.body = error_body("weeks must be a whole number from 1 to 104", rs.decision_id, "$.weeks");
      return rs;
    }
    weeks = doc["weeks"].get<int>();
    if (doc.contains("scenario") && !doc["scenario"].is_null()) {
      Diagnostics d;
      std::string_view scenario_text;
      std::size_t scenario_offset = 0;
      if (!doc["scenario"].is_object() ||
          !member_text(rq.body, "scenario", scenario_text, scenario_offset) ||
          !documents::parse_scenario(scenario_text, "<body>", scenario, d)) {
        if (d.empty())
          d.push_back({Severity::error, {"<body>", 0, 0}, "scenario must be an object"});
        return fail(std::move(d), scenario_offset);
      }
    }
  }
  auto state = protocol->parse_state(state_text, "<body>");
  if (!state) return fail(state.diagnostics(), offset);

  if (call == ApiCall::simulate) {
    auto sim = documents::simulate(*protocol, state.value(), scenario, weeks);
    if (!sim) return fail(sim.diagnostics(), 0);
    rs.body = documents::simulation_json(sim.value()).dump();
    return rs;
  }
  if (call == ApiCall::evaluate) {
    rs.body.reserve(4096);
    Diagnostics problems;
    if (!decision_log_.enabled()) {
      // The document written from the decision record into the body: no
      // Recommendation built (the same bytes as append_json of one).
      if (!protocol->evaluate_json_into(state.value(), rs.body, problems))
        return fail(std::move(problems), 0);
      metrics_.evaluation();
      return rs;
    }
    // The decision log reads the Recommendation: one per thread, reused.
    thread_local Recommendation recommendation;
    if (!protocol->evaluate_into(state.value(), recommendation, problems))
      return fail(std::move(problems), 0);
    metrics_.evaluation();
    append_json(recommendation, rs.body);
    decision_log_.decision(rs.decision_id, rs.route, recommendation, rq.body, {});
    return rs;
  }
  auto result = protocol->evaluate(state.value());
  if (!result) return fail(result.diagnostics(), 0);
  metrics_.evaluation();
  // what-if: the same state with the changes set, against the baseline.
  auto changed_state = protocol->parse_state(state_text, "<body>", sets);
  if (!changed_state) {
    Json errors = Json::array();
    for (const auto& d : changed_state.diagnostics())
      if (d.severity == Severity::error)
        errors.push_back({{"line", 0}, {"column", 0}, {"path", "$.set"}, {"message", d.message}});
    rs.status = 400;
    rs.body = Json{{"errors", errors}, {"decision_id", rs.decision_id}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return rs;
  }
  auto what_if = protocol->evaluate(changed_state.value());
  if (!what_if) return fail(what_if.diagnostics(), 0);
  metrics_.evaluation();
  const auto changes =
      documents::diff_recommendations(result.value(), what_if.value(), home_item_owners_);
  rs.body = documents::what_if_json(result.value(), what_if.value(), changes);
  decision_log_.decision(rs.decision_id, rs.route, what_if.value(), rq.body, {});
  return rs;
}

}  // namespace fascia::serve
