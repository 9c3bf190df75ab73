// The JSON state reader (core/state_json_reader_impl.hpp): the history, the
// observations and the checks across members.
#include "core/state_json_reader_impl.hpp"

namespace fascia::detail::state_json {

namespace {
// The technique lists of entries a reused state had past the ones read,
// kept (a few short ones) for the next state's new entries, with their
// strings: a batch's histories vary in length, and each line would free
// some entries' lists and allocate others' (fascia batch: ~220
// instructions a line). At most ~1 MB a thread (16 lists of 8 strings of
// at most Limits::max_string_length bytes by default).
constexpr std::size_t max_spare_lists = 16, max_spare_techniques = 8;
thread_local std::vector<std::vector<std::string>> spare_techniques;
}  // namespace

void JsonStateReader::drop_unread_entries(std::vector<HistoryEntry>& history) const {
  auto& spare = spare_techniques;
  for (std::size_t i = history_used_; i < history.size() && spare.size() < max_spare_lists; ++i)
    if (const auto& t = history[i].techniques; !t.empty() && t.capacity() <= max_spare_techniques)
      spare.push_back(std::move(history[i].techniques));
  history.resize(history_used_);
}

bool JsonStateReader::history(ClientState& s) {
  const std::size_t start = pos_, nodes = nodes_;
  if (null_here()) return true;
  if (peek() != '[') {
    yaml::Node node;
    if (!parse_at(start, nodes, 1, node)) return false;
    report(order(history_member, 0, 0), [&](StateValues& v) { v.history_list(node); });
    return true;
  }
  if (!open('[', 1)) return false;
  std::size_t count = 0;
  skip_blanks();
  if (!eat(']')) {
    while (true) {
      if (!nodes_in_limit() ||
          !(count < model_.limits.max_history_entries ? entry(s, count) : skip_value(2)))
        return false;
      ++count;
      if (eat(',')) {  // compact JSON: no blanks to skip
        skip_blanks();
        continue;
      }
      skip_blanks();
      if (eat(']')) break;
      if (!eat(',')) return false;
      skip_blanks();
    }
  }
  history_count_ = count;
  if (!s.history_overrides.empty()) s.history_overrides.resize(history_used_);
  const auto in_history = [&](std::size_t i) { return order_[i] >> 48 == history_member; };
  if (count > model_.limits.max_history_entries) {
    // As the tree reader: the length alone, no entry read.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < diagnostics_.size(); ++i)
      if (!in_history(i)) {
        if (kept != i) diagnostics_[kept] = std::move(diagnostics_[i]);
        order_[kept++] = order_[i];
      }
    diagnostics_.resize(kept);
    order_.resize(kept);
    history_used_ = 0;
    s.history_overrides.clear();
    entries_.clear();
    report(order(history_member, 0, 0),
           [&](StateValues& v) { v.history_too_long(node_at(start), count); });
    return true;
  }
  // The newest entry's fields were named history[INDEX].KEY while reading
  // (the name built only when there is a problem to rename).
  if (count == 0 || diagnostics_.empty()) return true;
  const std::string newest = "history[" + std::to_string(count - 1) + "].";
  for (std::size_t i = 0; i < diagnostics_.size(); ++i)
    if (in_history(i))
      for (auto& field : diagnostics_[i].fields)
        if (field.compare(0, newest.size(), newest) == 0) field.replace(0, newest.size(), "last.");
  return true;
}

// Flattened, as root() is (see there).
[[gnu::flatten]] bool JsonStateReader::entry(ClientState& s, std::size_t index) {
  // Read in place, into an entry a reused state had there (its buffers
  // reused) or a new one (given a spare technique list); not counted if it
  // is not a mapping (not an entry).
  if (history_used_ == s.history.size()) {
    s.history.emplace_back();
    if (auto& spare = spare_techniques; !spare.empty()) {
      s.history.back().techniques = std::move(spare.back());
      spare.pop_back();
    }
  }
  HistoryEntry& h = s.history[history_used_];
  h.date = Date{};
  h.pressure.reset();
  h.soreness_24h.reset();
  h.pain_before.reset();
  h.pain_after.reset();
  h.stage.clear();
  bool techniques_read = false;
  EntryRead read{index, 0, false};
  const bool is_mapping = peek() == '{';
  const auto at = [&](unsigned check) { return order(history_member, index + 1, check); };
  const auto path = [&](std::string_view key) {
    return "history[" + std::to_string(index) + "]." + std::string(key);
  };
  const auto score = [&](std::optional<double>& out, const StateField& f, std::string_view key,
                         unsigned slot) {
    return value(
        3, at(slot), [&] { return null_here() || number_of(out, f); },
        [&](StateValues& v, const yaml::Node& n) {
          if (auto x = v.number(n, f, "history " + std::string(key), path(key))) out = *x;
        });
  };
  const bool ok =
      mapping<keys::entry, keys::entry_required>(2, at(0), "history entry", 0b1, [&](int k) {
        switch (k) {
          case 0:
            read.date_at = pos_;
            return value(
                3, at(2), [&] { return read.date_read = date(h.date); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto d = v.history_date(n, path("date"))) {
                    h.date = *d;
                    read.date_read = true;
                  }
                });
          case 1:
            return value(
                3, at(5),
                [&] {
                  // Assigned over the reused entry's names (no allocation).
                  std::size_t used = 0;
                  const bool all = array(3, [&] {
                    std::string_view v;
                    if (!text(v)) return false;
                    if (used < h.techniques.size())
                      h.techniques[used].assign(v);
                    else
                      h.techniques.emplace_back(v);
                    ++used;
                    return true;
                  });
                  if (!all) return false;
                  if (used < h.techniques.size())
                    h.techniques.erase(h.techniques.begin() + static_cast<std::ptrdiff_t>(used),
                                       h.techniques.end());
                  techniques_read = true;
                  return true;
                },
                [&](StateValues& v, const yaml::Node& n) {
                  h.techniques.clear();
                  techniques_read = true;
                  v.history_techniques(n, path("techniques"), h);
                });
          case 2:
            return value(
                3, at(6),
                [&] { return null_here() || integer_of(h.pressure, state_field("last.pressure")); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto x = v.integer(n, state_field("last.pressure"), "history pressure",
                                         path("pressure")))
                    h.pressure = static_cast<int>(*x);
                });
          case 3:
            return score(h.soreness_24h, state_field("last.soreness_24h"), "soreness_24h", 7);
          case 4:
            return score(h.pain_before, state_field("last.pain_before"), "pain_before", 8);
          case 5:
            return score(h.pain_after, state_field("last.pain_after"), "pain_after", 9);
          case 6:  // written by fascia record: read as a node
            return value(
                3, at(10), [&] { return null_here(); },
                [&](StateValues& v, const yaml::Node& n) {
                  if (auto x = v.history_override(n, path("override"))) {
                    s.history_overrides.resize(history_used_);
                    s.history_overrides.push_back(*x);
                  }
                });
          default:
            return value(
                3, at(11), [&] { return null_here() || stage(h.stage); },
                [&](StateValues& v, const yaml::Node& n) { v.history_stage(n, path("stage"), h); });
        }
      });
  if (!techniques_read) h.techniques.clear();
  if (is_mapping) {
    ++history_used_;
    entries_.push_back(read);
  }
  return ok;
}

