// Rendering a decision record (record_render.hpp), its texts each written
// by one function for both forms (record_render_texts.hpp): the
// Recommendation, and the record as contract_json.hpp's Source.
#include "core/record_render.hpp"

#include "common/same_text.hpp"
#include "core/contract_json.hpp"
#include "core/reason_compiler.hpp"
#include "core/record_json_texts.hpp"
#include "core/record_render_reasons.hpp"
#include "core/record_render_texts.hpp"

#include <fascia/version.hpp>

namespace fascia::detail {

namespace {

// The same string (not only equal text): one of the protocol's own texts.
bool same(std::string_view a, const std::string& b) {
  return a.data() == b.data() && a.size() == b.size();
}

// A list written over from its start: what it held keeps its memory, what
// is left over is dropped when the Overwrite goes. (Pointers, not indices:
// an index into a list of 136-byte elements costs a multiplication.)
template <class T>
class Overwrite {
 public:
  explicit Overwrite(std::vector<T>& list)
      : list_(list), at_(list.data()), end_(list.data() + list.size()) {}
  T& next() {
    if (at_ == end_) [[unlikely]] {
      list_.emplace_back();
      end_ = list_.data() + list_.size();
      at_ = end_ - 1;
    }
    return *at_++;
  }
  ~Overwrite() {
    if (at_ != end_) list_.resize(static_cast<std::size_t>(at_ - list_.data()));
  }

 private:
  std::vector<T>& list_;
  T* at_;
  T* end_;
};

// `to` = `from`, left as it is when it already holds it: most texts of a
// reused Recommendation are those it held, and comparing them inline costs
// less than copying (a memcpy call): evaluate_into 9,190 -> 9,048 with
// a comparison sixteen bytes at a time (SSE2), 10,052 with plain
// assignments. same_text() costs the Recommendation 68 instructions more
// than that SSE2 comparison (8,852 -> 8,920), the trace (its short values)
// 89 fewer (13,078 -> 12,989).
[[gnu::always_inline]] inline void keep_or_assign(std::string& to, std::string_view from) {
  if (!same_text(to, from)) to.assign(from);
}
// The names kept, the values assigned (comparing them first cost more).
void keep_or_assign(Params& to, const Params& from) {
  to.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) {
    keep_or_assign(to[i].name, from[i].name);
    to[i].value = from[i].value;
  }
}

// The protocol's provenance, written over `p`.
void write_provenance(const ProtocolModel& m, Provenance& p) {
  keep_or_assign(p.engine_name, fascia::engine_name);
  keep_or_assign(p.engine_version, fascia::engine_version);
  keep_or_assign(p.protocol_id, m.id);
  keep_or_assign(p.protocol_version, m.version);
  keep_or_assign(p.protocol_sha256, m.sha256);
  Overwrite plugins{p.plugins};
  for (const auto& q : m.plugins) {
    auto& out = plugins.next();
    keep_or_assign(out.name, q.name);
    keep_or_assign(out.version, q.plugin->description.version);
  }
}

// ---- the record as contract_json.hpp's Source ----------------------------------

// The one walk of the record, for both forms: the JSON document (`Json`:
// the protocol's texts given already quoted) and the Recommendation.
template <bool Json>
class RecordSource {
 public:
  explicit RecordSource(const RecordView& v)
      : v_(v), r_(v.record), m_(v.model), scratch_(v.scratch) {
    if (!Json || !scratch_.quoted.use(m_)) return;
    Provenance provenance;
    write_provenance(m_, provenance);
    scratch_.quoted.head.clear();
    JsonWriter first(scratch_.quoted.head);
    write_head(first, recommendation_format, provenance);
    first.finish();
    RecordJsonTexts::pad(scratch_.quoted.head);
  }

  void head(JsonWriter& w) { w.text(scratch_.quoted.head); }

