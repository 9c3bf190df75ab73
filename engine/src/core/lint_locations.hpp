#pragma once
// Where each rule, stage and ladder step of a protocol is written in its
// file, for the lint's located warnings (file:line:col).

#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>

#include <memory>

namespace fascia::detail {

class LintLocations {
 public:
  // Without a document, rules fall back to their recorded "file:line".
  LintLocations(const ProtocolModel& model, const yaml::Document* document);
  ~LintLocations();
  LintLocations(const LintLocations&) = delete;
  LintLocations& operator=(const LintLocations&) = delete;

  SourceLocation rule(const Rule& r) const;
  SourceLocation ladder_step(std::size_t i) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fascia::detail
