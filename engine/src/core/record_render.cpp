// Rendering a decision record (record_render.hpp): the texts first, each
// written by one function for both forms; then the Recommendation, and the
// record as contract_json.hpp's Source.
#include "core/record_render.hpp"

#include "core/contract_json.hpp"
#include "core/keep_or_assign.hpp"
#include "core/record_json_texts.hpp"

#include <fascia/version.hpp>

#include <charconv>

namespace fascia::detail {

namespace {

// ---- texts --------------------------------------------------------------------

void append_int(std::string& out, std::int64_t n) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

// Date::to_string() ("%04d-%02d-%02d") without snprintf.
void write_as_of(const Date& d, std::string& out) {
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99) {
    out = d.to_string();
    return;
  }
  out.resize(10);
  auto digits = [&](std::size_t at, int value, std::size_t width) {
    for (std::size_t i = width; i-- > 0; value /= 10)
      out[at + i] = static_cast<char>('0' + value % 10);
  };
  digits(0, d.year, 4);
  out[4] = '-';
  digits(5, d.month, 2);
  out[7] = '-';
  digits(8, d.day, 2);
}

// The adjustment's rule id, written over `out`.
void write_rule_id(const AdjustmentRecord& a, std::string& out) {
  if (!a.suffixed) return keep_or_assign(out, a.rule);
  out.assign(a.rule).append(1, '.').append(a.rule_suffix);
}

// An adjustment's reason, appended to `out`.
void append_reason(const RecordView& v, const AdjustmentRecord& a, std::string& out) {
  switch (a.reason) {
    case AdjustmentRecord::Reason::none:
      return;
    case AdjustmentRecord::Reason::rule:
      return a.by->reason.render_into(v.state, a.values, out);
    case AdjustmentRecord::Reason::text:
      out.append(a.reason_text);
      return;
    case AdjustmentRecord::Reason::tolerance:
      out.append("The client tolerates pressure up to ");
      append_int(out, a.number);
      out.append(" (client-rated)");
      return;
    case AdjustmentRecord::Reason::same_as:
      return append_reason(v, v.record.adjustments[a.same_as], out);
    case AdjustmentRecord::Reason::plugin:
      out.append(a.plugin->reason);
      return;
  }
}

void append_held_reason(const RecordView& v, const HoldRecord& h, std::string& out) {
  if (h.by_rule)
    h.by_rule->reason.render_into(v.state, h.values, out);
  else
    out.append(h.reason);
}

// The trace entry's outcome, and its detail (written over `detail`).
TraceEntry::Outcome trace_outcome(const RecordView& v, std::size_t index, std::string& detail) {
  const DecisionRecord& record = v.record;
  auto outcome = DecisionRecord::test(record.fired, index) ? TraceEntry::Outcome::fired
                                                           : TraceEntry::Outcome::not_fired;
  detail.clear();
  for (auto n = record.notes.rbegin(); n != record.notes.rend(); ++n) {
    if (n->rule != index) continue;
    outcome = n->outcome;
    switch (n->why) {
      case RuleNote::Why::suppressed:
        detail = "suppressed by healing response";
        break;
      case RuleNote::Why::condition_failed:
        detail = v.model.rules[index].restricts()
                     ? "condition failed; restricting rule applied conservatively"
                     : "condition failed; permitting rule not applied";
        break;
      case RuleNote::Why::value_absent:
        detail = "a value the condition needs is absent";
        break;
      case RuleNote::Why::healing_in_flare:
        detail =
            "not applied: the client reports an active flare, so the flare response applies "
            "instead of a healing response";
        break;
      case RuleNote::Why::healing_beside_flare:
        detail = "not applied: flare-response rule '";
        detail.append(n->other).append(
            "' applies today, so this is not treated as a healing response");
        break;
    }
    break;
  }
  for (const auto& h : record.held_rules) {
    if (h.rule != index) continue;
    outcome = TraceEntry::Outcome::fired;
    if (h.by_red_flag)
      detail.assign("fired, but held: ")
          .append(record.red_flag_what)
          .append(" (")
          .append(record.red_flag_rule)
          .append(")");
    else
      detail.assign("fired, but held by '").append(h.by).append("'");
  }
  return outcome;
}

// The text of the value a condition read, as append_value() writes it:
// booleans, single digits and the state's own strings without writing them
// anywhere (most values a trace shows), the rest written into `scratch`.
std::string_view trace_value(const RecordView& v, const FieldInfo& f, std::string& scratch) {
  if (f.type == Type::series) {
    scratch.clear();
    append_int(scratch, static_cast<std::int64_t>(v.state.history.size()));
    scratch.append(" history entries");
    return scratch;
  }
  const Value value = f.getter(v.state, f.arg);
  switch (value.kind) {
    case Value::Kind::boolean:
      return value.boolean ? "true" : "false";
    case Value::Kind::string:
      return value.string;
    case Value::Kind::number:
      if (value.number >= 0 && value.number < 10) {
        const int digit = static_cast<int>(value.number);
        if (digit == value.number) return {&"0123456789"[digit], 1};
      }
      break;
    default:
      break;
  }
  scratch.clear();
  append_value(scratch, value);
  return scratch;
}

// f(rule index) for every rule evaluated, in the order SessionPlan::run()
// evaluates them.
template <class F>
void for_each_traced(const RecordView& v, F f) {
  const Stage& stage = v.model.stages[v.record.current_stage];
  const std::vector<std::size_t>* const steps[] = {
      &v.model.healing, &stage.regress,   &stage.hold,    &v.model.step_up,  &v.model.caps,
      &v.model.flare,   &v.model.general, &stage.advance, &v.model.step_down};
  for (const auto* rules : steps)
    for (std::size_t index : *rules)
      if (DecisionRecord::test(v.record.evaluated, index)) f(index);
}

// Assigns over the strings and lists an old entry holds; the rule's texts
// are the protocol's, shared (a reused entry of the same rule keeps them).
void render_trace_entry(const RecordView& v, std::size_t index, TraceEntry& e,
                        std::string& scratch) {
  const auto& texts = v.model.trace_rules[index];
  if (e.rule != texts) e.rule = texts;
  e.outcome = trace_outcome(v, index, e.detail);
  const auto& fields = v.model.rules[index].when.fields_used();
  e.values.resize(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i)
    keep_or_assign(e.values[i], trace_value(v, *fields[i], scratch));
}

void render_trace(const RecordView& v, std::vector<TraceEntry>& out) {
  std::string scratch;  // short values: in place, never allocated
  std::size_t next = 0;
  for_each_traced(v, [&](std::size_t index) {
    if (next == out.size()) out.emplace_back();
    render_trace_entry(v, index, out[next++], scratch);
  });
  out.resize(next);
}

// ---- the record as contract_json.hpp's Source ----------------------------------

class RecordSource {
 public:
  struct Scratch {  // texts are written into its strings, which keep their memory
    std::string text, rule, kept, detail;
    Params params;           // a clamped copy of a plugin's parameters
    RecordJsonTexts quoted;  // the protocol's texts, quoted once
  };
  RecordSource(const RecordView& v, Scratch& scratch, bool pretty)
      : v_(v), r_(v.record), m_(v.model), scratch_(scratch), pretty_(pretty) {
    if (!scratch_.quoted.use(m_)) return;
    scratch_.quoted.head.clear();
    JsonWriter first(scratch_.quoted.head);
    first.begin_object();
    write_head(first, *this);
    first.finish();
    scratch_.quoted.head.erase(0, 1);  // the '{'
  }

