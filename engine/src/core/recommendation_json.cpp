// The contract's JSON form of a Recommendation (contract_json.hpp writes it)
// and the names of the contract's enumerations.
#include <fascia/recommendation.hpp>

#include "core/contract_json.hpp"

namespace fascia {

namespace {

// A Recommendation as contract_json.hpp's Source.
struct RecommendationSource {
  const Recommendation& r;
  void head(detail::JsonWriter& w) const { detail::write_head(w, r.format, r.provenance); }
  const std::string& client_id() const { return r.client_id; }
  const std::string& as_of() const { return r.as_of; }
  const std::string& stage() const { return r.session.stage; }
  template <class F>
  void techniques(F f) const {
    for (const auto& t : r.session.techniques)
      f(detail::TechniqueHead{t.id, t.plugin, t.plugin_version}, t.parameters);
  }
  int pressure_cap() const { return r.session.pressure_cap; }
  int duration_minutes() const { return r.session.duration_minutes; }
  const std::string& frequency() const { return r.session.frequency; }
  int next_session_in_days() const { return r.session.next_session_in_days; }
  int postpone_days() const { return r.session.postpone_days; }
  template <class F>
  void home_program(F f) const {
    for (const auto& item : r.session.home_program)
      f(item.id, [&](auto g) {
        for (const auto& p : item.parameters) g(p.name, p.value);
      });
  }
  template <class F>
  bool referral(F f) const {
    if (r.session.referral)
      f(r.session.referral->to, r.session.referral->rule, r.session.referral->reason);
    return r.session.referral.has_value();
  }
  template <class F>
  void held(F f) const {
    for (const auto& h : r.held_techniques) f(h.id, h.rule, h.reason);
  }
  void write(detail::JsonWriter& w, const std::string& reason) const { w.string(reason); }
  void adjustments_json(detail::JsonWriter& w) const {
    for (std::size_t i = 0; i < r.adjustments.size(); ++i) {
      const Adjustment& a = r.adjustments[i];
      w.comma_if(i != 0);
      w.lit("{\"kind\":");
      w.string(to_string(a.kind));
      w.lit(",\"value\":");
      detail::write_param_value(w, a.value);
      w.lit(",\"rule\":");
      w.string(a.rule);
      w.lit(",\"reason\":");
      w.string(a.reason);
      w.lit(",\"source\":");
      w.string(a.source);
      w.lit("}");
    }
  }
  template <class F>
  void warnings(F f) const {
    for (const auto& w : r.warnings) f(w);
  }
  template <class F>
  void fired(F f) const {
    for (const auto& id : r.fired) f(detail::JsonString{id});
  }
  bool has_trace() const { return !r.trace.empty(); }
  // An entry without its rule's texts (one built by hand) shows empty ones.
  struct Entry {
    const TraceRule* rule;
    TraceEntry::Outcome outcome;
    std::string_view detail;
    const std::vector<std::string>& texts;  // the values
    template <class G>
    void values(G g) const {
      for (std::size_t i = 0; i < texts.size() && i < rule->fields.size(); ++i)
        g(rule->fields[i], texts[i]);
    }
  };
  template <class F>
  void trace(F f) const {
    static const TraceRule none;
    for (const auto& t : r.trace)
      f(Entry{t.rule ? t.rule.get() : &none, t.outcome, t.detail, t.values});
  }
};

}  // namespace

const char* to_string(AdjustmentKind kind) noexcept {
  switch (kind) {
    case AdjustmentKind::pressure_cap:
      return "pressure_cap";
    case AdjustmentKind::technique_added:
      return "technique_added";
    case AdjustmentKind::technique_held:
      return "technique_held";
    case AdjustmentKind::stage_advanced:
      return "stage_advanced";
    case AdjustmentKind::stage_held:
      return "stage_held";
    case AdjustmentKind::stage_regressed:
      return "stage_regressed";
    case AdjustmentKind::frequency_changed:
      return "frequency_changed";
    case AdjustmentKind::duration_changed:
      return "duration_changed";
    case AdjustmentKind::postponed:
      return "postponed";
    case AdjustmentKind::referral:
      return "referral";
    case AdjustmentKind::home_program:
      return "home_program";
    case AdjustmentKind::check_in:
      return "check_in";
    case AdjustmentKind::note:
      return "note";
    case AdjustmentKind::frequency_held:
      return "frequency_held";
  }
  return "note";
}

const char* to_string(TraceEntry::Outcome outcome) noexcept {
  switch (outcome) {
    case TraceEntry::Outcome::fired:
      return "fired";
    case TraceEntry::Outcome::not_fired:
      return "not_fired";
    case TraceEntry::Outcome::unknown:
      return "unknown";
    case TraceEntry::Outcome::error:
      return "error";
    case TraceEntry::Outcome::suppressed:
      return "suppressed";
  }
  return "unknown";
}

std::string to_json(const Recommendation& r, bool pretty) {
  std::string out;
  out.reserve(4096);  // a typical recommendation is 2.5-3 KB: no regrowth
  append_json(r, out, pretty);
  return out;
}

void append_json(const Recommendation& r, std::string& out, bool pretty) {
  RecommendationSource source{r};
  std::string compact;  // pretty: the one line, indented into `out`
  detail::JsonWriter w(pretty ? compact : out);
  detail::write_recommendation(w, source);
  if (pretty) detail::append_pretty(compact, out);
}

}  // namespace fascia
