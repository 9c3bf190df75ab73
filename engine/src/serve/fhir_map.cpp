// FHIR R4 prefetch -> client state (the mapping's semantics: fhir_map.hpp,
// fhir/default-map.yaml, docs/serve.md).
#include "fhir_map.hpp"

#include "fhir_elements.hpp"

#include <fascia/client_state.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

namespace fascia::serve {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

namespace {

using namespace fhir_elements;

struct Dated {
  Date date;
  const Json* resource;
  std::size_t order;
};

class Mapper {
 public:
  Mapper(const FhirMap& map, const MapContext& context, MappedState& out)
      : map_(map), ctx_(context), out_(out) {}

  void run(const Json& prefetch) {
    if (!prefetch.is_object()) {
      out_.missing.push_back("prefetch (the request has no prefetch object)");
      return;
    }
    collect(prefetch);
    OJson state;
    state["format"] = 1;
    patient(state);
    as_of(state);
    condition(state);
    sessions();
    fields(state);
    history(state);
    medications(state);
    if (!out_.missing.empty() || !out_.errors.empty()) return;
    out_.state_json = state.dump(2, ' ', false, Json::error_handler_t::replace);
    out_.ok = true;
  }

 private:
  void collect(const Json& prefetch) {
    const Json templates = prefetch_templates(map_, false);
    for (const auto& [key, value] : templates.items())
      if (!prefetch.contains(key)) {
        const auto why = ctx_.unfetched.find(key);
        out_.missing.push_back(
            "prefetch '" + key + "' (" + value.get<std::string>() + "); " +
            (why == ctx_.unfetched.end()
                 ? std::string("the request names no fhirServer to fetch it from")
                 : "the FHIR server did not give it: " + why->second));
      }
    for (const auto& [key, value] : prefetch.items()) {
      if (value.is_null()) continue;  // queried, nothing found
      if (!value.is_object()) {
        out_.errors.push_back("prefetch '" + key + "': expected a FHIR resource or Bundle");
        continue;
      }
      if (str(value, "resourceType") == "Bundle") {
        auto it = value.find("entry");
        if (it == value.end()) continue;
        if (!it->is_array()) {
          out_.errors.push_back("prefetch '" + key + "' Bundle.entry: expected an array");
          continue;
        }
        for (const auto& e : *it)
          if (e.is_object() && e.contains("resource") && e["resource"].is_object())
            add(e["resource"], key);
      } else {
        add(value, key);
      }
    }
  }

  void add(const Json& r, const std::string& key) {
    const std::string type = str(r, "resourceType");
    if (type.empty()) {
      out_.errors.push_back("prefetch '" + key + "': a resource without resourceType");
      return;
    }
    if (type == "OperationOutcome") return;
    const std::string status = str(r, "status");
    if (status == "entered-in-error" || status == "cancelled") return;
    auto& list = resources_[type];
    list.push_back(&r);
    // Observations by each of their codings ("system|code"), in prefetch
    // order: a mapped field looks up its own instead of scanning them all.
    if (type == "Observation") {
      const Json& cc = member(r, "code");
      const Json& codings = member(cc, "coding");
      if (codings.is_array())
        for (const auto& c : codings) {
          std::string coding(sv(c, "system"));
          coding += '|';
          coding += sv(c, "code");
          auto& indexed = observations_by_code_[coding];
          if (indexed.empty() || indexed.back().second != &r) indexed.emplace_back(list.size(), &r);
        }
    }
  }

  const std::vector<const Json*>& of(const std::string& type) {
    static const std::vector<const Json*> none;
    auto it = resources_.find(type);
    return it == resources_.end() ? none : it->second;
  }

