#include "core/lint_state_sampler.hpp"

#include "core/state_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <optional>
#include <vector>

namespace fascia::detail {

std::uint64_t seed_of(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

namespace {

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

}  // namespace

struct StateSampler::Impl {
 public:
  explicit Impl(const ProtocolModel& model) : model_(model), literals_(literals_of(model)) {
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
    axes_.push_back(
        {{std::move(path)}, {}, values.size(), [values, set](ClientState& s, std::size_t i) {
           set(s, values[i]);
         }});
  }

  // A field of the table of state fields, drawn inside its range; `absent`
  // adds the value min - 1, which `set` takes for "left out".
  template <class Set>
  void numeric(const StateField& field, double calm, std::vector<double> base, Set set,
               bool absent = false) {
    numeric(std::string(field.path), calm, std::move(base), absent ? field.min - 1 : field.min,
            field.max, set);
  }

  void choice(std::string path, std::vector<std::string> values,
              std::function<void(ClientState&, const std::string&)> set) {
    if (values.empty()) values.push_back({});
    axes_.push_back(
        {{std::move(path)}, {}, values.size(), [values, set](ClientState& s, std::size_t i) {
           set(s, values[i]);
         }});
  }

  static std::vector<double> range(int lo, int hi) {
    std::vector<double> out;
    for (int i = lo; i <= hi; ++i) out.push_back(i);
    return out;
  }

  void build_axes() {
    const auto& m = model_;
    choice("client.condition", m.conditions,
           [](ClientState& s, const std::string& v) { s.condition = v; });
    std::vector<std::string> stages, ladder;
    for (const auto& st : m.stages) stages.push_back(st.id);
    for (const auto& f : m.ladder) ladder.push_back(f.id);
    choice("program.stage", stages,
           [](ClientState& s, const std::string& v) { s.program.stage = v; });
    if (!ladder.empty())
      std::rotate(ladder.begin(), ladder.begin() + long(m.start_frequency),
                  ladder.begin() + long(m.start_frequency) + 1);
    choice("program.frequency", ladder,
           [](ClientState& s, const std::string& v) { s.program.frequency = v; });
    const std::vector<double> counts = {0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40};
    numeric(state_field("program.sessions_completed"), 6, counts,
            [](ClientState& s, double v) { s.program.sessions_completed = int(v); });
    numeric(
        state_field("program.sessions_in_stage"), -1, counts,
        [](ClientState& s, double v) {
          s.program.sessions_in_stage = v < 0 ? std::nullopt : std::optional<int>(int(v));
        },
        true);
    axes_.back().paths.push_back("program.sessions_completed");
    numeric(state_field("program.weeks_in_program"), 6,
            {0, 1, 2, 4, 8, 10, 12, 13, 16, 20, 24, 30, 52},
            [](ClientState& s, double v) { s.program.weeks_in_program = int(v); });
    numeric(state_field("program.missed_sessions_30d"), 0, range(0, 4),
            [](ClientState& s, double v) { s.program.missed_sessions_30d = int(v); });
    numeric(state_field("pain.current"), 5, range(0, 10),
            [](ClientState& s, double v) { s.pain.current = v; });
    numeric(state_field("pain.baseline"), 6, range(0, 10),
            [](ClientState& s, double v) { s.pain.baseline = v; });
    choice("sensitivity", {"moderate", "low", "high"}, [](ClientState& s, const std::string& v) {
      s.sensitivity = v == "low"    ? Sensitivity::low
                      : v == "high" ? Sensitivity::high
                                    : Sensitivity::moderate;
    });
    numeric(state_field("pressure_tolerance"), 5, range(1, 10),
            [](ClientState& s, double v) { s.pressure_tolerance = int(v); });
    numeric(
        state_field("sleep_quality"), 6, range(-1, 10),
        [](ClientState& s, double v) {
          s.sleep_quality = v < 0 ? std::nullopt : std::optional<double>(v);
        },
        true);
    choice("flare.active", {"false", "true"},
           [](ClientState& s, const std::string& v) { s.flare.active = v == "true"; });
    numeric(state_field("flare.severity"), 0, range(0, 10),
            [](ClientState& s, double v) { s.flare.severity = v; });
    numeric(
        state_field("flare.days_since_last"), -1,
        {-1, 0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90},
        [](ClientState& s, double v) {
          s.flare.days_since_last = v < 0 ? std::nullopt : std::optional<int>(int(v));
        },
        true);
    numeric(state_field("flare.count_30d"), 0, range(0, 4),
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
      calm.push_back({Date{2026, 6, 1}.plus_days(-7 * i), {first}, 3, 2.0, 5.0, 4.0, {}});
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
    axes_.push_back({{}, "history.", patterns.size(), [patterns](ClientState& s, std::size_t i) {
                       s.history = patterns[i];
                     }});
    axes_.back().prefix = "history.";
    axes_.back().paths = {"last.date_days_ago", "last.techniques",  "last.pressure",
                          "last.soreness_24h",  "last.pain_before", "last.pain_after"};
    // Values below the field's range leave the value out.
    auto last_number = [this](const StateField& field, std::vector<double> base, auto set) {
      const double lo = field.min;
      numeric(std::string(field.path), -2, std::move(base), -1, field.max,
              [set, lo](ClientState& s, double v) {
                if (v == -2) return;  // calm: keep the history as drawn
                if (s.history.empty())
                  s.history.push_back({Date{2026, 6, 1}.plus_days(-7), {}, {}, {}, {}, {}, {}});
                set(s.history.back(), v < lo ? std::nullopt : std::optional<double>(v));
              });
    };
    last_number(state_field("last.soreness_24h"), range(-1, 10),
                [](HistoryEntry& e, std::optional<double> v) { e.soreness_24h = v; });
    last_number(state_field("last.pressure"), range(1, 10),
                [](HistoryEntry& e, std::optional<double> v) {
                  e.pressure = v ? std::optional<int>(int(*v)) : std::nullopt;
                });
    last_number(state_field("last.pain_before"), range(0, 10),
                [](HistoryEntry& e, std::optional<double> v) { e.pain_before = v; });
    last_number(state_field("last.pain_after"), range(0, 10),
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
    axes_.push_back(
        {{"last.techniques"}, {}, sets.size(), [sets](ClientState& s, std::size_t i) {
           if (i == 0) return;
           if (s.history.empty())
             s.history.push_back({Date{2026, 6, 1}.plus_days(-7), {}, {}, {}, {}, {}, {}});
           s.history.back().techniques = sets[i];
         }});
  }

  void build_observation_axes() {
    for (std::size_t i = 0; i < model_.observations.size(); ++i) {
      const ObservationDecl& o = model_.observations[i];
      std::vector<ObservationValue> values{std::monostate{}};
      using Kind = ObservationDecl::Kind;
      if (o.kind == Kind::integer || o.kind == Kind::number) {
        const ObservationRange range = observation_range(o);
        const double lo = range.min, hi = range.max;
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
      axes_.push_back({{"observations." + o.name},
                       {},
                       values.size(),
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

StateSampler::StateSampler(const ProtocolModel& model) : impl_(std::make_unique<Impl>(model)) {}
StateSampler::~StateSampler() = default;

ClientState StateSampler::draw(Random& random, const std::set<std::string>& used,
                               bool everything) const {
  return impl_->draw(random, used, everything);
}

}  // namespace fascia::detail
