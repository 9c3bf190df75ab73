#include <fascia/protocol.hpp>

#include "common/sha256.hpp"
#include "core/session_planner.hpp"
#include "core/protocol_lint.hpp"
#include "core/protocol_model.hpp"
#include "core/state_parser.hpp"
#include "yaml/document.hpp"
#include "yaml/json_document.hpp"

#include <exception>

namespace fascia {

namespace {

Diagnostics internal_error(const std::exception* e) {
  return {{Severity::error, SourceLocation{"<engine>", 0, 0},
           std::string("internal error: ") + (e ? e->what() : "unknown exception") +
               "; please report this with the input that caused it"}};
}

}  // namespace

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
  try {
    if (overrides.empty()) {
      ClientState state;
      if (detail::read_json_state_fast(text, *model_, state))
        return Outcome<ClientState>(std::move(state), Diagnostics{});
    }
    Diagnostics diagnostics;
    detail::yaml::Document document;
    // JSON objects take the fast strict JSON reader; anything else is YAML.
    if (!detail::yaml::parse_state_document(text, file_name, model_->limits, document,
                                            diagnostics))
      return Outcome<ClientState>::failure(std::move(diagnostics));
    ClientState state;
    if (!detail::read_client_state(document, *model_, overrides, state, diagnostics))
      return Outcome<ClientState>::failure(std::move(diagnostics));
    return Outcome<ClientState>(std::move(state), std::move(diagnostics));
  } catch (const std::exception& e) {
    return Outcome<ClientState>::failure(internal_error(&e));
  } catch (...) {
    return Outcome<ClientState>::failure(internal_error(nullptr));
  }
}

Outcome<ClientState> Protocol::load_state(const std::string& path,
                                          const std::vector<StateOverride>& overrides) const {
  try {
    Diagnostics diagnostics;
    detail::yaml::Document document;
    if (!detail::yaml::load_document(path, model_->limits, document, diagnostics))
      return Outcome<ClientState>::failure(std::move(diagnostics));
    ClientState state;
    if (!detail::read_client_state(document, *model_, overrides, state, diagnostics))
      return Outcome<ClientState>::failure(std::move(diagnostics));
    return Outcome<ClientState>(std::move(state), std::move(diagnostics));
  } catch (const std::exception& e) {
    return Outcome<ClientState>::failure(internal_error(&e));
  } catch (...) {
    return Outcome<ClientState>::failure(internal_error(nullptr));
  }
}

Diagnostics Protocol::check_state(const ClientState& state) const {
  try {
    return detail::check_client_state(*model_, state);
  } catch (const std::exception& e) {
    return internal_error(&e);
  } catch (...) {
    return internal_error(nullptr);
  }
}

Outcome<Recommendation> Protocol::evaluate(const ClientState& state,
                                           const EvaluateOptions& options) const {
  try {
    auto problems = detail::check_client_state(*model_, state);
    if (has_errors(problems)) return Outcome<Recommendation>::failure(std::move(problems));
    return Outcome<Recommendation>(detail::evaluate_protocol(*model_, state, options));
  } catch (const std::exception& e) {
    return Outcome<Recommendation>::failure(internal_error(&e));
  } catch (...) {
    return Outcome<Recommendation>::failure(internal_error(nullptr));
  }
}

bool Protocol::evaluate_into(const ClientState& state, Recommendation& out,
                             Diagnostics& diagnostics, const EvaluateOptions& options) const {
  diagnostics.clear();
  try {
    auto problems = detail::check_client_state(*model_, state);
    if (has_errors(problems)) {
      diagnostics = std::move(problems);
      return false;
    }
    detail::evaluate_protocol_into(*model_, state, options, out);
    return true;
  } catch (const std::exception& e) {
    diagnostics = internal_error(&e);
  } catch (...) {
    diagnostics = internal_error(nullptr);
  }
  return false;
}

Outcome<std::string> Protocol::evaluate_json(std::string_view state,
                                             const EvaluateOptions& options,
                                             const std::string& file_name) const {
  try {
    auto parsed = parse_state(state, file_name);
    if (!parsed) return Outcome<std::string>::failure(parsed.diagnostics());
    Diagnostics warnings = parsed.diagnostics();
    auto result = evaluate(parsed.value(), options);
    if (!result) return Outcome<std::string>::failure(result.diagnostics());
    return Outcome<std::string>(to_json(result.value()), std::move(warnings));
  } catch (const std::exception& e) {
    return Outcome<std::string>::failure(internal_error(&e));
  } catch (...) {
    return Outcome<std::string>::failure(internal_error(nullptr));
  }
}

Diagnostics Protocol::lint() const {
  try {
    // The document gives exact columns, but only if it is still the text
    // that was loaded.
    Diagnostics ignored;
    detail::yaml::Document document;
    const bool same = !model_->file.empty() &&
                      detail::yaml::load_document(model_->file, model_->limits, document, ignored) &&
                      detail::sha256_hex(document.text) == model_->sha256;
    return detail::lint_protocol(*model_, same ? &document : nullptr);
  } catch (const std::exception& e) {
    return internal_error(&e);
  } catch (...) {
    return internal_error(nullptr);
  }
}

}  // namespace fascia
