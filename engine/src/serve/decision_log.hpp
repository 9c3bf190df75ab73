#pragma once
// The decision log: one JSON line per decision and per CDS Hooks feedback,
// written and flushed before the response is sent. Holds ids, versions,
// hashes and the outcome, never the client's values in clear. reopen()
// (SIGHUP) starts writing to a fresh file after log rotation.

#include <fascia/recommendation.hpp>

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::serve {

class DecisionLog {
 public:
  // Empty path: a log that writes nothing. false (and `error` set) when the
  // file cannot be opened for appending.
  bool open(const std::string& path, std::string& error);
  ~DecisionLog();
  bool enabled() const { return !path_.empty(); }
  void reopen();

  // A decision: `input` is the request body (only its SHA-256 is kept).
  void decision(const std::string& decision_id, const std::string& route,
                const Recommendation& recommendation, std::string_view input,
                const std::vector<std::string>& red_flags);
  // A request that produced no recommendation (invalid input, missing data).
  void refusal(const std::string& decision_id, const std::string& route,
               const std::string& protocol_id, std::string_view input, const std::string& why);
  // One CDS Hooks feedback item: the card it is about and the outcome.
  void feedback(const std::string& decision_id, const std::string& service, const std::string& card,
                const std::string& outcome, const std::string& override_reason_code,
                std::string_view input);

 private:
  void write(const std::string& line);
  std::mutex mutex_;
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace fascia::serve
