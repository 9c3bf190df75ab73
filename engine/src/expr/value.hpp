#pragma once
// The runtime value of the expression language. Cheap to copy: strings and
// lists point into the client state or the compiled expression, both of which
// outlive an evaluation.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace fascia::detail {

// Static types, checked at protocol load.
enum class Type : std::uint8_t {
  boolean,
  number,
  string,       // free text or an enum (then FieldInfo::enum_values is set)
  string_list,  // e.g. last.techniques, or a literal list of strings
  number_list,  // a literal list of numbers
  series,       // history.FIELD: only valid as an argument of history functions
};
const char* to_string(Type type) noexcept;

struct Value {
  enum class Kind : std::uint8_t {
    missing,  // the input has no value (optional field absent, no history)
    error,    // evaluation failed (division by zero, plugin function failed)
    boolean,
    number,
    string,
    string_list,
    number_list,
  };
  Value() noexcept : number(0) {}

  Kind kind = Kind::missing;
  // Only the member `kind` names is meaningful (none for missing and error):
  // 24 bytes instead of 64, as values are copied on every load and push.
  union {
    bool boolean;
    double number;
    std::string_view string;
    // string_list: points at a std::vector<std::string> of the state (e.g.
    // HistoryEntry::techniques) or of the compiled expression, so that
    // reading a list field never allocates.
    std::span<const std::string> strings;
    std::span<const double> numbers;  // number_list
  };

  static Value make_missing() noexcept { return {}; }
  static Value make_error() noexcept {
    Value v;
    v.kind = Kind::error;
    return v;
  }
  static Value make_bool(bool b) noexcept {
    Value v;
    v.kind = Kind::boolean;
    v.boolean = b;
    return v;
  }
  static Value make_number(double n) noexcept {
    Value v;
    v.kind = Kind::number;
    v.number = n;
    return v;
  }
  static Value make_string(std::string_view s) noexcept {
    Value v;
    v.kind = Kind::string;
    v.string = s;
    return v;
  }
  static Value make_strings(std::span<const std::string> list) noexcept {
    Value v;
    v.kind = Kind::string_list;
    v.strings = list;
    return v;
  }
  static Value make_numbers(std::span<const double> list) noexcept {
    Value v;
    v.kind = Kind::number_list;
    v.numbers = list;
    return v;
  }
  bool is_known() const noexcept { return kind != Kind::missing && kind != Kind::error; }
};
static_assert(sizeof(Value) == 24 && std::is_trivially_copyable_v<Value>);

}  // namespace fascia::detail