  void head(JsonWriter& w) {
    if (pretty_) return write_head(w, *this);
    w.raw_members(scratch_.quoted.head);
  }

  int format() const { return recommendation_format; }
  std::string_view engine_name() const { return fascia::engine_name; }
  std::string_view engine_version() const { return fascia::engine_version; }
  const std::string& protocol_id() const { return m_.id; }
  const std::string& protocol_version() const { return m_.version; }
  const std::string& protocol_sha256() const { return m_.sha256; }
  template <class F>
  void plugins(F f) const {
    for (const auto& p : m_.plugins) f(p.name, p.plugin->description.version);
  }
  const std::string& client_id() const { return v_.state.client_id; }
  const std::string& as_of() {
    write_as_of(v_.state.as_of, scratch_.text);
    return scratch_.text;
  }
  const std::string& stage() const { return m_.stages[r_.stage].id; }
  // The parameters as render_recommendation gives them: the plugin memo's
  // result is read, never changed; a clamped pressure_max is written into a
  // copy (apply_clamp, as SessionPlan::finish_cap decided it).
  template <class F>
  void techniques(F f) const {
    for (const auto& t : r_.techniques) {
      const Params* parameters = &t.result->result.parameters;
      if (t.clamp.set_parameter) {
        scratch_.params = *parameters;
        apply_clamp(t.clamp, scratch_.params);
        parameters = &scratch_.params;
      }
      if (pretty_)
        f(TechniqueHead{t.entry->info.id, t.entry->plugin->description.name,
                        t.entry->plugin->description.version},
          *parameters);
      else
        f(JsonMembers{scratch_.quoted.technique(*t.entry)}, *parameters);
    }
  }
  int pressure_cap() const { return r_.pressure_cap; }
  int duration_minutes() const { return r_.duration_minutes; }
  const std::string& frequency() const { return m_.ladder[r_.frequency].id; }
  int next_session_in_days() const { return m_.ladder[r_.frequency].interval_days; }
  int postpone_days() const { return r_.postpone_days; }
  const std::vector<HomeProgramItem>& home_program() const { return v_.home_program; }
  template <class F>
  bool referral(F f) {
    if (!r_.referral) return false;
    scratch_.text.clear();
    append_reason(v_, r_.adjustments[r_.referral_reason], scratch_.text);
    f(r_.referral->refer, r_.referral->id, scratch_.text);
    return true;
  }
  template <class F>
  void held(F f) {
    for (const auto& h : r_.held) {
      scratch_.text.clear();
      append_held_reason(v_, h, scratch_.text);
      f(h.technique, h.rule, scratch_.text);
    }
  }
  template <class F>
  void adjustments(F f) {
    // A rule's later adjustments repeat its first one's reason: kept, not
    // rendered again. A rule's own texts are the quoted ones.
    std::size_t kept = static_cast<std::size_t>(-1);
    for (std::size_t i = 0; i < r_.adjustments.size(); ++i) {
      const AdjustmentRecord& a = r_.adjustments[i];
      const AdjustmentRecord& first =
          a.reason == AdjustmentRecord::Reason::same_as ? r_.adjustments[a.same_as] : a;
      const Rule* by = first.reason == AdjustmentRecord::Reason::rule ? first.by : nullptr;
      const auto* q =
          by ? &scratch_.quoted.rule(static_cast<std::size_t>(by - m_.rules.data())) : nullptr;
      // One of the rule's own texts (the same string): its quoted form.
      using Texts = RecordJsonTexts::RuleTexts;
      const auto own = [&](std::string_view text, std::string Rule::*field,
                           std::string Texts::*json) {
        if (!q || text.data() != (by->*field).data() || text.size() != (by->*field).size())
          return JsonString{text};
        return JsonString{q->*json, true};
      };
      JsonString rule = own(a.rule, &Rule::id, &Texts::id);
      if (a.suffixed || !rule.quoted) {
        write_rule_id(a, scratch_.rule);
        rule = {scratch_.rule};
      }
      const std::string* text = &scratch_.kept;
      if (q && !q->reason.empty()) {
        text = &q->reason;
      } else if (a.reason == AdjustmentRecord::Reason::rule) {
        scratch_.kept.clear();
        append_reason(v_, a, scratch_.kept);
        kept = i;
      } else if (a.reason != AdjustmentRecord::Reason::same_as || a.same_as != kept) {
        scratch_.text.clear();
        append_reason(v_, a, scratch_.text);
        text = &scratch_.text;
      }
      const JsonString reason{*text, q && text == &q->reason};
      const JsonString source = own(a.source, &Rule::source, &Texts::source);
      switch (a.value) {
        case AdjustmentRecord::Value::none:
          f(a.kind, std::monostate{}, rule, reason, source);
          break;
        case AdjustmentRecord::Value::number:
          f(a.kind, a.number, rule, reason, source);
          break;
        case AdjustmentRecord::Value::text: {
          JsonString value = own(a.text, &Rule::check_in, &Texts::check_in);
          if (!value.quoted) value = own(a.text, &Rule::note, &Texts::note);
          f(a.kind, value, rule, reason, source);
          break;
        }
        case AdjustmentRecord::Value::plugin:
          f(a.kind, a.plugin->value, rule, reason, source);
          break;
      }
    }
  }
  template <class F>
  void warnings(F f) const {
    for (const auto& w : r_.warnings) f(w);
  }
  template <class F>
  void fired(F f) const {
    for (std::size_t word = 0; word < r_.fired.size(); ++word)
      for (std::uint64_t w = r_.fired[word]; w != 0; w &= w - 1)
        f(JsonString{
            scratch_.quoted.rule(word * 64 + static_cast<std::size_t>(std::countr_zero(w))).id,
            true});
  }
  bool has_trace() const {
    if (!v_.explain) return false;
    for (std::uint64_t w : r_.evaluated)
      if (w != 0) return true;
    return false;
  }