  void patient(OJson& state) {
    const Json* found = nullptr;
    for (const auto* p : of("Patient"))
      if (ctx_.patient_id.empty() || str(*p, "id") == ctx_.patient_id) found = p;
    if (!found) {
      out_.missing.push_back("the Patient" +
                             (ctx_.patient_id.empty() ? "" : " Patient/" + ctx_.patient_id));
      return;
    }
    if (str(*found, "id").empty()) {
      out_.errors.push_back("Patient.id: missing (it becomes client.id)");
      return;
    }
    state["client"]["id"] = str(*found, "id");
    out_.sources["client.id"] = ref(*found) + ".id";
  }

  void as_of(OJson& state) {
    as_of_ = Date::parse(ctx_.today).value_or(Date{});
    if (!ctx_.encounter_id.empty())
      for (const auto* e : of("Encounter"))
        if (str(*e, "id") == ctx_.encounter_id) {
          std::string element;
          if (auto d = first_date(*e, {"period.start"}, element)) {
            as_of_ = *d;
            out_.sources["as_of"] = ref(*e) + ".period.start";
          }
        }
    state["as_of"] = as_of_.to_string();
  }

  void condition(OJson& state) {
    std::vector<std::string> found;
    for (const auto* c : of("Condition")) {
      const std::string clinical = status_code(member(*c, "clinicalStatus"));
      const std::string verification = status_code(member(*c, "verificationStatus"));
      if (!clinical.empty() && clinical != "active" && clinical != "recurrence" &&
          clinical != "relapse")
        continue;
      if (verification == "refuted" || verification == "entered-in-error") continue;
      for (const auto& m : map_.conditions)
        if (has_coding(member(*c, "code"), m.code)) {
          found.push_back(m.condition);
          if (std::find(ctx_.covered.begin(), ctx_.covered.end(), m.condition) !=
                  ctx_.covered.end() &&
              !state["client"].contains("condition")) {
            state["client"]["condition"] = m.condition;
            out_.sources["client.condition"] = ref(*c) + ".code";
          }
        }
    }
    if (state["client"].contains("condition")) return;
    std::string wanted;
    for (const auto& m : map_.conditions)
      if (std::find(ctx_.covered.begin(), ctx_.covered.end(), m.condition) != ctx_.covered.end())
        wanted += (wanted.empty() ? "" : " or ") + m.code.system + "|" + m.code.code + " (" +
                  m.condition + ")";
    out_.missing.push_back(
        "an active Condition this protocol covers: " +
        (wanted.empty() ? std::string("none of its conditions is mapped") : wanted));
  }

  // Observations with `code`, dated on or before as_of, oldest first.
  std::vector<Dated> observations(const FhirCode& code) {
    std::vector<Dated> out;
    const auto found = observations_by_code_.find(code.system + "|" + code.code);
    if (found == observations_by_code_.end()) return out;
    for (const auto& [order, o] : found->second) {
      std::string element;
      auto d = first_date(
          *o, {"effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued"},
          element);
      if (!d) {
        out_.errors.push_back(ref(*o) + "." + element + ": missing or not a date");
        continue;
      }
      if (*d > as_of_) continue;
      out.push_back({*d, o, order});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Dated& a, const Dated& b) { return a.date < b.date; });
    return out;
  }

