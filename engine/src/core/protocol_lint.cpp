#include "core/protocol_lint.hpp"

#include "expr/expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace fascia::detail {

namespace {

// Generated states per question asked ("can this rule fire?", "can these two
// fire together?"). Half vary only the fields the conditions read, half vary
// everything (plugin functions read fields the expression does not name).
constexpr int kSamples = 4000;

// splitmix64: the same sequence on every platform (std distributions are not),
// so the same protocol always gets the same findings.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

std::uint64_t seed_of(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// Numbers written in the conditions: thresholds worth trying (and their
// neighbours) on every numeric field, so that `x >= 37` is met by some state.
std::vector<double> literals_of(const ProtocolModel& model) {
  std::set<double> found;
  for (const auto& rule : model.rules) {
    const std::string& text = rule.when.text();
    for (std::size_t i = 0; i < text.size(); ++i) {
      const bool starts = std::isdigit(static_cast<unsigned char>(text[i])) &&
                          (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                       text[i - 1] == '_' || text[i - 1] == '.'));
      if (!starts) continue;
      double v = 0;
      auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
      if (ec != std::errc()) continue;
      found.insert(v);
      i = static_cast<std::size_t>(end - text.data());
    }
  }
  return {found.begin(), found.end()};
}

// One dimension of the generated states: candidate values for some fields;
// index 0 is the calm value every state starts from.
struct Axis {
  std::vector<std::string> paths;  // expression fields this axis decides
  std::string prefix;              // or every field starting with this
  std::size_t size = 1;
  std::function<void(ClientState&, std::size_t)> apply;

  bool decides(const std::set<std::string>& used) const {
    for (const auto& u : used) {
      if (!prefix.empty() && u.rfind(prefix, 0) == 0) return true;
      if (std::find(paths.begin(), paths.end(), u) != paths.end()) return true;
    }
    return false;
  }
};

class StateSampler {
 public:
  explicit StateSampler(const ProtocolModel& model) : model_(model), literals_(literals_of(model)) {
    for (const auto& t : model.techniques)
      if (t.entry->info.kind == TechniqueKind::in_session) techniques_.push_back(t.entry->info.id);
    build_axes();
    calm_.client_id = "LINT";
    calm_.condition = model.conditions.empty() ? std::string() : model.conditions.front();
    calm_.as_of = Date{2026, 6, 1};
    for (const auto& o : model.observations) calm_.observations.push_back({o.name, {}});
    for (auto& axis : axes_) axis.apply(calm_, 0);
  }

  // A state with the fields in `used` (or, when `everything`, every field)
  // drawn at random, the others calm.
  ClientState draw(Random& random, const std::set<std::string>& used, bool everything) const {
    ClientState s = calm_;
    for (const auto& axis : axes_) {
      if (!everything && !axis.decides(used)) continue;
      if (random.chance(20)) continue;  // keep the calm value now and then
      axis.apply(s, random.below(axis.size));
    }
    return s;
  }

 private:
  // Candidate numbers: `calm` first, then `base` and the protocol's literals
  // (with their neighbours) that fall inside [lo, hi].
  std::vector<double> numbers(double calm, std::vector<double> base, double lo, double hi,
                              bool whole) const {
    std::set<double> extra(base.begin(), base.end());
    for (double l : literals_)
      for (double v : {l - 1, l, l + 1}) extra.insert(v);
    std::vector<double> out{calm};
    for (double v : extra)
      if (v >= lo && v <= hi && v != calm && (!whole || v == static_cast<long long>(v)))
        out.push_back(v);
    return out;
  }

  template <class Set>
  void numeric(std::string path, double calm, std::vector<double> base, double lo, double hi,
               Set set) {
    auto values = numbers(calm, std::move(base), lo, hi, true);
    axes_.push_back({{std::move(path)}, {}, values.size(),
                     [values, set](ClientState& s, std::size_t i) { set(s, values[i]); }});
  }

  void choice(std::string path, std::vector<std::string> values,
              std::function<void(ClientState&, const std::string&)> set) {
    if (values.empty()) values.push_back({});
    axes_.push_back({{std::move(path)}, {}, values.size(),
                     [values, set](ClientState& s, std::size_t i) { set(s, values[i]); }});
  }

