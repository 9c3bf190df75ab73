#include "decision_log.hpp"

#include "util.hpp"

#include <nlohmann/json.hpp>

namespace fascia::serve {

using Json = nlohmann::ordered_json;

bool DecisionLog::open(const std::string& path, std::string& error) {
  std::lock_guard lock(mutex_);
  path_ = path;
  if (path.empty()) return true;
  file_ = std::fopen(path.c_str(), "ae");
  if (!file_) {
    error = "cannot open the decision log '" + path + "' for appending";
    return false;
  }
  return true;
}

DecisionLog::~DecisionLog() {
  if (file_) std::fclose(file_);
}

void DecisionLog::reopen() {
  std::lock_guard lock(mutex_);
  if (path_.empty()) return;
  if (std::FILE* f = std::fopen(path_.c_str(), "ae")) {
    if (file_) std::fclose(file_);
    file_ = f;
  }
}

void DecisionLog::write(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (!file_) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

void DecisionLog::decision(const std::string& decision_id, const std::string& route,
                           const Recommendation& r, std::string_view input,
                           const std::vector<std::string>& red_flags) {
  if (!enabled()) return;
  Json plugins = Json::array();
  for (const auto& p : r.provenance.plugins)
    plugins.push_back({{"name", p.name}, {"version", p.version}});
  Json techniques = Json::array();
  for (const auto& t : r.session.techniques) techniques.push_back(t.id);
  Json held = Json::array();
  for (const auto& h : r.held_techniques) held.push_back({{"id", h.id}, {"rule", h.rule}});
  Json rules = Json::array();
  for (const auto& a : r.adjustments) rules.push_back(a.rule);
  Json line{
      {"type", "decision"},
      {"decision_id", decision_id},
      {"time", utc_now()},
      {"route", route},
      {"engine", {{"name", r.provenance.engine_name}, {"version", r.provenance.engine_version}}},
      {"protocol",
       {{"id", r.provenance.protocol_id},
        {"version", r.provenance.protocol_version},
        {"sha256", r.provenance.protocol_sha256}}},
      {"plugins", plugins},
      {"input_sha256", sha256_hex(input)},
      {"outcome",
       {{"stage", r.session.stage},
        {"techniques", techniques},
        {"pressure_cap", r.session.pressure_cap},
        {"frequency", r.session.frequency},
        {"postpone_days", r.session.postpone_days},
        {"referral", r.session.referral ? Json(r.session.referral->to) : Json()},
        {"held_techniques", held},
        {"rules", rules}}},
      {"red_flags", red_flags}};
  write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void DecisionLog::refusal(const std::string& decision_id, const std::string& route,
                          const std::string& protocol_id, std::string_view input,
                          const std::string& why) {
  if (!enabled()) return;
  Json line{{"type", "refusal"}, {"decision_id", decision_id}, {"time", utc_now()},
            {"route", route},    {"protocol", protocol_id},    {"input_sha256", sha256_hex(input)},
            {"why", why}};
  write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void DecisionLog::feedback(const std::string& decision_id, const std::string& service,
                           const std::string& card, const std::string& outcome,
                           const std::string& override_reason_code, std::string_view input) {
  if (!enabled()) return;
  Json line{{"type", "feedback"},
            {"decision_id", decision_id},
            {"time", utc_now()},
            {"service", service},
            {"card", card},
            {"outcome", outcome},
            {"override_reason", override_reason_code.empty() ? Json() : Json(override_reason_code)},
            {"input_sha256", sha256_hex(input)}};
  write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace fascia::serve
