#pragma once
// The details of a trace entry's outcome, for both forms (record_render.cpp
// finds the note or hold; written here, out of its way).

#include "core/record_render.hpp"

#include <string>

namespace fascia::detail {

// The detail of a rule's note, written over `detail`.
void write_note_detail(const RecordView& v, const RuleNote& note, std::string& detail);
// The detail of a rule's hold, written over `detail`.
void write_held_detail(const DecisionRecord& record, const RuleHeld& held, std::string& detail);

}  // namespace fascia::detail
