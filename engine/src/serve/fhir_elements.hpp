#pragma once
// Reading elements of FHIR R4 resources (nlohmann JSON) for the prefetch
// mapping (fhir_map.cpp): strings without copies, dates, codings, paths.

#include "fhir_map.hpp"

#include <fascia/client_state.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace fascia::serve::fhir_elements {

using Json = nlohmann::json;

// j[key] as a string view (empty if absent or not a string): no copy.
std::string_view sv(const Json& j, const char* key);
std::string str(const Json& j, const char* key);

// r[key], or a null value, without copying.
const Json& member(const Json& r, const char* key);

// "ResourceType/id".
std::string ref(const Json& r);

// The date part of a FHIR date/dateTime/instant, if it is one.
std::optional<Date> fhir_date(const Json& j);

// The first of `elements` (dotted paths) the resource has, as a date;
// `element` names it.
std::optional<Date> first_date(const Json& r, std::initializer_list<const char*> elements,
                               std::string& element);

// Whether the CodeableConcept `cc` has a coding of `code`.
bool has_coding(const Json& cc, const FhirCode& code);

// The code of the first coding of `cc` (a status), or "".
std::string status_code(const Json& cc);

// "a.b" as the JSON pointer "/a/b".
Json::json_pointer pointer(const std::string& dotted);

}  // namespace fascia::serve::fhir_elements