bool JsonStateReader::observations(ClientState& s) {
  observations_present_ = true;
  observations_at_ = pos_;
  const std::size_t start = pos_, nodes = nodes_;
  if (null_here()) return true;
  if (peek() != '{') {
    yaml::Node node;
    if (!parse_at(start, nodes, 1, node)) return false;
    report(order(observations_member, 0, 0),
           [&](StateValues& v) { v.observations_not_a_mapping(node); });
    return true;
  }
  if (!open('{', 1)) return false;
  const auto& decls = model_.observations;
  boost::container::small_vector<bool, 32> seen(decls.size(), false);
  std::vector<std::string> others;  // undeclared names, for duplicates
  skip_blanks();
  if (eat('}')) return true;
  std::size_t expected = 0;  // the declaration after the previous key's
  while (true) {
    if (!nodes_in_limit()) return false;
    const std::size_t key_at = pos_;
    std::string_view name;
    std::size_t index = decls.size();
    // The usual key (the next declaration's name, plain, its colon right
    // after it) compared in place, as members() does; any other read.
    if (expected < decls.size() && at_key(decls[expected].name)) {
      count_node();
      name = decls[expected].name;
      index = expected;
    } else {
      if (!key(name)) return false;
      skip_blanks();
      if (!eat(':')) return false;
    }
    // The last declaration of that name, as the tree reader takes.
    for (std::size_t i = index < decls.size() ? index + 1 : 0; i < decls.size(); ++i)
      if (same_text(decls[i].name, name)) index = i;
    if (index < decls.size() ? seen[index] : contains(others, name)) return false;
    if (index < decls.size()) {
      seen[index] = true;
      expected = index + 1;
    } else {
      others.emplace_back(name);
    }
    skip_blanks();
    const auto at = order(observations_member, 0, 1);
    if (index == decls.size()) {
      yaml::Node key_node = node_at(key_at);
      key_node.kind = yaml::NodeKind::scalar;
      key_node.plain = false;
      key_node.value.assign(name);
      report(at, [&](StateValues& v) { v.observation_index(key_node); });
      if (!skip_value(2)) return false;
    } else if (!null_here()) {
      ObservationValue& out = s.observations[index].value;
      if (!value(
              2, at, [&] { return observation(decls[index], out); },
              [&](StateValues& v, const yaml::Node& n) {
                v.observation_value(decls[index], n, out);
              }))
        return false;
    }
    skip_blanks();
    if (eat('}')) return true;
    if (!eat(',')) return false;
    skip_blanks();
  }
}

