#pragma once
// Fetching what a CDS Hooks request's prefetch lacks from the EHR's FHIR
// server (the request's `fhirServer`, with `fhirAuthorization`'s bearer
// token): one bounded HTTP(S) GET per missing prefetch template, on
// Boost.Beast, with a deadline and a size limit. docs/serve.md, "FHIR
// server fetch".

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace fascia::serve {

struct FhirFetch {
  bool ok = false;
  nlohmann::json resource;  // the resource or Bundle (when ok)
  std::string error;        // why not, without the response's content
};

// GET `base_url` + "/" + `query` (a prefetch template with its tokens
// filled in), Accept: application/fhir+json. `bearer` may be empty.
FhirFetch fhir_get(const std::string& base_url, const std::string& query, const std::string& bearer,
                   std::chrono::steady_clock::time_point deadline,
                   std::size_t max_bytes = std::size_t(8) << 20);

}  // namespace fascia::serve
