#pragma once
// A small streaming JSON writer: the recommendation is written straight into
// one string (a DOM library spends most of its time allocating nodes, and
// batch mode writes hundreds of thousands of these). Keys are written in the
// order given, so identical input gives byte-identical output.

#include <cstdint>
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

  std::string& out_;
  int indent_;
  // Per open container: has it written an element yet?
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace fascia::detail