  static std::vector<double> range(int lo, int hi) {
    std::vector<double> out;
    for (int i = lo; i <= hi; ++i) out.push_back(i);
    return out;
  }

  void build_axes() {
    const auto& m = model_;
    choice("client.condition", m.conditions, [](ClientState& s, const std::string& v) { s.condition = v; });
    std::vector<std::string> stages, ladder;
    for (const auto& st : m.stages) stages.push_back(st.id);
    for (const auto& f : m.ladder) ladder.push_back(f.id);
    choice("program.stage", stages, [](ClientState& s, const std::string& v) { s.program.stage = v; });
    if (!ladder.empty()) std::rotate(ladder.begin(), ladder.begin() + long(m.start_frequency), ladder.begin() + long(m.start_frequency) + 1);
    choice("program.frequency", ladder,
           [](ClientState& s, const std::string& v) { s.program.frequency = v; });
    const std::vector<double> counts = {0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40};
    numeric("program.sessions_completed", 6, counts, 0, 100000,
            [](ClientState& s, double v) { s.program.sessions_completed = int(v); });
    numeric("program.sessions_in_stage", -1, counts, -1, 100000, [](ClientState& s, double v) {
      s.program.sessions_in_stage = v < 0 ? std::nullopt : std::optional<int>(int(v));
    });
    axes_.back().paths.push_back("program.sessions_completed");
    numeric("program.weeks_in_program", 6, {0, 1, 2, 4, 8, 10, 12, 13, 16, 20, 24, 30, 52}, 0,
            100000, [](ClientState& s, double v) { s.program.weeks_in_program = int(v); });
    numeric("program.missed_sessions_30d", 0, range(0, 4), 0, 100000,
            [](ClientState& s, double v) { s.program.missed_sessions_30d = int(v); });
    numeric("pain.current", 5, range(0, 10), 0, 10, [](ClientState& s, double v) { s.pain.current = v; });
    numeric("pain.baseline", 6, range(0, 10), 0, 10, [](ClientState& s, double v) { s.pain.baseline = v; });
    choice("sensitivity", {"moderate", "low", "high"}, [](ClientState& s, const std::string& v) {
      s.sensitivity = v == "low" ? Sensitivity::low : v == "high" ? Sensitivity::high : Sensitivity::moderate;
    });
    numeric("pressure_tolerance", 5, range(1, 10), 1, 10,
            [](ClientState& s, double v) { s.pressure_tolerance = int(v); });
    numeric("sleep_quality", 6, range(-1, 10), -1, 10, [](ClientState& s, double v) {
      s.sleep_quality = v < 0 ? std::nullopt : std::optional<double>(v);
    });
    choice("flare.active", {"false", "true"},
           [](ClientState& s, const std::string& v) { s.flare.active = v == "true"; });
    numeric("flare.severity", 0, range(0, 10), 0, 10, [](ClientState& s, double v) { s.flare.severity = v; });
    numeric("flare.days_since_last", -1, {-1, 0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90}, -1,
            100000, [](ClientState& s, double v) {
              s.flare.days_since_last = v < 0 ? std::nullopt : std::optional<int>(int(v));
            });
    numeric("flare.count_30d", 0, range(0, 4), 0, 100000,
            [](ClientState& s, double v) { s.flare.count_30d = int(v); });
    choice("medications_changed", {"false", "true"},
           [](ClientState& s, const std::string& v) { s.medications_changed = v == "true"; });
    build_history_axes();
    build_observation_axes();
  }