bool JsonStateReader::observation(const ObservationDecl& decl, ObservationValue& out) {
  const ObservationRange range = observation_range(decl);
  switch (decl.kind) {
    case ObservationDecl::Kind::integer: {
      std::int64_t v = 0;
      if (!integer(v, range.min_integer, range.max_integer)) return false;
      out = static_cast<double>(v);
      return true;
    }
    case ObservationDecl::Kind::number: {
      double v = 0;
      if (!number(v, range.min, range.max)) return false;
      out = v;
      return true;
    }
    case ObservationDecl::Kind::boolean: {
      bool v = false;
      if (!boolean(v)) return false;
      out = v;
      return true;
    }
    case ObservationDecl::Kind::enumeration: {
      std::string_view v;
      if (!text(v) || !contains(decl.values, v)) return false;
      out = std::string(v);
      return true;
    }
    case ObservationDecl::Kind::string: {
      std::string_view v;
      if (!text(v, true)) return false;
      out = std::string(v);
      return true;
    }
  }
  return false;
}

// The checks across members, made once every member is read.
void JsonStateReader::finish(ClientState& s) {
  if (last_missed_ && as_of_read_)
    report(order(program_member, 0, 9),
           [&](StateValues& v) { v.last_missed_check(*last_missed_, s); });
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const EntryRead& e = entries_[i];
    if (!e.date_read) continue;
    const Date date = s.history[i].date;
    const bool out_of_order = i > 0 && date < s.history[i - 1].date;
    const bool after_as_of = as_of_read_ && date > s.as_of;
    if (!out_of_order && !after_as_of) continue;
    const yaml::Node at = node_at(e.date_at);
    const std::string path = history_field(history_count_, e.index, "date");
    if (out_of_order)
      report(order(history_member, e.index + 1, 3), [&](StateValues& v) {
        v.history_order(at, date, s.history[i - 1].date, path,
                        history_field(history_count_, entries_[i - 1].index, "date"));
      });
    if (after_as_of)
      report(order(history_member, e.index + 1, 4),
             [&](StateValues& v) { v.history_after_as_of(at, date, s.as_of, path); });
  }
  for (std::size_t i = 0; i < model_.observations.size(); ++i)
    if (model_.observations[i].required &&
        std::holds_alternative<std::monostate>(s.observations[i].value))
      report(order(observations_member, 0, 2), [&](StateValues& v) {
        v.missing_observation(node_at(observations_present_ ? observations_at_ : root_at_),
                              model_.observations[i]);
      });
}

}  // namespace fascia::detail::state_json
