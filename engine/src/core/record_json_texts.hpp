#pragma once
// The protocol's texts that recommendation JSON repeats line after line:
// rule ids and sources, reasons without placeholders, check-ins, notes, each
// technique's id, plugin and version, and write_head()'s members. Quoted and
// escaped once per protocol and thread, then copied (record_render.cpp):
// fascia batch's JSON writing went from 19,261 to 17,633 instructions a line
// (callgrind, --threads 1, 2,000 generated lines), the same bytes.

#include "core/protocol_model.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fascia::detail {

class RecordJsonTexts {
 public:
  // Each "quoted", of one rule; `reason` empty when the reason has
  // placeholders (rendered for each recommendation).
  struct RuleTexts {
    std::string id, source, reason, check_in, note;
  };

  // Switches to `model`'s texts (the rules' at once, the rest as they are
  // first asked for); true when they were another protocol's.
  bool use(const ProtocolModel& model);
  const RuleTexts& rule(std::size_t index) const { return rules_[index]; }
  // "id":"...","plugin":"...","plugin_version":"..." of a technique.
  std::string_view technique(const TechniqueEntry& entry);
  // write_head()'s members, written by the caller when use() returns true.
  std::string head;

 private:
  std::uint64_t serial_ = 0;
  std::vector<RuleTexts> rules_;
  std::deque<std::pair<const TechniqueEntry*, std::string>> techniques_;  // stable
};

}  // namespace fascia::detail