  // The value of an Observation as `type`; null (after an error) if unreadable.
  OJson value(const Json& o, FieldMapping::Type type, std::string& element) {
    auto num = [&](const Json& v, const std::string& e) -> OJson {
      element = e;
      if (!v.is_number()) {
        out_.errors.push_back(ref(o) + "." + e + ": expected a number");
        return nullptr;
      }
      const double x = v.get<double>();
      if (type == FieldMapping::Type::integer) {
        if (x != std::floor(x) || std::fabs(x) > 1e9) {
          out_.errors.push_back(ref(o) + "." + e + ": expected a whole number");
          return nullptr;
        }
        return std::int64_t(x);
      }
      if (x == std::floor(x) && std::fabs(x) < 1e15) return std::int64_t(x);
      return x;
    };
    switch (type) {
      case FieldMapping::Type::number:
      case FieldMapping::Type::integer:
        if (o.contains("valueQuantity"))
          return num(member(o["valueQuantity"], "value"), "valueQuantity.value");
        if (o.contains("valueInteger")) return num(o["valueInteger"], "valueInteger");
        if (o.contains("valueDecimal")) return num(o["valueDecimal"], "valueDecimal");
        element = "valueQuantity";
        break;
      case FieldMapping::Type::boolean:
        element = "valueBoolean";
        if (o.contains("valueBoolean")) {
          if (o["valueBoolean"].is_boolean()) return o["valueBoolean"].get<bool>();
          out_.errors.push_back(ref(o) + ".valueBoolean: expected true or false");
          return nullptr;
        }
        break;
      case FieldMapping::Type::code:
        if (o.contains("valueCodeableConcept")) {
          element = "valueCodeableConcept";
          const std::string c = status_code(o["valueCodeableConcept"]);
          if (!c.empty()) return c;
          out_.errors.push_back(ref(o) + ".valueCodeableConcept.coding[0].code: missing");
          return nullptr;
        }
        element = "valueString";
        if (o.contains("valueString")) {
          if (o["valueString"].is_string()) return o["valueString"].get<std::string>();
          out_.errors.push_back(ref(o) + ".valueString: expected a string");
          return nullptr;
        }
        break;
    }
    out_.errors.push_back(ref(o) + ".value[x]: missing (expected " + element + ")");
    return nullptr;
  }

  void fields(OJson& state) {
    for (const auto& f : map_.fields) {
      auto list = observations(f.code);
      OJson v;
      std::string source;
      bool unreadable = false;  // its Observation is there: value() named the element
      using Pick = FieldMapping::Pick;
      if (f.pick == Pick::latest || f.pick == Pick::earliest) {
        if (!list.empty()) {
          const Dated& d = f.pick == Pick::latest ? list.back() : list.front();
          std::string element;
          v = value(*d.resource, f.type, element);
          source = ref(*d.resource) + "." + element;
          unreadable = v.is_null();
        }
      } else {
        int count = 0;
        std::optional<Date> newest;
        for (const auto& d : list) {
          std::string element;
          OJson b = value(*d.resource, FieldMapping::Type::boolean, element);
          if (!b.is_boolean() || !b.get<bool>()) continue;
          newest = d.date;
          if (d.date.days_since_epoch() > as_of_.days_since_epoch() - 30) ++count;
          source = ref(*d.resource) + "." + element;
        }
        if (f.pick == Pick::count_true_30d)
          v = count;  // no flare on record: 0 (the mapping read every flare Observation)
        else if (newest)
          v = as_of_.days_since_epoch() - newest->days_since_epoch();
      }
      if (v.is_null()) {
        if (unreadable) continue;  // listed once, as unreadable, not also as missing
        if (f.required) missing(f);
        if (!f.required_if.empty()) conditional_.push_back(&f);
        continue;
      }
      state[pointer(f.field)] = v;
      out_.sources[f.field] = source;
    }
    for (const auto* f : conditional_) {
      const auto p = pointer(f->required_if);
      if (state.contains(p) && state[p].is_boolean() && state[p].get<bool>()) missing(*f);
    }
  }

  void missing(const FieldMapping& f) {
    out_.missing.push_back(f.field + ": an Observation with code " + f.code.system + "|" +
                           f.code.code);
  }

  struct Session {
    Date date;
    std::vector<std::string> techniques;
    std::set<std::string> procedure_ids;
    OJson ratings = OJson::object();
  };

