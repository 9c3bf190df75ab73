#include "what_if_diff.hpp"

#include "core/protocol_access.hpp"
#include "plugin_host/plugin_host.hpp"

#include <algorithm>
#include <initializer_list>

namespace fascia::documents {

namespace {

using Json = nlohmann::ordered_json;

bool same(const Adjustment& a, const Adjustment& b) {
  return a.kind == b.kind && a.rule == b.rule && a.value == b.value;
}

bool contains(const std::vector<Adjustment>& list, const Adjustment& a) {
  return std::any_of(list.begin(), list.end(), [&](const Adjustment& b) { return same(a, b); });
}

class Differ {
 public:
  Differ(const Recommendation& baseline, const Recommendation& what_if,
         const HomeItemOwners& owners)
      : baseline_(baseline),
        what_if_(what_if),
        owners_(owners),
        bj_(Json::parse(to_json(baseline))),
        wj_(Json::parse(to_json(what_if))) {}

  std::vector<Change> run() {
    const Json& bs = bj_["session"];
    const Json& ws = wj_["session"];
    using K = AdjustmentKind;
    scalar("stage", bs, ws, {K::stage_advanced, K::stage_held, K::stage_regressed});
    listed("techniques", bs["techniques"], ws["techniques"],
           {K::technique_held, K::technique_added});
    pressure(bs["pressure_cap"], ws["pressure_cap"]);
    scalar("duration_minutes", bs, ws, {K::duration_changed});
    scalar("frequency", bs, ws, {K::frequency_changed, K::frequency_held});
    scalar("next_session_in_days", bs, ws, {K::frequency_changed, K::postponed});
    scalar("postpone_days", bs, ws, {K::postponed});
    listed("home_program", bs["home_program"], ws["home_program"], {K::home_program});
    referral(bs["referral"], ws["referral"]);
    held();
    return std::move(changes_);
  }

 private:
  // New adjustments of these kinds in the what-if, then lifted baseline ones;
  // `keep` filters by value.
  std::vector<Cause> causes(std::initializer_list<AdjustmentKind> kinds,
                            bool (*keep)(const Adjustment&, const Json&) = nullptr,
                            const Json& wanted = {}) const {
    std::vector<Cause> out;
    auto matches = [&](const Adjustment& a) {
      return std::find(kinds.begin(), kinds.end(), a.kind) != kinds.end() &&
             (!keep || keep(a, wanted));
    };
    for (const auto& a : what_if_.adjustments)
      if (matches(a) && !contains(baseline_.adjustments, a)) out.push_back({&a, false});
    for (const auto& a : baseline_.adjustments)
      if (matches(a) && !contains(what_if_.adjustments, a)) out.push_back({&a, true});
    return out;
  }

  // Adjustments a plugin reported about its own technique ("swedish.gentle-strokes").
  std::vector<Cause> plugin_causes(const std::string& technique) const {
    std::vector<Cause> out;
    const std::string prefix = technique + ".";
    for (const auto& a : what_if_.adjustments)
      if (a.rule.rfind(prefix, 0) == 0 && !contains(baseline_.adjustments, a))
        out.push_back({&a, false});
    for (const auto& a : baseline_.adjustments)
      if (a.rule.rfind(prefix, 0) == 0 && !contains(what_if_.adjustments, a))
        out.push_back({&a, true});
    return out;
  }

  static void append(std::vector<Cause>& to, const std::vector<Cause>& more) {
    for (const auto& c : more)
      if (std::none_of(to.begin(), to.end(),
                       [&](const Cause& t) { return t.adjustment == c.adjustment; }))
        to.push_back(c);
  }

  // Items that came or went with their owner's plugin: what its plugin said,
  // and why the owning technique came or went.
  std::vector<Cause> owner_causes(const Json& before, const Json& after) const {
    std::vector<Cause> out;
    const Json b = ids(before), a = ids(after);
    auto in = [](const Json& list, const Json& id) {
      return std::find(list.begin(), list.end(), id) != list.end();
    };
    const Json bt = ids(bj_["session"]["techniques"]), wt = ids(wj_["session"]["techniques"]);
    for (const Json* list : {&b, &a})
      for (const auto& id : *list) {
        if (in(b, id) && in(a, id)) continue;
        auto owner = owners_.find(id.get<std::string>());
        if (owner == owners_.end()) continue;
        append(out, plugin_causes(owner->second));
        if (in(bt, Json(owner->second)) != in(wt, Json(owner->second)))
          append(out, causes({AdjustmentKind::technique_held, AdjustmentKind::technique_added}));
      }
    return out;
  }

  void add(std::string path, Json from, Json to, std::vector<Cause> why) {
    changes_.push_back({std::move(path), std::move(from), std::move(to), std::move(why)});
  }

  void scalar(const std::string& key, const Json& bs, const Json& ws,
              std::initializer_list<AdjustmentKind> kinds) {
    if (bs[key] != ws[key]) add("session." + key, bs[key], ws[key], causes(kinds));
  }

  static Json ids(const Json& items) {
    Json out = Json::array();
    for (const auto& i : items) out.push_back(i["id"]);
    return out;
  }

