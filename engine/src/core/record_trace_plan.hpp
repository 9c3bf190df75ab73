#pragma once
// What rendering the --explain trace needs of a protocol, worked out once per
// protocol and thread (record_render.cpp): each stage's rules in the order
// SessionPlan::run() evaluates them, and the fields each rule's condition
// reads as slots shared by every rule that reads the same field, so that a
// field read by several rules (flare.active by nine in fibromyalgia.yaml) is
// read and written as text once per evaluation.

#include "core/protocol_model.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

class TracePlan {
 public:
  // Switches to `model`'s plan (built the first time it is asked for).
  void use(const ProtocolModel& model) {
    if (serial_ == model.serial) return;
    serial_ = model.serial;
    fields_.clear();
    rule_slots_.assign(1, 0);
    slots_.clear();
    for (const Rule& rule : model.rules) {
      for (const FieldInfo* f : rule.when.fields_used()) {
        std::uint32_t slot = 0;
        while (slot < fields_.size() && fields_[slot] != f) ++slot;
        if (slot == fields_.size()) fields_.push_back(f);
        slots_.push_back(slot);
      }
      rule_slots_.push_back(static_cast<std::uint32_t>(slots_.size()));
    }
    texts_.resize(fields_.size());
    views_.resize(fields_.size());
    order_.clear();
    read_.clear();
    for (const Stage& stage : model.stages) {
      auto& order = order_.emplace_back();
      for (const auto* rules :
           {&model.healing, &stage.regress, &stage.hold, &model.step_up, &model.caps, &model.flare,
            &model.general, &stage.advance, &model.step_down})
        order.insert(order.end(), rules->begin(), rules->end());
      auto& read = read_.emplace_back();
      for (std::size_t rule : order)
        for (std::uint32_t i = rule_slots_[rule]; i < rule_slots_[rule + 1]; ++i)
          if (std::find(read.begin(), read.end(), slots_[i]) == read.end())
            read.push_back(slots_[i]);
    }
  }
  // The rules a decision in `stage` evaluates, in the order it evaluates them.
  const std::vector<std::size_t>& order(std::size_t stage) const { return order_[stage]; }
  // The text of every field the rules of order(stage) read, as the trace
  // shows it (`text(field, scratch)`: a view, written into `scratch` if need be).
  template <class F>
  void read_fields(std::size_t stage, F text) {
    for (std::uint32_t slot : read_[stage]) views_[slot] = text(*fields_[slot], texts_[slot]);
  }
  std::size_t count(std::size_t index) const { return rule_slots_[index + 1] - rule_slots_[index]; }
  // f(path, text) for each field rule `index`'s condition reads.
  // (Locals, not members, in the loop: f's character stores could alias them.)
  template <class F>
  void values(std::size_t index, F f) const {
    const std::uint32_t* slot = slots_.data() + rule_slots_[index];
    const std::uint32_t* const end = slots_.data() + rule_slots_[index + 1];
    const FieldInfo* const* fields = fields_.data();
    const std::string_view* views = views_.data();
    for (; slot != end; ++slot) f(std::string_view(fields[*slot]->path), views[*slot]);
  }

 private:
  std::uint64_t serial_ = 0;
  std::vector<std::vector<std::size_t>> order_;   // per stage
  std::vector<std::vector<std::uint32_t>> read_;  // per stage: the slots its rules read
  std::vector<const FieldInfo*> fields_;          // per slot
  std::vector<std::uint32_t> rule_slots_;         // per rule + 1: its range of slots_
  std::vector<std::uint32_t> slots_;
  std::vector<std::string> texts_;  // per slot, this evaluation's
  std::vector<std::string_view> views_;
};

}  // namespace fascia::detail