  // Whole histories first (length, dates, techniques, trends), then the
  // newest entry's values one by one.
  void build_history_axes() {
    Random random(seed_of(model_.id + "/history"));
    std::vector<std::vector<HistoryEntry>> patterns;
    const std::string first = techniques_.empty() ? std::string() : techniques_.front();
    // The calm history: three uneventful weekly sessions of the first technique.
    std::vector<HistoryEntry> calm;
    for (int i = 3; i >= 1; --i)
      calm.push_back({Date{2026, 6, 1}.plus_days(-7 * i), {first}, 3, 2.0, 5.0, 4.0});
    patterns.push_back(calm);
    patterns.push_back({});
    for (int p = 0; p < 80; ++p) {
      const std::size_t length = 1 + random.below(8);
      const int gap = std::array{1, 2, 3, 7, 7, 7, 14, 28}[random.below(8)];
      const double start = double(random.below(11));
      const double slope = std::array{-1.0, -0.5, 0.0, 0.0, 0.5, 1.0}[random.below(6)];
      std::vector<HistoryEntry> h;
      for (std::size_t i = 0; i < length; ++i) {
        HistoryEntry e;
        e.date = Date{2026, 6, 1}.plus_days(-gap * std::int64_t(length - i));
        for (const auto& t : techniques_)
          if (random.chance(50) || (t == first && random.chance(50))) e.techniques.push_back(t);
        if (e.techniques.empty() && !first.empty()) e.techniques.push_back(first);
        e.pressure = 1 + int(random.below(10));
        if (!random.chance(10)) e.soreness_24h = double(random.below(11));
        const double pain = std::clamp(start + slope * double(i), 0.0, 10.0);
        e.pain_before = pain;
        e.pain_after = std::max(0.0, pain - double(random.below(3)));
        h.push_back(std::move(e));
      }
      patterns.push_back(std::move(h));
    }
    axes_.push_back({{}, "history.", patterns.size(),
                     [patterns](ClientState& s, std::size_t i) { s.history = patterns[i]; }});
    axes_.back().prefix = "history.";
    axes_.back().paths = {"last.date_days_ago", "last.techniques", "last.pressure",
                          "last.soreness_24h", "last.pain_before", "last.pain_after"};
    auto last_number = [this](std::string path, std::vector<double> base, double lo, double hi,
                              auto set) {
      numeric(std::move(path), -2, std::move(base), -1, hi, [set, lo](ClientState& s, double v) {
        if (v == -2) return;  // calm: keep the history as drawn
        if (s.history.empty())
          s.history.push_back({Date{2026, 6, 1}.plus_days(-7), {}, {}, {}, {}, {}});
        set(s.history.back(), v < lo ? std::nullopt : std::optional<double>(v));
      });
    };
    last_number("last.soreness_24h", range(-1, 10), 0, 10,
                [](HistoryEntry& e, std::optional<double> v) { e.soreness_24h = v; });
    last_number("last.pressure", range(1, 10), 1, 10, [](HistoryEntry& e, std::optional<double> v) {
      e.pressure = v ? std::optional<int>(int(*v)) : std::nullopt;
    });
    last_number("last.pain_before", range(0, 10), 0, 10,
                [](HistoryEntry& e, std::optional<double> v) { e.pain_before = v; });
    last_number("last.pain_after", range(0, 10), 0, 10,
                [](HistoryEntry& e, std::optional<double> v) { e.pain_after = v; });
    numeric("last.date_days_ago", -2, {0, 1, 2, 3, 4, 5, 7, 10, 14, 21, 28, 45}, -2, 100000,
            [](ClientState& s, double v) {
              if (v < 0) return;
              if (s.history.empty()) s.history.push_back({});
              s.history.back().date = s.as_of.plus_days(-std::int64_t(v));
            });
    // Each technique alone, and all of them, as the newest entry's techniques.
    std::vector<std::vector<std::string>> sets = {{}};
    for (const auto& t : techniques_) sets.push_back({t});
    sets.push_back(techniques_);
    axes_.push_back({{"last.techniques"}, {}, sets.size(), [sets](ClientState& s, std::size_t i) {
                       if (i == 0) return;
                       if (s.history.empty())
                         s.history.push_back({Date{2026, 6, 1}.plus_days(-7), {}, {}, {}, {}, {}});
                       s.history.back().techniques = sets[i];
                     }});
  }

  void build_observation_axes() {
    for (std::size_t i = 0; i < model_.observations.size(); ++i) {
      const ObservationDecl& o = model_.observations[i];
      std::vector<ObservationValue> values{std::monostate{}};
      using Kind = ObservationDecl::Kind;
      if (o.kind == Kind::integer || o.kind == Kind::number) {
        const double lo = o.min.value_or(-1e9), hi = o.max.value_or(1e9);
        std::vector<double> base = {0, 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300};
        if (o.min) base.push_back(*o.min);
        if (o.max) base.push_back(*o.max);
        for (double v : numbers(-1e300, base, lo, hi, o.kind == Kind::integer))
          if (v != -1e300) values.push_back(v);
      } else if (o.kind == Kind::boolean) {
        values.push_back(false);
        values.push_back(true);
      } else if (o.kind == Kind::enumeration) {
        for (const auto& v : o.values) values.push_back(v);
      } else {
        values.push_back(std::string());
        values.push_back(std::string("text"));
      }
      axes_.push_back({{"observations." + o.name}, {}, values.size(),
                       [values, i](ClientState& s, std::size_t k) {
                         if (i < s.observations.size()) s.observations[i].value = values[k];
                       }});
    }
  }

