#pragma once
// FHIR R4 resources (a CDS Hooks prefetch) -> a format-1 client state, by a
// versioned YAML mapping file (fhir/default-map.yaml, docs/serve.md). The
// mapping never guesses: a required value that no resource gives is listed
// as missing, and a resource element that cannot be read is an error naming
// the resource, its id and the element ("Observation/obs-7.valueQuantity").

#include <fascia/diagnostic.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fascia::serve {

struct FhirCode {
  std::string system, code;
};

struct FieldMapping {
  std::string field;  // dotted client-state path
  FhirCode code;
  enum class Pick { latest, earliest, days_since_latest_true, count_true_30d } pick = Pick::latest;
  enum class Type { number, integer, boolean, code } type = Type::number;
  bool required = false;
  std::string required_if;  // a boolean field
  bool day_after = false;   // session fields: dated the day after the session
};

struct FhirMap {
  std::string file;
  std::string version;
  struct ConditionCode {
    FhirCode code;
    std::string condition;
  };
  std::vector<ConditionCode> conditions;
  std::vector<FieldMapping> fields;
  struct TechniqueCode {
    FhirCode code;
    std::string technique;
  };
  std::vector<TechniqueCode> procedures;
  std::vector<FieldMapping> session_fields;
  std::vector<std::string> medication_resources;
};

// Reads and checks a mapping file; false after appending located errors.
bool load_fhir_map(const std::string& path, FhirMap& out, Diagnostics& diagnostics);

// The prefetch templates the mapping reads (CDS Hooks discovery).
nlohmann::ordered_json prefetch_templates(const FhirMap& map, bool encounter);

struct MappedState {
  bool ok = false;
  std::string state_json;                      // the format-1 client state (when ok)
  std::vector<std::string> missing;            // what no resource gives
  std::vector<std::string> errors;             // elements that cannot be read
  std::map<std::string, std::string> sources;  // state path -> "Observation/7.valueQuantity"
};

struct MapContext {
  std::string patient_id;            // context.patientId
  std::string encounter_id;          // context.encounterId (encounter-start)
  std::string today;                 // YYYY-MM-DD: as_of unless the encounter gives a date
  std::vector<std::string> covered;  // the conditions the protocol covers
  // Prefetch keys the request lacked and its FHIR server did not give,
  // with why (fhir_fetch.hpp); a lacking key not listed here had no
  // fhirServer to fetch it from.
  std::map<std::string, std::string> unfetched;
};

// `prefetch` is the request's prefetch object (Bundles or single resources).
MappedState map_prefetch(const FhirMap& map, const nlohmann::json& prefetch,
                         const MapContext& context);

}  // namespace fascia::serve