  struct Entry {
    RecordSource& s;
    const Rule& r;
    std::string_view rule, source, condition;
    TraceEntry::Outcome outcome;
    std::string_view detail;
    template <class G>
    void values(G g) const {
      for (const FieldInfo* f : r.when.fields_used())
        g(f->path, trace_value(s.v_, *f, s.scratch_.text));
    }
  };
  template <class F>
  void trace(F f) {
    for_each_traced(v_, [&](std::size_t index) {
      const Rule& rule = m_.rules[index];
      const auto outcome = trace_outcome(v_, index, scratch_.detail);
      f(Entry{*this, rule, rule.id, rule.source, rule.when.text(), outcome, scratch_.detail});
    });
  }

 private:
  const RecordView& v_;
  const DecisionRecord& r_;
  const ProtocolModel& m_;
  Scratch& scratch_;
  bool pretty_;
};

}  // namespace

// ---- the Recommendation ---------------------------------------------------------

void render_fired(const DecisionRecord& record, const ProtocolModel& model,
                  std::vector<std::string>& out) {
  std::size_t used = 0;
  record.for_each_fired(model, [&](const std::string& id) {
    if (used < out.size())
      keep_or_assign(out[used], id);
    else
      out.push_back(id);
    ++used;
  });
  out.resize(used);
}

