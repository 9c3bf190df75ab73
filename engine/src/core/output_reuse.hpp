#pragma once
// Writing a recommendation in place: a recommendation reused from the last
// evaluation (Protocol::evaluate_into) keeps its strings' and lists'
// memory, so most of an evaluation's output is compared, not copied.

#include "common/same_text.hpp"

#include <fascia/client_state.hpp>
#include <fascia/param.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fascia::detail {

// Assigns unless the text is already there: a reused recommendation mostly
// gets the same ids, sources and provenance again, and comparing them costs
// less than copying them.
[[gnu::always_inline]] inline void set_if_changed(std::string& out, std::string_view text) {
  if (!same_text(out, text)) out.assign(text.data(), text.size());
}

void append_int(std::string& out, long long value);

// Date::to_string() ("%04d-%02d-%02d") without snprintf for ordinary dates.
void set_date(std::string& out, const Date& d);

// The next element of `items` to write: an old one while there are any,
// then a new one. `used` counts the elements written so far.
template <class T>
T& reuse_slot(std::vector<T>& items, std::size_t& used) {
  if (used < items.size()) return items[used++];
  ++used;
  return items.emplace_back();
}

// Drops what a reused list had beyond this evaluation's `used` elements.
template <class T>
void trim_unused(std::vector<T>& items, std::size_t used) {
  if (items.size() > used)
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(used), items.end());
}

inline void set_text(ParamValue& value, std::string_view text) {
  if (auto* s = std::get_if<std::string>(&value))
    set_if_changed(*s, text);
  else
    value.emplace<std::string>(text);
}

}  // namespace fascia::detail