  const ProtocolModel& model_;
  std::vector<double> literals_;
  std::vector<std::string> techniques_;
  std::vector<Axis> axes_;
  ClientState calm_;
};

bool fires(const Rule& rule, const ClientState& state) {
  const Value v = rule.when.evaluate(state);
  return v.kind == Value::Kind::boolean && v.boolean;
}

std::set<std::string> fields_of(const std::vector<const Rule*>& rules) {
  std::set<std::string> out;
  for (const Rule* r : rules)
    for (const FieldInfo* f : r->when.fields_used()) out.insert(f->path);
  return out;
}

// Where each rule, stage and ladder step is written in the file.
class Locations {
 public:
  Locations(const ProtocolModel& model, const yaml::Document* document) : model_(model) {
    if (!document) return;
    document_ = document;
    const yaml::Node& root = document->root;
    for (const char* section : {"pressure_caps", "flare_response", "rules", "healing_response"})
      if (const auto* n = root.find(section)) add_rules(*n);
    if (const auto* f = root.find("frequency")) {
      for (const char* section : {"step_down", "step_up"})
        if (const auto* n = f->find(section)) add_rules(*n);
      if (const auto* ladder = f->find("ladder"); ladder && ladder->is_sequence())
        for (const auto& step : ladder->items) ladder_.push_back(yaml::location_of(*document, step));
    }
    if (const auto* stages = root.find("stages"); stages && stages->is_sequence())
      for (const auto& s : stages->items)
        for (const char* section : {"advance", "hold", "regress"})
          if (const auto* n = s.find(section)) add_rules(*n);
  }

  SourceLocation rule(const Rule& r) const {
    if (auto it = rules_.find(r.id); it != rules_.end()) return it->second;
    // "file:line" as recorded by the loader.
    SourceLocation l{model_.file, 0, 0};
    const auto colon = r.source.rfind(':');
    if (colon != std::string::npos) {
      l.file = r.source.substr(0, colon);
      std::from_chars(r.source.data() + colon + 1, r.source.data() + r.source.size(), l.line);
    }
    return l;
  }
  SourceLocation ladder_step(std::size_t i) const {
    return i < ladder_.size() ? ladder_[i] : SourceLocation{model_.file, 0, 0};
  }

 private:
  void add_rules(const yaml::Node& list) {
    if (!list.is_sequence()) return;
    for (const auto& r : list.items)
      if (const auto* id = r.find("id"); id && id->is_scalar())
        rules_.emplace(id->value, yaml::location_of(*document_, r));
  }

  const ProtocolModel& model_;
  const yaml::Document* document_ = nullptr;
  std::map<std::string, SourceLocation> rules_;
  std::vector<SourceLocation> ladder_;
};

class Linter {
 public:
  Linter(const ProtocolModel& model, const yaml::Document* document)
      : m_(model), sampler_(model), where_(model, document) {}

