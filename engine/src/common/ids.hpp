#pragma once
// The one validator for every kind of id a protocol, a plugin or a
// recommendation carries. The JSON schemas state the same rules as
// patterns (tests/core/ids_test.cpp checks that they agree).

#include <string>
#include <string_view>

namespace fascia::detail {

enum class IdKind {
  protocol,     // protocol.id: it appears in every recommendation, so lower case
  id,           // condition, stage, frequency, technique and home-item ids
  observation,  // observations.NAME: also an expression identifier part
  rule,         // rule ids, plugin-made rule ids (may contain '.')
};

// At most this many characters, for every kind.
inline constexpr std::size_t max_id_length = 128;

bool is_valid_id(IdKind kind, std::string_view id) noexcept;

// What the characters of `kind` may be, for messages: "may only use " + this.
std::string_view id_characters(IdKind kind) noexcept;

}  // namespace fascia::detail
