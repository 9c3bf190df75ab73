#pragma once
// A loaded, compiled protocol. Immutable once loaded: evaluate() may be called
// from any number of threads at once. Obtain one from Engine::load_protocol().

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>
#include <fascia/export.hpp>
#include <fascia/recommendation.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fascia {

struct EvaluateOptions {
  bool explain = false;  // fill Recommendation::trace with every rule considered
};

// A `--set PATH=VALUE` change applied to a client-state document before it
// is checked: PATH is dotted (`flare.active`, `last.soreness_24h`,
// `observations.NAME`), VALUE is YAML (`true`, `7`, `high`).
struct StateOverride {
  std::string path;
  std::string value;
};

// One rule of a protocol, as `fascia test` reports coverage.
struct RuleInfo {
  std::string id;
  std::string family;  // "pressure_caps", "flare_response", "rules", "stage advance", ...
  std::string source;  // "file:line"
};

// Protocol metadata (Protocol::stages(), frequencies(), observations(),
// techniques()): what an integrator needs to show titles or build an intake
// form. Copies: they stay valid after the Protocol is gone.
struct StageInfo {
  std::string id;
  std::string title;
  std::string source;  // "file:line" of the stage, as `source` in adjustments
  int pressure_max = 10;
  std::vector<std::string> techniques;  // technique ids planned in this stage, file order
};

struct FrequencyInfo {
  std::string id;  // "weekly"
  std::string title;
  int interval_days = 7;
};

// A clinic-defined value the protocol declares under `observations:`; a
// client state's `observations.NAME` must match it.
struct ObservationInfo {
  enum class Type { integer, number, boolean, enumeration, string };
  std::string name;
  Type type = Type::number;
  std::vector<std::string> values;         // enumeration: the allowed names
  std::optional<double> minimum, maximum;  // integer and number, when declared
  bool required = false;
  std::string description;
};

// "integer", "number", "boolean", "enum", "string".
FASCIA_API const char* to_string(ObservationInfo::Type type) noexcept;

// A technique the protocol configures, with its plugin's title.
struct ProtocolTechniqueInfo {
  std::string id;     // "myofascial_release"
  std::string title;  // the plugin's display name: "Myofascial release"
  std::string plugin, plugin_version;
  bool flare_safe = false;
  int max_pressure = 10;
};

namespace detail {
struct ProtocolModel;
struct ProtocolAccess;
}  // namespace detail

// Made by Engine::load_protocol() and Engine::parse_protocol().
class FASCIA_API Protocol {
 public:
  ~Protocol();

  const std::string& id() const noexcept;
  const std::string& version() const noexcept;
  const std::string& title() const noexcept;
  const std::string& sha256() const noexcept;  // of the file's bytes
  const std::string& source() const noexcept;  // file name as given
  const std::vector<std::string>& conditions() const noexcept;
  std::vector<std::string> stage_ids() const;
  std::vector<std::string> frequency_ids() const;
  // The frequency a client starts at (`frequency.start`).
  const std::string& start_frequency() const noexcept;
  const std::string& description() const noexcept;
  std::vector<StageInfo> stages() const;           // in order: the first is where a client starts
  std::vector<FrequencyInfo> frequencies() const;  // the ladder, most often first
  std::vector<ObservationInfo> observations() const;      // declaration order
  std::vector<ProtocolTechniqueInfo> techniques() const;  // configured, file order
  // The title of a stage or frequency id; the id itself when it has none or
  // is unknown (for human output).
  std::string stage_title(std::string_view id) const;
  std::string frequency_title(std::string_view id) const;
  std::vector<std::string> rule_ids() const;  // every rule, file order
  std::vector<RuleInfo> rules() const;        // the same, with family and source

  // Parses a client state (YAML or JSON) and checks it against this protocol.
  Outcome<ClientState> parse_state(std::string_view text, const std::string& file_name,
                                   const std::vector<StateOverride>& overrides = {}) const;
  // parse_state() into `out`, for loops over many states (fascia batch):
  // `out` (a default state, or one this gave before) is overwritten, its
  // strings and lists keeping their memory. Returns false with the problems
  // in `diagnostics` (cleared first; warnings stay there on success); `out`
  // is then unspecified.
  bool parse_state_into(std::string_view text, const std::string& file_name, ClientState& out,
                        Diagnostics& diagnostics) const;
  Outcome<ClientState> load_state(const std::string& path,
                                  const std::vector<StateOverride>& overrides = {}) const;
  // Validates a state built in code (ranges, stage/frequency ids, observations).
  Diagnostics check_state(const ClientState& state) const;

  // The recommended session. Fails only if the state does not pass
  // check_state(); problems inside rules or plugins become conservative
  // choices with reasons and warnings, never a crash.
  Outcome<Recommendation> evaluate(const ClientState& state,
                                   const EvaluateOptions& options = {}) const;
  // evaluate() into `out`, for loops over many states: overwrites what `out`
  // holds (a previous recommendation, or a default-constructed one) and
  // reuses its memory, so a reused recommendation costs few allocations.
  // The result is the same as evaluate()'s. Returns false when the state
  // does not pass check_state(), with the problems in `diagnostics` (which
  // is cleared first); `out` is then unspecified.
  bool evaluate_into(const ClientState& state, Recommendation& out, Diagnostics& diagnostics,
                     const EvaluateOptions& options = {}) const;

  // evaluate() + append_json() in one step, without a Recommendation: the
  // recommendation's JSON document (one line, no newline) is written
  // straight from the evaluation's decision record onto the end of `out`,
  // byte for byte what to_json(evaluate(state, options).value()) gives. For
  // loops that want the text (batch, servers): a reused `out` allocates
  // nothing once it is large enough. Returns false when the state does not
  // pass check_state(), with the problems in `diagnostics` (cleared first)
  // and `out` as it was.
  bool evaluate_json_into(const ClientState& state, std::string& out, Diagnostics& diagnostics,
                          const EvaluateOptions& options = {}) const;

  // parse_state_into() + evaluate_json_into() in one call, for loops over
  // many lines of text (fascia batch): `state` is the caller's reused
  // scratch (as parse_state_into()'s `out`), the JSON document is appended
  // to `out`. A state the JSON state reader read is not checked a second
  // time (the reader refuses every state check_state() refuses). Returns
  // false with the problems of reading or evaluating in `diagnostics`
  // (cleared first; the warnings of reading stay there on success) and
  // `out` as it was.
  bool parse_and_evaluate_json_into(std::string_view text, const std::string& file_name,
                                    ClientState& state, std::string& out, Diagnostics& diagnostics,
                                    const EvaluateOptions& options = {}) const;

  // parse_state() + evaluate() + to_json() in one call: a client state as
  // JSON (or YAML) text in, the recommendation's JSON document (one line) or
  // the diagnostics out. `file_name` is used in messages.
  Outcome<std::string> evaluate_json(std::string_view state, const EvaluateOptions& options = {},
                                     const std::string& file_name = "<state>") const;

  // Semantic warnings beyond what loading checks: rules of one family that
  // can fire together with contradicting actions at the same priority, rules
  // that never fire, stages and frequency steps that are never reached.
  // Decided over a deterministic sample of generated client states. Exact
  // columns need the source file unchanged since loading; otherwise the
  // rules' lines are given.
  Diagnostics lint() const;

 private:
  friend struct detail::ProtocolAccess;  // the engine's own code (core/protocol_access.hpp)
  explicit Protocol(std::shared_ptr<const detail::ProtocolModel> model);
  std::shared_ptr<const detail::ProtocolModel> model_;
};

}  // namespace fascia
