#pragma once
// The JSON scanner under the client-state reader
// (core/state_json_reader_impl.hpp): strict JSON with the JSON parser's lexical
// rules (json_text.hpp: blanks, numbers, plain string bytes) and limits
// (nesting depth, node count, string length), plain ASCII strings without
// escapes, every value typed and range-checked as yaml::Reader would. Any
// other form makes it return false, never report: the state reader then
// reads that value with the JSON parser (json_document.hpp) and checks it
// with the messages of yaml::Reader.
// Header-only so that the reader's member loops inline it.

#include "common/same_text.hpp"
#include "json/json_text.hpp"

#include <fascia/client_state.hpp>
#include <fascia/limits.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail::json {

// Index of `key` in `names`, or -1. The search starts at `hint` (the key
// after the previous one), since states list keys in the usual order.
inline int index_of(std::string_view key, std::span<const std::string_view> names,
                    std::size_t hint) noexcept {
  const std::size_t n = names.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = hint + k < n ? hint + k : hint + k - n;
    if (same_text(names[i], key)) return static_cast<int>(i);
  }
  return -1;
}

inline bool contains(const std::vector<std::string>& ids, std::string_view id) noexcept {
  for (const auto& i : ids)
    if (same_text(i, id)) return true;
  return false;
}

class JsonScanner {
 protected:
  JsonScanner(std::string_view text, const Limits& limits) noexcept
      : text_(text), limits_(limits), max_nodes_(limits.max_yaml_nodes) {}

  // A scalar token: text is a string's contents or a number/literal as written.
  struct Scalar {
    enum class Kind : std::uint8_t { string, integer, number, true_, false_, null } kind;
    std::string_view text;
  };

