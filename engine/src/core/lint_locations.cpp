#include "core/lint_locations.hpp"

#include <charconv>
#include <map>
#include <string>
#include <vector>

namespace fascia::detail {

// Where each rule, stage and ladder step is written in the file.
struct LintLocations::Impl {
 public:
  Impl(const ProtocolModel& model, const yaml::Document* document) : model_(model) {
    if (!document) return;
    document_ = document;
    const yaml::Node& root = document->root;
    for (const char* section : {"pressure_caps", "flare_response", "rules", "healing_response"})
      if (const auto* n = root.find(section)) add_rules(*n);
    if (const auto* f = root.find("frequency")) {
      for (const char* section : {"step_down", "step_up"})
        if (const auto* n = f->find(section)) add_rules(*n);
      if (const auto* ladder = f->find("ladder"); ladder && ladder->is_sequence())
        for (const auto& step : ladder->items)
          ladder_.push_back(yaml::location_of(*document, step));
    }
    if (const auto* stages = root.find("stages"); stages && stages->is_sequence())
      for (const auto& s : stages->items)
        for (const char* section : {"advance", "hold", "regress"})
          if (const auto* n = s.find(section)) add_rules(*n);
  }

  SourceLocation rule(const Rule& r) const {
    if (auto it = rules_.find(r.id); it != rules_.end()) return it->second;
    // The line of "name:line" as recorded by the loader, in the file as given.
    SourceLocation l{model_.file, 0, 0};
    const auto colon = r.source.rfind(':');
    if (colon != std::string::npos)
      std::from_chars(r.source.data() + colon + 1, r.source.data() + r.source.size(), l.line);
    return l;
  }
  SourceLocation ladder_step(std::size_t i) const {
    return i < ladder_.size() ? ladder_[i] : SourceLocation{model_.file, 0, 0};
  }

  void add_rules(const yaml::Node& list) {
    if (!list.is_sequence()) return;
    for (const auto& r : list.items)
      if (const auto* id = r.find("id"); id && id->is_scalar())
        rules_.emplace(id->value, yaml::location_of(*document_, r));
  }

  const ProtocolModel& model_;
  const yaml::Document* document_ = nullptr;
  std::map<std::string, SourceLocation> rules_;
  std::vector<SourceLocation> ladder_;
};

LintLocations::LintLocations(const ProtocolModel& model, const yaml::Document* document)
    : impl_(std::make_unique<Impl>(model, document)) {}
LintLocations::~LintLocations() = default;
SourceLocation LintLocations::rule(const Rule& r) const { return impl_->rule(r); }
SourceLocation LintLocations::ladder_step(std::size_t i) const { return impl_->ladder_step(i); }

}  // namespace fascia::detail
