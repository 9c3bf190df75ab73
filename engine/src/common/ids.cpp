#include "common/ids.hpp"

namespace fascia::detail {

namespace {

constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr bool allowed(IdKind kind, char c) noexcept {
  switch (kind) {
    case IdKind::protocol:
      return is_lower(c) || is_digit(c) || c == '_' || c == '-';
    case IdKind::id:
      return is_lower(c) || is_upper(c) || is_digit(c) || c == '_' || c == '-';
    case IdKind::observation:
      return is_lower(c) || is_upper(c) || is_digit(c) || c == '_';
    case IdKind::rule:
      return is_lower(c) || is_upper(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
  }
  return false;
}

}  // namespace

bool is_valid_id(IdKind kind, std::string_view id) noexcept {
  if (id.empty() || id.size() > max_id_length) return false;
  for (char c : id)
    if (!allowed(kind, c)) return false;
  return true;
}

std::string_view id_characters(IdKind kind) noexcept {
  switch (kind) {
    case IdKind::protocol:
      return "lower-case letters, digits, '_' and '-'";
    case IdKind::id:
      return "letters, digits, '_' and '-'";
    case IdKind::observation:
      return "letters, digits and '_'";
    case IdKind::rule:
      return "letters, digits, '_', '-' and '.'";
  }
  return "";
}

}  // namespace fascia::detail