  // A list of {id, ...} items: the ids, then each kept item's details.
  void listed(const std::string& key, const Json& before, const Json& after,
              std::initializer_list<AdjustmentKind> kinds) {
    if (ids(before) != ids(after)) {
      auto why = causes(kinds);
      if (key == "home_program") append(why, owner_causes(before, after));
      add("session." + key, ids(before), ids(after), std::move(why));
    }
    for (const auto& a : after) {
      for (const auto& b : before) {
        if (b["id"] != a["id"]) continue;
        const bool technique = key == "techniques";
        const Json& pa = technique ? a["parameters"] : a;
        const Json& pb = technique ? b["parameters"] : b;
        std::vector<std::string> names;
        for (const auto& [name, value] : pb.items()) names.push_back(name);
        for (const auto& [name, value] : pa.items())
          if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        for (const auto& name : names) {
          // pressure_max follows the session cap, which has its own change.
          if (name == "id" || name == "pressure_max" || name == "plugin" ||
              name == "plugin_version")
            continue;
          const Json from = pb.contains(name) ? pb[name] : Json();
          const Json to = pa.contains(name) ? pa[name] : Json();
          if (from == to) continue;
          const std::string id = a["id"].get<std::string>();
          auto why = technique ? plugin_causes(id) : causes(kinds);
          if (!technique && owners_.count(id)) append(why, plugin_causes(owners_.at(id)));
          add("session." + key + "." + id + "." + name, from, to, std::move(why));
        }
      }
    }
  }

  void pressure(const Json& before, const Json& after) {
    if (before == after) return;
    // Lower: the limits that bind now. Higher: the baseline limits lifted.
    auto binding = [](const Adjustment& a, const Json& cap) {
      return std::holds_alternative<std::int64_t>(a.value) &&
             std::get<std::int64_t>(a.value) == cap.get<std::int64_t>();
    };
    std::vector<Cause> why;
    for (const auto& c :
         causes({AdjustmentKind::pressure_cap}, binding, after < before ? after : before))
      if (c.lifted == (after > before)) why.push_back(c);
    if (why.empty()) why = causes({AdjustmentKind::pressure_cap});
    add("session.pressure_cap", before, after, std::move(why));
  }

  void referral(const Json& before, const Json& after) {
    auto to = [](const Json& r) { return r.is_null() ? Json() : r["to"]; };
    if (to(before) == to(after)) return;
    add("session.referral", to(before), to(after), causes({AdjustmentKind::referral}));
  }

  void held() {
    const Json before = ids(bj_["held_techniques"]);
    const Json after = ids(wj_["held_techniques"]);
    if (before != after)
      add("held_techniques", before, after, causes({AdjustmentKind::technique_held}));
  }

  const Recommendation& baseline_;
  const Recommendation& what_if_;
  const HomeItemOwners& owners_;
  Json bj_, wj_;
  std::vector<Change> changes_;
};

}  // namespace

std::vector<std::string> Change::rules() const {
  std::vector<std::string> out;
  for (const auto& c : causes)
    if (std::find(out.begin(), out.end(), c.adjustment->rule) == out.end())
      out.push_back(c.adjustment->rule);
  return out;
}

std::vector<Change> diff_recommendations(const Recommendation& baseline,
                                         const Recommendation& what_if,
                                         const HomeItemOwners& owners) {
  return Differ(baseline, what_if, owners).run();
}

nlohmann::ordered_json changes_json(const std::vector<Change>& changes) {
  Json out = Json::array();
  for (const auto& c : changes)
    out.push_back({{"path", c.path}, {"from", c.from}, {"to", c.to}, {"rules", c.rules()}});
  return out;
}

std::vector<Cause> new_conversation_points(const Recommendation& baseline,
                                           const Recommendation& what_if) {
  std::vector<Cause> out;
  auto talk = [](const Adjustment& a) {
    return a.kind == AdjustmentKind::check_in || a.kind == AdjustmentKind::note ||
           a.kind == AdjustmentKind::stage_held;
  };
  for (const auto& a : what_if.adjustments)
    if (talk(a) && !contains(baseline.adjustments, a)) out.push_back({&a, false});
  for (const auto& a : baseline.adjustments)
    if (talk(a) && !contains(what_if.adjustments, a)) out.push_back({&a, true});
  return out;
}

}  // namespace fascia::documents

namespace fascia::documents {

HomeItemOwners home_item_owners(const Protocol& protocol) {
  HomeItemOwners owners;
  for (const auto& t : detail::ProtocolAccess::model(protocol).techniques)
    if (t.entry)
      for (const auto& h : t.entry->home_templates) owners[h.id] = t.entry->info.id;
  return owners;
}

std::string what_if_json(const Recommendation& baseline, const Recommendation& what_if,
                         const std::vector<Change>& changes) {
  return "{\"baseline\":" + to_json(baseline) + ",\"what_if\":" + to_json(what_if) +
         ",\"changes\":" + changes_json(changes).dump() + "}";
}

}  // namespace fascia::documents