  const std::string& client_id() const { return v_.state.client_id; }
  std::string_view as_of() { return write_as_of(v_.state.as_of, date_, scratch_.text); }
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
      if constexpr (Json)
        f(JsonMembers{scratch_.quoted.technique(*t.entry)}, *parameters);
      else
        f(TechniqueHead{t.entry->info.id, t.entry->plugin->description.name,
                        t.entry->plugin->description.version},
          *parameters);
    }
  }
  int pressure_cap() const { return r_.pressure_cap; }
  int duration_minutes() const { return r_.duration_minutes; }
  const std::string& frequency() const { return m_.ladder[r_.frequency].id; }
  int next_session_in_days() const { return m_.ladder[r_.frequency].interval_days; }
  int postpone_days() const { return r_.postpone_days; }
  template <class F>
  void home_program(F f) const {
    v_.home_program.for_each(f);
  }
  template <class F>
  bool referral(F f) {
    if (!r_.referral) return false;
    f(r_.referral->refer, r_.referral->id, reason_of(v_, r_.adjustments[r_.referral_reason]));
    return true;
  }
  template <class F>
  void held(F f) {
    for (const auto& h : r_.held)
      f(h.technique, h.rule, h.by_rule ? rule_reason(*h.by_rule, h.values) : Reason{h.reason});
  }
  // The contract's writer asks for reasons as texts: written here.
  void write(JsonWriter& w, const Reason& reason) const { write_reason(v_, reason, w); }
  // f(a, value, rule, reason, q): q the quoted texts of the rule whose id
  // and source the adjustment has (JSON only), when it has them.
  template <class F>
  void adjustments(F f) {
    for (const AdjustmentRecord& a : r_.adjustments) {
      const AdjustmentRecord& first =
          a.reason == AdjustmentRecord::Reason::same_as ? r_.adjustments[a.same_as] : a;
      const Rule* by = first.reason == AdjustmentRecord::Reason::rule ? first.by : nullptr;
      const auto* texts =
          Json && by ? &scratch_.quoted.rule(static_cast<std::size_t>(by - m_.rules.data()))
                     : nullptr;
      const auto* q = texts && !a.suffixed && same(a.rule, by->id) && same(a.source, by->source)
                          ? texts
                          : nullptr;
      std::string_view rule = a.rule;
      if (a.suffixed) rule = scratch_.rule.assign(a.rule).append(1, '.').append(a.rule_suffix);
      Reason reason;
      if (!q || q->tail.empty()) reason = reason_of(v_, a);  // else: in q->tail
      switch (a.value) {
        case AdjustmentRecord::Value::none:
          f(a, std::monostate{}, rule, reason, q);
          break;
        case AdjustmentRecord::Value::number:
          f(a, a.number, rule, reason, q);
          break;
        case AdjustmentRecord::Value::text: {
          JsonString value{a.text};
          if (texts && same(a.text, by->check_in))  // the rule's own: its quoted form
            value = {texts->check_in, true};
          else if (texts && same(a.text, by->note))
            value = {texts->note, true};
          f(a, value, rule, reason, q);
          break;
        }
        case AdjustmentRecord::Value::plugin:
          f(a, a.plugin->value, rule, reason, q);
          break;
      }
    }
  }
  // The adjustments' JSON, each from its kind's head and its rule's texts.
  void adjustments_json(JsonWriter& w) {
    const auto element = [&](const AdjustmentRecord& a, const auto& value, std::string_view rule,
                             const Reason& reason, const RecordJsonTexts::RuleTexts* q) {
      w.text(scratch_.quoted.kind_head(a.kind));
      write_param_value(w, value);
      if (q && !q->tail.empty()) return w.text(q->tail);
      if (q) {
        w.text(q->rule_key);
      } else {
        w.lit(",\"rule\":");
        w.string(rule);
        w.lit(",\"reason\":");
      }
      write_reason(v_, reason, w);
      if (q) return w.text(q->source_tail);
      w.lit(",\"source\":");
      w.string(a.source);
      w.lit("}");
    };
    bool more;
    adjustments(elements(w, more, element));
  }
  template <class F>
  void warnings(F f) const {
    for (const auto& w : r_.warnings) f(w);
  }
  // (The Recommendation's: render_fired().)
  template <class F>
  void fired(F f) const {
    for (std::size_t word = 0; word < r_.fired.size(); ++word)
      for (std::uint64_t w = r_.fired[word]; w != 0; w &= w - 1)
        f(JsonString{scratch_.quoted.rule(word * 64 + std::countr_zero(w)).id, true});
  }
  bool has_trace() const {
    if (!v_.explain) return false;
    for (std::uint64_t w : m_.stages[r_.current_stage].evaluated)
      if (w != 0) return true;
    return false;
  }

  struct Entry {
    const TracePlan& plan;
    std::size_t index;
    const std::shared_ptr<const TraceRule>& rule;
    TraceEntry::Outcome outcome;
    std::string_view detail;
    template <class G>
    void values(G g) const {
      plan.values(index, g);
    }
  };
  // The rules in the order SessionPlan::run() evaluates them.
  template <class F>
  void trace(F f) {
    TracePlan& plan = scratch_.trace;
    plan.use(m_);
    const std::size_t stage = r_.current_stage;
    plan.read_fields(stage, [&](const FieldInfo& field, std::string& text) {
      return trace_value(v_, field, text);
    });
    std::string_view detail;
    const bool noted = !r_.notes.empty() || !r_.held_rules.empty();
    for (std::size_t index : plan.order(stage)) {
      const auto outcome = trace_outcome(v_, index, noted, scratch_.detail, detail);
      f(Entry{plan, index, m_.trace_rules[index], outcome, detail});
    }
  }

 private:
  const RecordView& v_;
  const DecisionRecord& r_;
  const ProtocolModel& m_;
  RenderScratch& scratch_;
  char date_[10];
};