  Diagnostics run() {
    check_rules_fire();
    check_stages_reachable();
    check_ladder_reachable();
    for (const auto* family : {&m_.caps, &m_.flare, &m_.general}) check_contradictions(*family);
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
    });
    return std::move(out_);
  }

 private:
  using Fix = std::function<void(ClientState&)>;
  using Predicate = std::function<bool(const ClientState&)>;

  // The first generated state (with `fix` applied) that satisfies `holds`.
  std::optional<ClientState> find(const std::string& question, const std::set<std::string>& used,
                                  const Fix& fix, const Predicate& holds) const {
    Random random(seed_of(m_.id + "/" + question));
    for (int i = 0; i < kSamples; ++i) {
      ClientState s = sampler_.draw(random, used, i % 2 == 1);
      if (fix) fix(s);
      if (holds(s)) return s;
    }
    return std::nullopt;
  }

  void warn(SourceLocation where, std::string message) {
    out_.push_back({Severity::warning, std::move(where), std::move(message)});
  }

  static std::string samples_text() { return std::to_string(kSamples) + " generated client states"; }

  // ---- rules that never fire ------------------------------------------------

  void check_rules_fire() {
    for (std::size_t s = 0; s < m_.stages.size(); ++s) {
      const Stage& stage = m_.stages[s];
      const Fix at_stage = [&stage](ClientState& c) { c.program.stage = stage.id; };
      for (const auto* list : {&stage.advance, &stage.hold, &stage.regress})
        for (std::size_t index : *list)
          check_fires(m_.rules[index], at_stage, " at stage '" + stage.id + "'");
    }
    const std::size_t last = m_.ladder.empty() ? 0 : m_.ladder.size() - 1;
    for (std::size_t index : m_.step_down)
      check_fires(m_.rules[index], [this, last](ClientState& c) {
        if (m_.frequency_index(c.program.frequency) >= last) c.program.frequency = m_.ladder.front().id;
      }, "");
    for (std::size_t index : m_.step_up)
      check_fires(m_.rules[index], [this](ClientState& c) {
        if (m_.frequency_index(c.program.frequency) == 0) c.program.frequency = m_.ladder.back().id;
      }, "");
    for (const auto* family : {&m_.caps, &m_.flare, &m_.general, &m_.healing})
      for (std::size_t index : *family) check_fires(m_.rules[index], nullptr, "");
  }

  void check_fires(const Rule& rule, const Fix& fix, const std::string& context) {
    const auto found = find("fires/" + rule.id, fields_of({&rule}), fix,
                            [&rule](const ClientState& s) { return fires(rule, s); });
    if (found) return;
    warn(where_.rule(rule), "rule '" + rule.id + "' never fired in " + samples_text() + context +
                                " (every field varied across its range): check that its "
                                "condition can be true");
  }

  // ---- stages and frequency steps nobody reaches ------------------------------

  void check_stages_reachable() {
    for (std::size_t i = 0; i + 1 < m_.stages.size(); ++i) {
      const Stage& stage = m_.stages[i];
      if (stage.advance.empty()) continue;  // the loader already says so
      std::vector<const Rule*> rules;
      for (const auto* list : {&stage.advance, &stage.hold, &stage.regress})
        for (std::size_t index : *list) rules.push_back(&m_.rules[index]);
      const bool first = i == 0;
      auto any = [this](const std::vector<std::size_t>& list, const ClientState& s) {
        for (std::size_t index : list)
          if (fires(m_.rules[index], s)) return true;
        return false;
      };
      const auto found = find(
          "stage/" + stage.id, fields_of(rules),
          [&stage](ClientState& c) { c.program.stage = stage.id; },
          [&](const ClientState& s) {
            return (first || !any(stage.regress, s)) && any(stage.advance, s) && !any(stage.hold, s);
          });
      if (found) continue;
      // Name only the rule kinds that exist and could have blocked it.
      std::string blockers;
      if (!stage.hold.empty()) blockers = "hold";
      if (!first && !stage.regress.empty()) blockers += blockers.empty() ? "regress" : " or regress";
      warn(m_.stages[i + 1].location,
           "stage '" + m_.stages[i + 1].id + "' may never be reached: in " + samples_text() +
               " at stage '" + stage.id + "', no advance rule fired" +
               (blockers.empty() ? "" : " without a " + blockers + " rule firing too"));
    }
  }

  void check_ladder_reachable() {
    if (m_.step_down.empty()) return;  // the loader already says so
    for (std::size_t i = 0; i + 1 < m_.ladder.size(); ++i) {
      const std::string& from = m_.ladder[i].id;
      std::vector<const Rule*> rules;
      for (const auto* list : {&m_.step_down, &m_.step_up})
        for (std::size_t index : *list) rules.push_back(&m_.rules[index]);
      auto any = [this](const std::vector<std::size_t>& list, const ClientState& s) {
        for (std::size_t index : list)
          if (fires(m_.rules[index], s)) return true;
        return false;
      };
      const bool top = i == 0;
      const auto found = find(
          "ladder/" + from, fields_of(rules), [&from](ClientState& c) { c.program.frequency = from; },
          [&](const ClientState& s) { return any(m_.step_down, s) && (top || !any(m_.step_up, s)); });
      if (found) continue;
      warn(where_.ladder_step(i + 1),
           "frequency '" + m_.ladder[i + 1].id + "' may never be reached: in " + samples_text() +
               " on '" + from + "', no step_down rule fired" +
               (top || m_.step_up.empty() ? "" : " without a step_up rule firing too"));
    }
  }

  // ---- contradicting actions ------------------------------------------------

  // Techniques a rule holds whenever it fires.
  std::set<std::string> holds_of(const Rule& r) const {
    std::set<std::string> out(r.hold_techniques.begin(), r.hold_techniques.end());
    for (const auto& t : m_.techniques) {
      const std::string& id = t.entry->info.id;
      if (t.entry->info.kind != TechniqueKind::in_session) continue;
      if (r.only_techniques &&
          std::find(r.only_techniques->begin(), r.only_techniques->end(), id) ==
              r.only_techniques->end())
        out.insert(id);
      if (r.only_flare_safe && !t.entry->info.flare_safe) out.insert(id);
    }
    return out;
  }

  // What is contradictory about `a` and `b` firing together, or empty.
  std::string conflict(const Rule& a, const Rule& b) const {
    for (const auto& [adder, holder] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      const auto held = holds_of(*holder);
      for (const auto& t : adder->add_techniques)
        if (held.count(t))
          return "'" + adder->id + "' adds '" + t + "' and '" + holder->id +
                 "' holds it (the hold wins)";
    }
    if (!a.refer.empty() && !b.refer.empty())
      return "both refer ('" + a.refer + "' and '" + b.refer + "') at priority " +
             std::to_string(a.priority) + ": only '" + a.id + "', first in file order, is kept";
    if (a.only_techniques && b.only_techniques) {
      bool shared = false;
      for (const auto& t : *a.only_techniques)
        shared = shared || std::find(b.only_techniques->begin(), b.only_techniques->end(), t) !=
                               b.only_techniques->end();
      if (!shared) return "each allows only techniques the other holds: together they hold every technique";
    }
    return {};
  }

  std::string witness(const ClientState& s, const std::vector<const Rule*>& rules) const {
    std::string out;
    std::set<std::string> seen;
    int shown = 0;
    for (const Rule* r : rules)
      for (const FieldInfo* f : r->when.fields_used()) {
        if (f->type == Type::series || !seen.insert(f->path).second || shown == 6) continue;
        out += (out.empty() ? "" : ", ") + f->path + " = " + format_value(f->getter(s, f->arg));
        ++shown;
      }
    return out;
  }

  void check_contradictions(const std::vector<std::size_t>& family) {
    for (std::size_t i = 0; i < family.size(); ++i) {
      const Rule& a = m_.rules[family[i]];
      for (const auto& t : a.add_techniques)
        if (holds_of(a).count(t))
          warn(where_.rule(a), "rule '" + a.id + "' both adds and holds '" + t + "'");
      for (std::size_t j = i + 1; j < family.size(); ++j) {
        const Rule& b = m_.rules[family[j]];
        if (a.priority != b.priority) continue;
        const std::string why = conflict(a, b);
        if (why.empty()) continue;
        const auto found = find("pair/" + a.id + "/" + b.id, fields_of({&a, &b}), nullptr,
                                [&](const ClientState& s) { return fires(a, s) && fires(b, s); });
        if (!found) continue;
        const SourceLocation la = where_.rule(a);
        warn(where_.rule(b), "rules '" + a.id + "' (" + la.to_string() + ") and '" + b.id +
                                 "' can both fire (for example when " + witness(*found, {&a, &b}) +
                                 ") with contradicting actions: " + why +
                                 "; give them different priorities or conditions that exclude "
                                 "each other");
      }
    }
  }

  const ProtocolModel& m_;
  StateSampler sampler_;
  Locations where_;
  Diagnostics out_;
};

}  // namespace

Diagnostics lint_protocol(const ProtocolModel& model, const yaml::Document* document) {
  if (model.stages.empty() || model.ladder.empty()) return {};
  return Linter(model, document).run();
}

}  // namespace fascia::detail
