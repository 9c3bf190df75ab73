// Fuzz target: a CDS Hooks request body (FHIR R4 prefetch) through the FHIR
// mapping of `fascia serve` (engine/src/serve/fhir_map.cpp) with the bundled
// default map. Whatever the resources hold, the mapping must not crash, and
// must either build a state that is one JSON object with the keys a format-1
// state needs, or say what is missing or unreadable: never both, never
// neither.
#include "fhir_map.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
const fascia::serve::FhirMap& default_map() {
  static const fascia::serve::FhirMap map = [] {
    fascia::serve::FhirMap m;
    fascia::Diagnostics d;
    if (!fascia::serve::load_fhir_map(FASCIA_SOURCE_DIR "/fhir/default-map.yaml", m, d)) {
      for (const auto& x : d) std::fprintf(stderr, "%s\n", x.to_string().c_str());
      std::abort();
    }
    return m;
  }();
  return map;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = nlohmann::json::parse(data, data + size, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return 0;
  static const nlohmann::json empty = nlohmann::json::object();
  const auto it = body.find("prefetch");
  const nlohmann::json& prefetch = it == body.end() ? empty : *it;
  fascia::serve::MapContext context;
  context.patient_id = "C-1042";
  context.encounter_id = "enc-1";
  context.today = "2026-12-02";
  context.covered = {"fibromyalgia"};
  const auto mapped = fascia::serve::map_prefetch(default_map(), prefetch, context);
  const bool told = !mapped.missing.empty() || !mapped.errors.empty();
  if (mapped.ok == told) std::abort();
  if (mapped.ok) {
    const auto state = nlohmann::json::parse(mapped.state_json, nullptr, false);
    if (!state.is_object() || !state.contains("client") || !state.contains("pain") ||
        !state.contains("flare") || !state.contains("as_of"))
      std::abort();
  }
  return 0;
}
