#include <fascia/fired_rules.hpp>
#include <fascia/protocol.hpp>

#include "common/guard.hpp"
#include "common/sha256.hpp"
#include "core/protocol_access.hpp"
#include "core/protocol_lint.hpp"
#include "core/protocol_model.hpp"
#include "core/session_planner.hpp"
#include "core/state_checks.hpp"
#include "core/state_json_reader.hpp"
#include "core/state_reader.hpp"
#include "json/json_document.hpp"
#include "yaml/document.hpp"

#include <exception>

namespace fascia {

Protocol::Protocol(std::shared_ptr<const detail::ProtocolModel> model) : model_(std::move(model)) {}
Protocol::~Protocol() = default;

const std::string& Protocol::id() const noexcept { return model_->id; }
const std::string& Protocol::version() const noexcept { return model_->version; }
const std::string& Protocol::title() const noexcept { return model_->title; }
const std::string& Protocol::sha256() const noexcept { return model_->sha256; }
const std::string& Protocol::source() const noexcept { return model_->file; }
const std::vector<std::string>& Protocol::conditions() const noexcept { return model_->conditions; }

std::vector<std::string> Protocol::stage_ids() const {
  std::vector<std::string> out;
  for (const auto& s : model_->stages) out.push_back(s.id);
  return out;
}
std::vector<std::string> Protocol::frequency_ids() const {
  std::vector<std::string> out;
  for (const auto& f : model_->ladder) out.push_back(f.id);
  return out;
}
const std::string& Protocol::start_frequency() const noexcept {
  static const std::string none;
  return model_->start_frequency < model_->ladder.size()
             ? model_->ladder[model_->start_frequency].id
             : none;
}

std::vector<std::string> Protocol::rule_ids() const {
  std::vector<std::string> out;
  for (const auto& r : model_->rules) out.push_back(r.id);
  return out;
}

std::vector<RuleInfo> Protocol::rules() const {
  std::vector<RuleInfo> out;
  for (const auto& r : model_->rules) out.push_back({r.id, detail::to_string(r.family), r.source});
  return out;
}

Outcome<ClientState> Protocol::parse_state(std::string_view text, const std::string& file_name,
                                           const std::vector<StateOverride>& overrides) const {
  return detail::guarded(
      "<engine>",
      [&] {
        // A JSON state is read by the JSON state reader; YAML, or any state
        // edited by --set, by the tree reader.
        if (overrides.empty()) {
          ClientState state;
          Diagnostics diagnostics;
          switch (detail::read_json_state(text, file_name, *model_, state, diagnostics)) {
            case detail::JsonStateStatus::read:
              if (has_errors(diagnostics))
                return Outcome<ClientState>::failure(std::move(diagnostics));
              return Outcome<ClientState>(std::move(state), std::move(diagnostics));
            case detail::JsonStateStatus::invalid:
              return Outcome<ClientState>::failure(std::move(diagnostics));
            case detail::JsonStateStatus::not_json:
              break;
          }
        }
        Diagnostics diagnostics;
        detail::yaml::Document document;
        // JSON objects take the fast strict JSON reader; anything else is YAML.
        if (!detail::json::parse_state_document(text, file_name, model_->limits, document,
                                                diagnostics))
          return Outcome<ClientState>::failure(std::move(diagnostics));
        ClientState state;
        if (!detail::read_client_state(document, *model_, overrides, state, diagnostics))
          return Outcome<ClientState>::failure(std::move(diagnostics));
        return Outcome<ClientState>(std::move(state), std::move(diagnostics));
      },
      [](Diagnostics problems) { return Outcome<ClientState>::failure(std::move(problems)); });
}

bool Protocol::parse_state_into(std::string_view text, const std::string& file_name,
                                ClientState& out, Diagnostics& diagnostics) const {
  diagnostics.clear();
  return detail::guarded(
      "<engine>",
      [&] {
        // A reused state costs the JSON reader few allocations (fascia
        // batch: ~7 a line without this).
        detail::reset_keeping_memory(out);
        switch (detail::read_json_state(text, file_name, *model_, out, diagnostics)) {
          case detail::JsonStateStatus::read:
            return !has_errors(diagnostics);
          case detail::JsonStateStatus::invalid:
            return false;
          case detail::JsonStateStatus::not_json:
            break;
        }
        auto parsed = parse_state(text, file_name);
        diagnostics = parsed.diagnostics();
        if (!parsed) return false;
        out = std::move(parsed.value());
        return true;
      },
      [&](Diagnostics problems) {
        diagnostics = std::move(problems);
        return false;
      });
}

Outcome<ClientState> Protocol::load_state(const std::string& path,
                                          const std::vector<StateOverride>& overrides) const {
  return detail::guarded(
      "<engine>",
      [&] {
        // The text goes where parse_state() sends it: a JSON file is read by the
        // JSON readers, exactly as the same text on stdin or a batch line.
        Diagnostics diagnostics;
        std::string text;
        if (!detail::yaml::read_text_file(path, model_->limits, text, diagnostics))
          return Outcome<ClientState>::failure(std::move(diagnostics));
        return parse_state(text, path, overrides);
      },
      [](Diagnostics problems) { return Outcome<ClientState>::failure(std::move(problems)); });
}

Diagnostics Protocol::check_state(const ClientState& state) const {
  return detail::guarded(
      "<engine>", [&] { return detail::check_client_state(*model_, state); },
      [](Diagnostics problems) { return problems; });
}

Outcome<Recommendation> Protocol::evaluate(const ClientState& state,
                                           const EvaluateOptions& options) const {
  return detail::guarded(
      "<engine>",
      [&] {
        auto problems = detail::check_client_state(*model_, state);
        if (has_errors(problems)) return Outcome<Recommendation>::failure(std::move(problems));
        return Outcome<Recommendation>(detail::evaluate_protocol(*model_, state, options));
      },
      [](Diagnostics problems) { return Outcome<Recommendation>::failure(std::move(problems)); });
}

bool Protocol::evaluate_into(const ClientState& state, Recommendation& out,
                             Diagnostics& diagnostics, const EvaluateOptions& options) const {
  return detail::run_on_checked_state(
      *model_, state, diagnostics, [&](const detail::StateLayout& layout) {
        detail::evaluate_protocol_into(*model_, state, options, out, &layout);
      });
}

bool Protocol::evaluate_json_into(const ClientState& state, std::string& out,
                                  Diagnostics& diagnostics, const EvaluateOptions& options) const {
  const std::size_t start = out.size();
  const bool ok = detail::run_on_checked_state(
      *model_, state, diagnostics, [&](const detail::StateLayout& layout) {
        detail::evaluate_protocol_json(*model_, state, options, out, &layout);
      });
  if (!ok) out.resize(start);  // nothing half-written stays
  return ok;
}

bool Protocol::parse_and_evaluate_json_into(std::string_view text, const std::string& file_name,
                                            ClientState& state, std::string& out,
                                            Diagnostics& diagnostics,
                                            const EvaluateOptions& options) const {
  diagnostics.clear();
  const std::size_t start = out.size();
  const bool ok = detail::guarded(
      "<engine>",
      [&] {
        detail::reset_keeping_memory(state);
        switch (detail::read_json_state(text, file_name, *model_, state, diagnostics)) {
          case detail::JsonStateStatus::read:
            if (has_errors(diagnostics)) return false;
            // Every value was checked as it was read: check_client_state()
            // again would refuse nothing (tests/core/state_json_reader_test.cpp,
            // ReaderRefusesEveryStateTheStateChecksRefuse); ~480 instructions
            // a line of fascia batch saved.
            detail::evaluate_protocol_json(*model_, state, options, out);
            return true;
          case detail::JsonStateStatus::invalid:
            return false;
          case detail::JsonStateStatus::not_json:
            break;
        }
        if (!parse_state_into(text, file_name, state, diagnostics)) return false;
        Diagnostics problems;
        if (evaluate_json_into(state, out, problems, options)) return true;
        diagnostics = std::move(problems);
        return false;
      },
      [&](Diagnostics problems) {
        diagnostics = std::move(problems);
        return false;
      });
  if (!ok) out.resize(start);  // nothing half-written stays
  return ok;
}

Outcome<std::string> Protocol::evaluate_json(std::string_view state, const EvaluateOptions& options,
                                             const std::string& file_name) const {
  return detail::guarded(
      "<engine>",
      [&] {
        ClientState parsed;
        Diagnostics diagnostics;
        std::string out;
        out.reserve(4096);  // a typical recommendation is 2.5-3 KB: no regrowth
        if (!parse_and_evaluate_json_into(state, file_name, parsed, out, diagnostics, options))
          return Outcome<std::string>::failure(std::move(diagnostics));
        return Outcome<std::string>(std::move(out), std::move(diagnostics));
      },
      [](Diagnostics problems) { return Outcome<std::string>::failure(std::move(problems)); });
}

Diagnostics Protocol::lint() const {
  return detail::guarded(
      "<engine>",
      [&] {
        // The document gives exact columns, but only if it is still the text
        // that was loaded.
        Diagnostics ignored;
        detail::yaml::Document document;
        const bool same =
            !model_->file.empty() &&
            detail::yaml::load_document(model_->file, model_->limits, document, ignored) &&
            detail::sha256_hex(document.text) == model_->sha256;
        return detail::lint_protocol(*model_, same ? &document : nullptr);
      },
      [](Diagnostics problems) { return problems; });
}

}  // namespace fascia

namespace fascia {

bool fired_rules(const Protocol& protocol, const ClientState& state, std::vector<std::string>& out,
                 Diagnostics& diagnostics) {
  const detail::ProtocolModel& model = detail::ProtocolAccess::model(protocol);
  return detail::run_on_checked_state(model, state, diagnostics,
                                      [&] { detail::fired_rules_of(model, state, out); });
}

}  // namespace fascia