  void sessions() {
    std::map<std::int64_t, Session> by_day;
    for (const auto* p : of("Procedure")) {
      if (str(*p, "status") != "completed") continue;
      const FhirMap::TechniqueCode* match = nullptr;
      for (const auto& t : map_.procedures)
        if (has_coding(member(*p, "code"), t.code)) match = &t;
      if (!match) continue;
      std::string element;
      auto d = first_date(*p, {"performedDateTime", "performedPeriod.start"}, element);
      if (!d) {
        out_.errors.push_back(ref(*p) + "." + element + ": missing or not a date");
        continue;
      }
      if (*d >= as_of_) continue;  // the session being planned, or later
      Session& s = by_day[d->days_since_epoch()];
      s.date = *d;
      if (std::find(s.techniques.begin(), s.techniques.end(), match->technique) ==
          s.techniques.end())
        s.techniques.push_back(match->technique);
      s.procedure_ids.insert(str(*p, "id"));
    }
    for (auto& [day, s] : by_day) sessions_.push_back(std::move(s));
    for (const auto& f : map_.session_fields)
      for (const auto& d : observations(f.code)) {
        Session* target = nullptr;
        if (auto it = d.resource->find("partOf"); it != d.resource->end() && it->is_array()) {
          for (const auto& part : *it) {
            const std::string r = str(part, "reference");
            for (auto& s : sessions_)
              for (const auto& id : s.procedure_ids)
                if (r == "Procedure/" + id) target = &s;
          }
        } else {
          const Date day = f.day_after ? d.date.plus_days(-1) : d.date;
          for (auto& s : sessions_)
            if (s.date == day) target = &s;
        }
        if (!target) continue;
        std::string element;
        OJson v = value(*d.resource, f.type, element);
        if (!v.is_null()) target->ratings[f.field] = v;
      }
  }

  void history(OJson& state) {
    OJson program = state.contains("program") ? state["program"] : OJson::object();
    program["sessions_completed"] = sessions_.size();
    if (!sessions_.empty())
      program["weeks_in_program"] =
          (as_of_.days_since_epoch() - sessions_.front().date.days_since_epoch()) / 7;
    state["program"] = program;
    OJson list = OJson::array();
    for (const auto& s : sessions_) {
      OJson entry{{"date", s.date.to_string()}, {"techniques", s.techniques}};
      for (const auto& [k, v] : s.ratings.items()) entry[k] = v;
      list.push_back(entry);
    }
    if (!list.empty()) state["history"] = list;
  }

  void medications(OJson& state) {
    bool changed = false;
    if (!sessions_.empty()) {
      const Date last = sessions_.back().date;
      for (const auto& type : map_.medication_resources)
        for (const auto* m : of(type)) {
          std::string element;
          std::optional<Date> d;
          if (type == "MedicationRequest")
            d = first_date(*m, {"authoredOn"}, element);
          else if (type == "MedicationStatement")
            d = first_date(*m, {"effectiveDateTime", "effectivePeriod.start", "dateAsserted"},
                           element);
          else if (type == "MedicationAdministration")
            d = first_date(*m, {"effectiveDateTime", "effectivePeriod.start"}, element);
          else
            d = first_date(*m, {"whenHandedOver", "whenPrepared"}, element);
          if (!d) {
            out_.errors.push_back(ref(*m) + "." + element + ": missing or not a date");
            continue;
          }
          if (*d > last && *d <= as_of_) {
            changed = true;
            out_.sources["medications_changed"] = ref(*m) + "." + element;
          }
        }
    }
    state["medications_changed"] = changed;
  }

  const FhirMap& map_;
  const MapContext& ctx_;
  MappedState& out_;
  Date as_of_;
  std::map<std::string, std::vector<const Json*>> resources_;
  // "system|code" -> (position among the Observations, 1-based; resource)
  std::map<std::string, std::vector<std::pair<std::size_t, const Json*>>> observations_by_code_;
  std::vector<Session> sessions_;
  std::vector<const FieldMapping*> conditional_;
};

}  // namespace

MappedState map_prefetch(const FhirMap& map, const Json& prefetch, const MapContext& context) {
  MappedState out;
  try {
    Mapper(map, context, out).run(prefetch);
  } catch (const std::exception& e) {
    out.ok = false;
    out.errors.push_back(std::string("the prefetch could not be read: ") + e.what());
  }
  return out;
}

}  // namespace fascia::serve
