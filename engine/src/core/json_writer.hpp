#pragma once
// A small streaming JSON writer: the recommendation is written straight into
// one string (a DOM library spends most of its time allocating nodes, and
// batch mode writes hundreds of thousands of these). Keys are written in the
// order given, so identical input gives byte-identical output.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail {

class JsonWriter {
 public:
  // indent 0: one line, no spaces; otherwise pretty with that many spaces.
  explicit JsonWriter(std::string& out, int indent = 0) : out_(out), indent_(indent) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);
  // A key written as a literal in the code (the contract's field names, about
  // ninety per recommendation): inlined, its length known at compile time,
  // and copied without the escape scan. Anything else that arrives here (a
  // char array holding a shorter string, a name needing escapes) takes the
  // general path.
  template <std::size_t N>
  void key(const char (&name)[N]) {
    constexpr std::size_t length = N - 1;
    if (length > 60 || name[length] != '\0' || !is_identifier(name, length))
      return key(std::string_view(name));
    before_value();
    char buffer[N + 3];
    buffer[0] = '"';
    std::memcpy(buffer + 1, name, length);
    buffer[length + 1] = '"';
    buffer[length + 2] = ':';
    buffer[length + 3] = ' ';
    out_.append(buffer, indent_ ? length + 4 : length + 3);
    after_key_ = true;
  }

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(bool b);
  void value(std::int64_t n);
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(double d);
  void null();

 private:
  void before_value();
  void newline();
  // `text` quoted and escaped, then `after` unless it is '\0'.
  void write_string(std::string_view text, char after = '\0');
  static bool is_identifier(const char* text, std::size_t length) noexcept {
    for (std::size_t i = 0; i < length; ++i) {
      const char c = text[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
  }

  std::string& out_;
  int indent_;
  // Per open container: has it written an element yet?
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace fascia::detail
