// The public metadata of a Protocol (fascia/protocol.hpp): stages,
// frequencies, observations and techniques, copied out of the compiled model
// for integrators (titles, intake forms), the CLI's human output and the C API.
#include <fascia/protocol.hpp>

#include "core/protocol_model.hpp"
#include "plugin_host/plugin_host.hpp"

namespace fascia {

const char* to_string(ObservationInfo::Type type) noexcept {
  switch (type) {
    case ObservationInfo::Type::integer:
      return "integer";
    case ObservationInfo::Type::number:
      return "number";
    case ObservationInfo::Type::boolean:
      return "boolean";
    case ObservationInfo::Type::enumeration:
      return "enum";
    case ObservationInfo::Type::string:
      return "string";
  }
  return "string";
}

namespace {

ObservationInfo::Type observation_type(detail::ObservationDecl::Kind kind) noexcept {
  using Kind = detail::ObservationDecl::Kind;
  switch (kind) {
    case Kind::integer:
      return ObservationInfo::Type::integer;
    case Kind::number:
      return ObservationInfo::Type::number;
    case Kind::boolean:
      return ObservationInfo::Type::boolean;
    case Kind::enumeration:
      return ObservationInfo::Type::enumeration;
    case Kind::string:
      return ObservationInfo::Type::string;
  }
  return ObservationInfo::Type::string;
}

}  // namespace

const std::string& Protocol::description() const noexcept { return model_->description; }

std::vector<StageInfo> Protocol::stages() const {
  std::vector<StageInfo> out;
  out.reserve(model_->stages.size());
  for (const auto& s : model_->stages) {
    StageInfo info{s.id, s.title, s.source, s.pressure_max, {}};
    for (const auto& t : s.techniques)
      if (t.entry) info.techniques.push_back(t.entry->info.id);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<FrequencyInfo> Protocol::frequencies() const {
  std::vector<FrequencyInfo> out;
  out.reserve(model_->ladder.size());
  for (const auto& f : model_->ladder) out.push_back({f.id, f.title, f.interval_days});
  return out;
}

std::vector<ObservationInfo> Protocol::observations() const {
  std::vector<ObservationInfo> out;
  out.reserve(model_->observations.size());
  for (const auto& o : model_->observations)
    out.push_back(
        {o.name, observation_type(o.kind), o.values, o.min, o.max, o.required, o.description});
  return out;
}

std::vector<ProtocolTechniqueInfo> Protocol::techniques() const {
  std::vector<ProtocolTechniqueInfo> out;
  out.reserve(model_->techniques.size());
  for (const auto& t : model_->techniques) {
    if (!t.entry) continue;
    ProtocolTechniqueInfo info;
    info.id = t.entry->info.id;
    info.title = t.entry->info.display_name;
    if (t.entry->plugin) {
      info.plugin = t.entry->plugin->description.name;
      info.plugin_version = t.entry->plugin->description.version;
    }
    info.flare_safe = t.entry->info.flare_safe;
    info.max_pressure = t.entry->info.max_pressure;
    out.push_back(std::move(info));
  }
  return out;
}

std::string Protocol::stage_title(std::string_view id) const {
  for (const auto& s : model_->stages)
    if (s.id == id) return s.title.empty() ? s.id : s.title;
  return std::string(id);
}

std::string Protocol::frequency_title(std::string_view id) const {
  for (const auto& f : model_->ladder)
    if (f.id == id) return f.title.empty() ? f.id : f.title;
  return std::string(id);
}

}  // namespace fascia