void assign_value(ParamValue& to, std::monostate) { to = std::monostate{}; }
void assign_value(ParamValue& to, std::int64_t n) { to = n; }
void assign_value(ParamValue& to, const ParamValue& value) { to = value; }
void assign_value(ParamValue& to, JsonString text) {
  if (auto* s = std::get_if<std::string>(&to))  // its buffer reused
    s->assign(text.text);
  else
    to.emplace<std::string>(text.text);
}

// Each item's first list copied as one (most are unchanged), then what was
// merged into it, as SessionPlan merged them. Not inlined into the
// flattened render_recommendation (whose trace part then cost about 500
// instructions more: evaluate_into 8,792 -> 8,624, the trace 13,905 -> 13,219).
[[gnu::noinline]] void write_home_program(const HomeItems& home,
                                          std::vector<HomeProgramItem>& items) {
  items.resize(home.items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    keep_or_assign(items[i].id, home.items[i].id);
    keep_or_assign(items[i].parameters, *home.items[i].parameters);
  }
  for (const auto& change : home.changes)
    set_param(items[change.item].parameters, change.param->name, change.param->value);
}

// The trace's entries, written over `entries`; not inlined into the flattened
// render_recommendation, whose registers its loops shared (13,481 -> 13,404).
[[gnu::noinline]] void render_trace(RecordSource<false>& s, std::vector<TraceEntry>& entries) {
  Overwrite trace{entries};
  s.trace([&](const auto& t) {
    TraceEntry& e = trace.next();
    if (e.rule != t.rule) e.rule = t.rule;
    e.outcome = t.outcome;
    keep_or_assign(e.detail, t.detail);
    if (e.values.size() != t.plan.count(t.index)) e.values.resize(t.plan.count(t.index));
    std::string* out = e.values.data();
    t.values([&](std::string_view, std::string_view value) { keep_or_assign(*out++, value); });
  });
}
}  // namespace

// ---- the Recommendation ---------------------------------------------------------

void render_fired(const DecisionRecord& record, const ProtocolModel& model,
                  std::vector<std::string>& out) {
  Overwrite<std::string> fired{out};
  record.for_each_fired(model, [&](const std::string& id) { keep_or_assign(fired.next(), id); });
}

// What write_recommendation() writes from the same Source, written over
// the strings and lists a reused Recommendation holds (reasons, mostly
// rendered and long, copied: comparing them first cost more). Flattened:
// its string assignments inlined.
[[gnu::flatten]] void render_recommendation(const RecordView& v, Recommendation& r) {
  RecordSource<false> s(v);
  r.format = recommendation_format;
  write_provenance(v.model, r.provenance);
  keep_or_assign(r.client_id, s.client_id());
  keep_or_assign(r.as_of, s.as_of());

  auto& session = r.session;
  keep_or_assign(session.stage, s.stage());
  Overwrite techniques{session.techniques};
  s.techniques([&](const TechniqueHead& head, const Params& parameters) {
    auto& t = techniques.next();
    keep_or_assign(t.id, head.id);
    keep_or_assign(t.plugin, head.plugin);
    keep_or_assign(t.plugin_version, head.version);
    keep_or_assign(t.parameters, parameters);
  });
  session.pressure_cap = s.pressure_cap();
  session.duration_minutes = s.duration_minutes();
  keep_or_assign(session.frequency, s.frequency());
  session.next_session_in_days = s.next_session_in_days();
  session.postpone_days = s.postpone_days();
  write_home_program(v.home_program, session.home_program);
  const bool referral =
      s.referral([&](std::string_view to, std::string_view rule, const Reason& reason) {
        Referral& out = session.referral ? *session.referral : session.referral.emplace();
        keep_or_assign(out.to, to);
        keep_or_assign(out.rule, rule);
        assign_reason(v, reason, out.reason);
      });
  if (!referral) session.referral.reset();

  Overwrite held{r.held_techniques};
  s.held([&](std::string_view id, std::string_view rule, const Reason& reason) {
    auto& out = held.next();
    keep_or_assign(out.id, id);
    keep_or_assign(out.rule, rule);
    assign_reason(v, reason, out.reason);
  });
  Overwrite adjustments{r.adjustments};
  s.adjustments([&](const AdjustmentRecord& from, const auto& value, std::string_view rule,
                    const Reason& reason, const void*) {
    Adjustment& a = adjustments.next();
    a.kind = from.kind;
    assign_value(a.value, value);
    keep_or_assign(a.rule, rule);
    assign_reason(v, reason, a.reason);
    keep_or_assign(a.source, from.source);
  });
  Overwrite warnings{r.warnings};
  s.warnings([&](std::string_view text) { keep_or_assign(warnings.next(), text); });
  render_fired(v.record, v.model, r.fired);
  s.has_trace() ? render_trace(s, r.trace) : r.trace.clear();
}

void append_record_json(const RecordView& view, std::string& out) {
  JsonWriter w(out);
  RecordSource<true> source(view);
  write_recommendation(w, source);
}

}  // namespace fascia::detail