  bool at_end() const noexcept { return pos_ >= text_.size(); }
  char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  bool eat(char c) noexcept {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Inline, one test when no blank follows (compact JSON: fascia batch's
  // lines); the loop out of line.
  [[gnu::always_inline]] void skip_blanks() noexcept {
    if (!at_end() && static_cast<unsigned char>(text_[pos_]) <= ' ') [[unlikely]]
      skip_blank_run();
  }
  [[gnu::noinline]] void skip_blank_run() noexcept {
    while (!at_end() && is_blank(text_[pos_])) ++pos_;
  }
  // The document reader counts every key, value and collection, and so
  // does the scanner; the count is checked against the limit by its user
  // (the state reader: once an item of each list or mapping, and at the
  // end), not at each node: what is read past the limit is bounded by the
  // text, and the state is then read again by the JSON parser, which says
  // where the limit was passed (BM_BatchParseStateInto 5,782 -> 5,520).
  void count_node() noexcept { ++nodes_; }
  bool nodes_in_limit() const noexcept { return nodes_ <= max_nodes_; }
  // At `bracket` ('[' or '{'): read and counted, and the collection (at
  // `depth`) within the depth limit.
  bool open(char bracket, std::size_t depth) noexcept {
    if (!eat(bracket)) return false;
    count_node();
    return depth < limits_.max_yaml_depth;
  }

  // At a '"': a string of printable ASCII without escapes, within the limit.
  bool string(std::string_view& out) noexcept {
    if (!eat('"')) return false;
    count_node();
    const std::size_t start = pos_;
    pos_ = plain_ascii_end(text_, pos_);
    if (!eat('"')) return false;  // an escape, a control or non-ASCII byte, or the end
    out = text_.substr(start, pos_ - 1 - start);
    return out.size() <= limits_.max_string_length;
  }

  // At `"name":` (a known key: plain, and short unless the limit is tiny,
  // with its colon right after it, as in compact JSON): moves past both.
  bool at_key(std::string_view name) noexcept {
    const std::size_t end = pos_ + name.size() + 2;  // the colon
    if (end >= text_.size()) return false;
    const char* at = text_.data() + pos_;
    if (at[0] != '"' || at[name.size() + 1] != '"' || at[name.size() + 2] != ':' ||
        !same_text(std::string_view(at + 1, name.size()), name) ||
        name.size() > limits_.max_string_length)
      return false;
    pos_ = end + 1;
    return true;
  }

  // A number as written (json_text.hpp's grammar).
  bool number(Scalar& out) noexcept {
    const NumberScan scan = scan_number(text_, pos_);
    if (scan.error != NumberError::none) return false;
    out = {scan.integer ? Scalar::Kind::integer : Scalar::Kind::number,
           text_.substr(pos_, scan.end - pos_)};
    pos_ = scan.end;
    count_node();
    return true;
  }

  bool literal(std::string_view word) noexcept {
    if (!same_text(text_.substr(pos_, word.size()), word)) return false;  // no memcmp call
    pos_ += word.size();
    count_node();
    return true;
  }

  // Any scalar; false for a collection (never expected where this is used).
  [[gnu::always_inline]] inline bool scalar(Scalar& out) noexcept {
    switch (peek()) {
      case '"':
        out.kind = Scalar::Kind::string;
        return string(out.text);
      case 't':
        out.kind = Scalar::Kind::true_;
        return literal("true");
      case 'f':
        out.kind = Scalar::Kind::false_;
        return literal("false");
      case 'n':
        out.kind = Scalar::Kind::null;
        return literal("null");
      default:
        return number(out);
    }
  }

  // A null value (the member is then as if absent), or not.
  [[gnu::always_inline]] inline bool null_here() noexcept {
    if (peek() != 'n') return false;
    Scalar ignored;
    return scalar(ignored);
  }

  // The typed values, as yaml::Reader accepts them from JSON (strings only
  // where text is expected: other scalars are rare and left to it).
  bool text(std::string_view& out, bool allow_empty = false) noexcept {
    return peek() == '"' && string(out) && (allow_empty || !out.empty());
  }
  // A whole number of at most 18 digits, not negative, with nothing after
  // it that makes it another kind of number (a fraction, an exponent, a
  // leading zero): most numbers in a state. Read without scan_number() and
  // from_chars (fascia batch: ~25 such numbers a line). False, having read
  // nothing, for anything else.
  [[gnu::always_inline]] inline bool small_whole(std::int64_t& out) noexcept {
    const std::size_t n = text_.size();
    std::size_t i = pos_;
    const auto digit = [&](std::size_t k) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(text_[k])) - '0';
    };
    if (i >= n || digit(i) > 9) return false;
    std::uint64_t v = digit(i++);
    if (v != 0) {
      const std::size_t last = pos_ + 18 < n ? pos_ + 18 : n;  // 18 digits at most
      for (; i < last && digit(i) <= 9; ++i) v = v * 10 + digit(i);
    }
    // A digit here follows a leading zero or the 18th digit. One table
    // test, not four (fascia batch: ~25 numbers a line).
    static constexpr auto continues = [] {
      std::array<bool, 256> table{};
      for (const char c : std::string_view("0123456789.eE"))
        table[static_cast<unsigned char>(c)] = true;
      return table;
    }();
    if (i < n && continues[static_cast<unsigned char>(text_[i])]) return false;
    pos_ = i;
    out = static_cast<std::int64_t>(v);
    return true;
  }
  bool integer(std::int64_t& out, std::int64_t min, std::int64_t max) noexcept {
    if (small_whole(out)) [[likely]] {
      count_node();
      return out >= min && out <= max;
    }
    Scalar s;
    if (!scalar(s) || s.kind != Scalar::Kind::integer) return false;
    const auto result = std::from_chars(s.text.data(), s.text.data() + s.text.size(), out);
    return result.ec == std::errc{} && out >= min && out <= max;
  }
  template <class T>
  bool integer(T& out, std::int64_t min, std::int64_t max) noexcept {
    std::int64_t v = 0;
    if (!integer(v, min, max)) return false;
    out = static_cast<T>(v);
    return true;
  }
  // Into an optional member, which is set only when the value is valid.
  bool integer(std::optional<int>& out, std::int64_t min, std::int64_t max) noexcept {
    int v = 0;
    if (!integer(v, min, max)) return false;
    out = v;
    return true;
  }
  bool number(std::optional<double>& out, double min, double max) noexcept {
    double v = 0;
    if (!number(v, min, max)) return false;
    out = v;
    return true;
  }
  // A YYYY-MM-DD string. The usual form ("2026-05-01", plain digits) is
  // read in place, checked as Date::parse() checks it (a call, a scan of
  // the string and a std::chrono check less per date: with the node limit
  // nearer, BM_BatchParseStateInto 9,427 -> 9,146 instructions); anything
  // else goes through it.
  bool date(Date& out) noexcept {
    if (pos_ + 12 <= text_.size() && limits_.max_string_length >= 10) {
      const char* at = text_.data() + pos_;
      const auto digit = [&](int i) { return static_cast<unsigned>(at[i] - '0'); };
      bool digits = at[0] == '"' && at[5] == '-' && at[8] == '-' && at[11] == '"';
      for (const int i : {1, 2, 3, 4, 6, 7, 9, 10}) digits = digits && digit(i) <= 9;
      if (digits) {
        const int year =
            static_cast<int>(digit(1) * 1000 + digit(2) * 100 + digit(3) * 10 + digit(4));
        const int month = static_cast<int>(digit(6) * 10 + digit(7));
        const int day = static_cast<int>(digit(9) * 10 + digit(10));
        const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (year >= 1900 && month >= 1 && month <= 12 && day >= 1 &&
            day <= days[month - 1] + (month == 2 && leap)) {
          count_node();
          out = Date{year, month, day};
          pos_ += 12;
          return true;
        }
      }
    }
    std::string_view v;
    if (!text(v)) return false;
    const auto parsed = Date::parse(v);
    if (parsed) out = *parsed;
    return parsed.has_value();
  }
  bool number(double& out, double min, double max) noexcept {
    if (std::int64_t whole = 0; small_whole(whole)) [[likely]] {
      out = static_cast<double>(whole);  // exact: below 2^53
      count_node();
      return out >= min && out <= max;
    }
    Scalar s;
    if (!scalar(s) || (s.kind != Scalar::Kind::integer && s.kind != Scalar::Kind::number))
      return false;
    if (s.kind == Scalar::Kind::integer && s.text[0] != '-' && s.text.size() <= 15) {
      // Most numbers are small whole ones: exact as a double (below 2^53),
      // so the same value from_chars gives. (-0 is left to it: it is -0.0.)
      std::int64_t whole = 0;
      for (const char c : s.text) whole = whole * 10 + (c - '0');
      out = static_cast<double>(whole);
      return out >= min && out <= max;
    }
    const char* end = s.text.data() + s.text.size();
    const auto result = std::from_chars(s.text.data(), end, out, std::chars_format::general);
    return result.ec == std::errc{} && result.ptr == end && std::isfinite(out) && out >= min &&
           out <= max;
  }
  bool boolean(bool& out) noexcept {
    Scalar s;
    if (!scalar(s) || (s.kind != Scalar::Kind::true_ && s.kind != Scalar::Kind::false_))
      return false;
    out = s.kind == Scalar::Kind::true_;
    return true;
  }
  bool one_of(std::string& out, const std::vector<std::string>& allowed) {
    std::string_view v;
    if (!text(v) || !contains(allowed, v)) return false;
    out.assign(v);
    return true;
  }

  template <class Item>
  bool array(std::size_t depth, Item&& item) {
    if (!open('[', depth)) return false;
    skip_blanks();
    if (eat(']')) return true;
    while (true) {
      if (!item() || !nodes_in_limit()) return false;
      if (eat(',')) {  // compact JSON: no blanks to skip
        skip_blanks();
        continue;
      }
      skip_blanks();
      if (eat(']')) return true;
      if (!eat(',')) return false;
      skip_blanks();
    }
  }

  std::string_view text_;
  const Limits& limits_;
  std::size_t max_nodes_;  // limits_.max_yaml_nodes, one load nearer
  std::size_t pos_ = 0;
  std::size_t nodes_ = 0;
};

}  // namespace fascia::detail::json
