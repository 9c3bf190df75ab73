// Reading and checking the FHIR mapping file (fhir/default-map.yaml).
#include "fhir_map.hpp"

#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <set>

namespace fascia::serve {

namespace yaml = fascia::detail::yaml;

namespace {

const std::set<std::string> state_fields = {
    "pain.current",    "pain.baseline", "sensitivity",       "pressure_tolerance",
    "sleep_quality",   "flare.active",  "flare.severity",    "flare.days_since_last",
    "flare.count_30d", "program.stage", "program.frequency", "program.missed_sessions_30d"};
const std::set<std::string> session_field_names = {"pressure", "soreness_24h", "pain_before",
                                                   "pain_after"};

class MapReader {
 public:
  MapReader(const yaml::Document& d, Diagnostics& diagnostics) : reader_(d, diagnostics) {}

  void read(const yaml::Node& root, FhirMap& out) {
    if (!reader_.expect_mapping(
            root, "FHIR map",
            {"fhir_map", "version", "conditions", "fields", "sessions", "medications"},
            {"fhir_map", "version", "conditions", "fields"}))
      return;
    if (const auto* n = root.find("fhir_map"))
      if (auto v = reader_.integer(*n, "fhir_map", 0, 1000); v && *v != 1)
        reader_.error(*n, "FHIR map format " + std::to_string(*v) +
                              " is not supported; this fascia reads format 1");
    if (const auto* n = root.find("version"))
      if (auto v = reader_.string(*n, "version")) out.version = *v;
    if (const auto* n = root.find("conditions"); n && reader_.expect_sequence(*n, "conditions"))
      for (const auto& item : n->items) {
        if (!reader_.expect_mapping(item, "condition", {"system", "code", "condition"},
                                    {"system", "code", "condition"}))
          continue;
        FhirMap::ConditionCode c;
        c.code = code(item);
        if (auto v = reader_.string(*item.find("condition"), "condition")) c.condition = *v;
        out.conditions.push_back(std::move(c));
      }
    if (const auto* n = root.find("fields"); n && reader_.expect_sequence(*n, "fields"))
      for (const auto& item : n->items) field(item, false, out.fields);
    if (const auto* n = root.find("sessions");
        n && reader_.expect_mapping(*n, "sessions", {"procedures", "fields"}, {"procedures"})) {
      if (const auto* p = n->find("procedures"); p && reader_.expect_sequence(*p, "procedures"))
        for (const auto& item : p->items) {
          if (!reader_.expect_mapping(item, "procedure", {"system", "code", "technique"},
                                      {"system", "code", "technique"}))
            continue;
          FhirMap::TechniqueCode t;
          t.code = code(item);
          if (auto v = reader_.string(*item.find("technique"), "technique")) t.technique = *v;
          out.procedures.push_back(std::move(t));
        }
      if (const auto* f = n->find("fields"); f && reader_.expect_sequence(*f, "session fields"))
        for (const auto& item : f->items) field(item, true, out.session_fields);
    }
    if (const auto* n = root.find("medications"))
      if (auto list = reader_.string_list(*n, "medications")) {
        for (const auto& m : *list) {
          if (m != "MedicationRequest" && m != "MedicationStatement" &&
              m != "MedicationAdministration" && m != "MedicationDispense")
            reader_.error(*n, "unknown medication resource '" + m +
                                  "'; expected MedicationRequest, MedicationStatement, "
                                  "MedicationAdministration or MedicationDispense");
          else
            out.medication_resources.push_back(m);
        }
      }
  }

 private:
  FhirCode code(const yaml::Node& item) {
    FhirCode c;
    if (auto v = reader_.string(*item.find("system"), "system")) c.system = *v;
    if (auto v = reader_.string(*item.find("code"), "code")) c.code = *v;
    return c;
  }

  void field(const yaml::Node& item, bool session, std::vector<FieldMapping>& out) {
    if (!reader_.expect_mapping(
            item, "field",
            {"field", "system", "code", "pick", "type", "required", "required_if", "day_after"},
            {"field", "system", "code"}))
      return;
    FieldMapping f;
    f.code = code(item);
    if (auto v = reader_.string(*item.find("field"), "field")) {
      f.field = *v;
      const bool known = session ? session_field_names.count(*v) != 0
                                 : state_fields.count(*v) != 0 || v->rfind("observations.", 0) == 0;
      if (!known) {
        const auto& names = session ? session_field_names : state_fields;
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        reader_.error(*item.find("field"), "unknown client-state field '" + *v +
                                               "'; expected one of: " + list +
                                               (session ? "" : ", observations.NAME"));
      }
    }
    if (const auto* n = item.find("pick"))
      if (auto v = reader_.one_of(
              *n, "pick", {"latest", "earliest", "days_since_latest_true", "count_true_30d"})) {
        if (*v == "earliest") f.pick = FieldMapping::Pick::earliest;
        if (*v == "days_since_latest_true") f.pick = FieldMapping::Pick::days_since_latest_true;
        if (*v == "count_true_30d") f.pick = FieldMapping::Pick::count_true_30d;
      }
    if (const auto* n = item.find("type"))
      if (auto v = reader_.one_of(*n, "type", {"number", "integer", "boolean", "code"})) {
        if (*v == "integer") f.type = FieldMapping::Type::integer;
        if (*v == "boolean") f.type = FieldMapping::Type::boolean;
        if (*v == "code") f.type = FieldMapping::Type::code;
      }
    if (const auto* n = item.find("required"))
      if (auto v = reader_.boolean(*n, "required")) f.required = *v;
    if (const auto* n = item.find("required_if"))
      if (auto v = reader_.string(*n, "required_if")) f.required_if = *v;
    if (const auto* n = item.find("day_after"))
      if (auto v = reader_.boolean(*n, "day_after")) f.day_after = *v;
    const bool counts = f.pick == FieldMapping::Pick::days_since_latest_true ||
                        f.pick == FieldMapping::Pick::count_true_30d;
    if (counts && f.type != FieldMapping::Type::boolean)
      reader_.error(item, "pick '" +
                              std::string(f.pick == FieldMapping::Pick::count_true_30d
                                              ? "count_true_30d"
                                              : "days_since_latest_true") +
                              "' reads boolean Observations: set type: boolean");
    out.push_back(std::move(f));
  }

  yaml::Reader reader_;
};

}  // namespace

bool load_fhir_map(const std::string& path, FhirMap& out, Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  yaml::Document document;
  if (!yaml::load_document(path, Limits{}, document, diagnostics)) return false;
  out = FhirMap{};
  out.file = path;
  MapReader(document, diagnostics).read(document.root, out);
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

nlohmann::ordered_json prefetch_templates(const FhirMap& map, bool encounter) {
  std::set<std::string> seen;
  std::string codes;
  for (const auto* list : {&map.fields, &map.session_fields})
    for (const auto& f : *list) {
      const std::string token = f.code.system + "|" + f.code.code;
      if (seen.insert(token).second) codes += (codes.empty() ? "" : ",") + token;
    }
  nlohmann::ordered_json out{
      {"patient", "Patient/{{context.patientId}}"},
      {"conditions", "Condition?patient={{context.patientId}}"},
      {"observations", "Observation?patient={{context.patientId}}&code=" + codes},
      {"procedures", "Procedure?patient={{context.patientId}}&status=completed"}};
  for (const auto& m : map.medication_resources)
    out[std::string(1, char(m[0] + ('a' - 'A'))).append(m, 1).append("s")] =
        m + "?patient={{context.patientId}}";
  if (encounter) out["encounter"] = "Encounter/{{context.encounterId}}";
  return out;
}

}  // namespace fascia::serve
