#pragma once
// The protocol's texts that recommendation JSON repeats line after line:
// rule ids and sources, reasons without placeholders, check-ins, notes, each
// technique's id, plugin and version, and write_head()'s members. Quoted and
// escaped once per protocol and thread, then copied (record_render.cpp):
// fascia batch's JSON writing went from 19,261 to 17,633 instructions a line
// (callgrind, --threads 1, 2,000 generated lines), the same bytes.

#include "core/protocol_model.hpp"

#include <array>
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
  // Of one rule: its id, check-in and note "quoted"; the members of its
  // adjustments after the value: `rule_key` (,"rule":"id","reason":) and
  // `source_tail` (,"source":"..."}) around a reason, and the three in one
  // `tail` when the reason is constant (empty when it has placeholders).
  // All of them, and reason_pieces (the literals of a reason with
  // placeholders, escaped), with the 15 bytes after them that JsonWriter's
  // copies read.
  struct RuleTexts {
    std::string id, check_in, note, rule_key, source_tail, tail;
    std::vector<std::string> reason_pieces;
  };
  // {"kind":"...","value": of each AdjustmentKind.
  std::string_view kind_head(AdjustmentKind kind) const {
    return kind_heads_[static_cast<std::size_t>(kind)];
  }

  // Switches to `model`'s texts (the rules' at once, the rest as they are
  // first asked for); true when they were another protocol's.
  bool use(const ProtocolModel& model) { return serial_ != model.serial && switch_to(model); }
  const RuleTexts& rule(std::size_t index) const { return rules_[index]; }
  // "id":"...","plugin":"...","plugin_version":"..." of a technique.
  std::string_view technique(const TechniqueEntry& entry) {
    for (const auto& [e, json] : techniques_)
      if (e == &entry) return json;
    return add_technique(entry);
  }
  // write_head()'s members, written by the caller when use() returns true
  // (then padded with pad()).
  std::string head;
  static void pad(std::string& text) { text.reserve(text.size() + 16); }

 private:
  bool switch_to(const ProtocolModel& model);
  std::string_view add_technique(const TechniqueEntry& entry);
  std::uint64_t serial_ = 0;
  std::vector<RuleTexts> rules_;
  std::array<std::string, static_cast<std::size_t>(AdjustmentKind::frequency_held) + 1> kind_heads_;
  std::deque<std::pair<const TechniqueEntry*, std::string>> techniques_;  // stable
};

}  // namespace fascia::detail