// Flattened: its string assignments inlined, as in the writers it replaces.
[[gnu::flatten]] void render_recommendation(const RecordView& v, Recommendation& r) {
  const DecisionRecord& record = v.record;
  const ProtocolModel& m = v.model;
  r.format = recommendation_format;
  auto& p = r.provenance;
  keep_or_assign(p.engine_name, engine_name);
  keep_or_assign(p.engine_version, engine_version);
  keep_or_assign(p.protocol_id, m.id);
  keep_or_assign(p.protocol_version, m.version);
  keep_or_assign(p.protocol_sha256, m.sha256);
  p.plugins.resize(m.plugins.size());
  for (std::size_t i = 0; i < m.plugins.size(); ++i) {
    keep_or_assign(p.plugins[i].name, m.plugins[i].name);
    keep_or_assign(p.plugins[i].version, m.plugins[i].plugin->description.version);
  }
  keep_or_assign(r.client_id, v.state.client_id);
  write_as_of(v.state.as_of, r.as_of);

  auto& session = r.session;
  keep_or_assign(session.stage, m.stages[record.stage].id);
  keep_or_assign(session.frequency, m.ladder[record.frequency].id);
  session.next_session_in_days = m.ladder[record.frequency].interval_days;
  session.pressure_cap = record.pressure_cap;
  session.duration_minutes = record.duration_minutes;
  session.postpone_days = record.postpone_days;
  session.techniques.resize(record.techniques.size());
  for (std::size_t i = 0; i < record.techniques.size(); ++i) {
    const auto& in = record.techniques[i];
    auto& t = session.techniques[i];
    keep_or_assign(t.id, in.entry->info.id);
    keep_or_assign(t.plugin, in.entry->plugin->description.name);
    keep_or_assign(t.plugin_version, in.entry->plugin->description.version);
    // Copied: the result is the plugin memo's, shared by later evaluations.
    keep_or_assign(t.parameters, in.result->result.parameters);
    apply_clamp(in.clamp, t.parameters);
  }
  r.held_techniques.resize(record.held.size());
  for (std::size_t i = 0; i < record.held.size(); ++i) {
    const HoldRecord& h = record.held[i];
    auto& out = r.held_techniques[i];
    keep_or_assign(out.id, h.technique);
    keep_or_assign(out.rule, h.rule);
    out.reason.clear();
    append_held_reason(v, h, out.reason);
  }

  r.adjustments.resize(record.adjustments.size());
  for (std::size_t i = 0; i < record.adjustments.size(); ++i) {
    const AdjustmentRecord& in = record.adjustments[i];
    Adjustment& a = r.adjustments[i];
    a.kind = in.kind;
    if (in.value == AdjustmentRecord::Value::number)
      a.value = in.number;
    else if (in.value == AdjustmentRecord::Value::plugin)
      a.value = in.plugin->value;
    else if (in.value == AdjustmentRecord::Value::none)
      a.value = std::monostate{};
    else if (auto* text = std::get_if<std::string>(&a.value))  // its buffer reused
      text->assign(in.text);
    else
      a.value.emplace<std::string>(in.text);
    write_rule_id(in, a.rule);
    keep_or_assign(a.source, in.source);
    if (in.reason == AdjustmentRecord::Reason::same_as) {
      keep_or_assign(a.reason, r.adjustments[in.same_as].reason);
    } else if (in.reason == AdjustmentRecord::Reason::plugin) {
      keep_or_assign(a.reason, in.plugin->reason);
    } else {
      a.reason.clear();
      append_reason(v, in, a.reason);
    }
  }
  if (!record.referral) {
    session.referral.reset();
  } else {
    Referral& referral = session.referral ? *session.referral : session.referral.emplace();
    keep_or_assign(referral.to, record.referral->refer);
    keep_or_assign(referral.rule, record.referral->id);
    keep_or_assign(referral.reason, r.adjustments[record.referral_reason].reason);
  }
  r.warnings = record.warnings;
  render_fired(record, m, r.fired);
  if (v.explain)
    render_trace(v, r.trace);
  else
    r.trace.clear();
}

void append_record_json(const RecordView& view, std::string& out, bool pretty) {
  JsonWriter w(out, pretty ? 2 : 0);
  // The thread's own: a nested evaluation (a plugin evaluating a protocol)
  // is over before its caller renders.
  static thread_local RecordSource::Scratch scratch;
  RecordSource source(view, scratch, pretty);
  write_recommendation(w, source);
}

}  // namespace fascia::detail
