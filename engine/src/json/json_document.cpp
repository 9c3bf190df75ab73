#include "json/json_document.hpp"

#include "common/reader_messages.hpp"
#include "common/text.hpp"
#include "json/json_scratch.hpp"
#include "json/json_text.hpp"
#include "yaml/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <exception>
#include <new>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fascia::detail::json {

using yaml::Locator;
using yaml::Mark;
using yaml::NodeKind;
using yaml::utf8_length;

namespace {

// Same as the YAML loader: enough to show every real problem.
constexpr std::size_t max_parse_errors = 100;
// Mappings up to this size are checked for duplicate keys by a linear scan;
// bigger ones (only in hostile input) get a hash map.
constexpr std::size_t linear_key_check = 16;

// Unwinds the parser: the text is not strict JSON, or too many errors.
struct NotJson {};
struct StopParsing {};

class JsonParser {
 public:
  JsonParser(std::string_view text, const std::string& file, const Limits& limits,
             Diagnostics& diagnostics)
      : text_(text), file_(file), limits_(limits), diagnostics_(diagnostics) {}

  // Parses the whole text into `root`. Returns false if an error was
  // reported; throws NotJson (after reporting it) for text that is not JSON.
  bool parse(Node& root) {
    pos_ = skip_bom(text_);
    line_start_ = pos_;
    skip_blanks();
    if (pos_ >= text_.size()) syntax("expected a JSON value");
    try {
      value(root, 0);
    } catch (const StopParsing&) {
      return false;
    }
    skip_blanks();
    if (pos_ < text_.size()) syntax("unexpected text after the JSON value");
    return errors_ == 0;
  }

  // One value at `pos` (line and column given), with `depth` collections
  // open around it and `nodes` nodes counted before it; moves both past it.
  JsonStatus parse_value(std::size_t& pos, std::size_t depth, std::size_t& nodes,
                         std::uint32_t line, std::uint32_t column, Node& out) {
    pos_ = pos;
    line_ = line;
    line_start_ = pos - (column - 1);
    continuation_ = 0;
    nodes_ = nodes;
    if (pos_ >= text_.size()) return JsonStatus::not_json;
    try {
      value(out, depth);
    } catch (const StopParsing&) {
      return JsonStatus::invalid;
    } catch (const NotJson&) {
      return JsonStatus::not_json;
    }
    pos = pos_;
    nodes = nodes_;
    return errors_ == 0 ? JsonStatus::ok : JsonStatus::invalid;
  }

 private:
  // Marks are only asked for at the current position, outside strings.
  Mark mark_here() const noexcept {
    return Mark{line_, static_cast<std::uint32_t>(pos_ - line_start_ - continuation_ + 1), pos_};
  }

  void add_error(const Mark& at, std::string message) {
    diagnostics_.push_back(
        Diagnostic{Severity::error, SourceLocation{file_, at.line, at.column}, std::move(message)});
  }

  void error(const Mark& at, std::string message) {
    add_error(at, std::move(message));
    if (++errors_ >= max_parse_errors) {
      diagnostics_.push_back(Diagnostic{Severity::note, SourceLocation{file_, at.line, at.column},
                                        std::string(reader_messages::too_many_errors)});
      throw StopParsing{};
    }
  }

  // The position may be inside a string here: its column is counted afresh.
  [[noreturn]] void syntax(const char* message) {
    const std::size_t at = std::min(pos_, text_.size());
    Locator locator(text_);
    const auto position = locator.at(at);
    add_error(Mark{position.line, position.column, position.offset},
              std::string("invalid JSON: ") + message);
    throw NotJson{};
  }

  // JSON text that YAML would accept (a flow collection may end in a
  // comma): refused here, so that a JSON client state means the same to
  // every reader.
  [[noreturn]] void trailing_comma(const Mark& comma, char closing) {
    add_error(comma, std::string("invalid JSON: a comma before '") + closing +
                         "' (JSON allows no trailing comma); remove it");
    throw StopParsing{};
  }

  void skip_blanks() noexcept {
    while (pos_ < text_.size() && is_blank(text_[pos_])) {
      if (text_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
        continuation_ = 0;
      }
      ++pos_;
    }
  }

  void start_node(Node& node, NodeKind kind) {
    node.kind = kind;
    node.mark = mark_here();
    if (++nodes_ > limits_.max_yaml_nodes) {
      error(node.mark, reader_messages::too_many_nodes(limits_.max_yaml_nodes));
      throw StopParsing{};
    }
  }

  void open(Node& node, NodeKind kind, std::size_t depth) {
    start_node(node, kind);
    if (depth >= limits_.max_yaml_depth) {
      error(node.mark, reader_messages::nesting_too_deep(limits_.max_yaml_depth));
      throw StopParsing{};
    }
    ++pos_;
    skip_blanks();
  }

  // `depth`: collections already open around this value.
  void value(Node& node, std::size_t depth) {
    switch (text_[pos_]) {
      case '{':
        return object(node, depth);
      case '[':
        return array(node, depth);
      case '"':
        return string_scalar(node);
      case 't':
        return literal(node, "true", NodeKind::scalar);
      case 'f':
        return literal(node, "false", NodeKind::scalar);
      case 'n':
        return literal(node, "null", NodeKind::null);
      default:
        if (text_[pos_] == '-' || is_digit(text_[pos_])) return number(node);
        syntax("expected a value (an object, array, string, number, true, false or null)");
    }
  }

  void object(Node& node, std::size_t depth) {
    open(node, NodeKind::mapping, depth);
    if (at('}')) return;
    Scratch<Entry> entries(scratch_entries(), depth);
    std::unordered_map<std::string, std::uint32_t> lines;  // used past linear_key_check keys
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] != '"') syntax("expected a string key");
      entries->emplace_back();
      string_scalar(entries->back().first);
      skip_blanks();
      if (!at(':')) syntax("expected ':' after an object key");
      skip_blanks();
      if (pos_ >= text_.size()) syntax("expected a value after ':'");
      const bool duplicate = check_duplicate(*entries, lines);
      value(entries->back().second, depth + 1);
      if (duplicate) entries->pop_back();  // reported; the first one stays
      skip_blanks();
      if (at('}')) break;
      const Mark comma = mark_here();
      if (!at(',')) syntax("expected ',' or '}' after an object member");
      skip_blanks();
      if (pos_ < text_.size() && text_[pos_] == '}') trailing_comma(comma, '}');
    }
    entries.move_into(node.entries);
  }

  // The newest entry's key against the others. Reports a duplicate.
  bool check_duplicate(const std::vector<Entry>& entries,
                       std::unordered_map<std::string, std::uint32_t>& lines) {
    const Node& key = entries.back().first;
    const std::size_t count = entries.size() - 1;
    std::uint32_t first_line = 0;
    bool duplicate = false;
    if (count < linear_key_check) {
      for (std::size_t i = 0; i < count && !duplicate; ++i)
        if (entries[i].first.value == key.value) {
          duplicate = true;
          first_line = entries[i].first.mark.line;
        }
    } else {
      if (lines.empty())
        for (std::size_t i = 0; i < count; ++i)
          lines.emplace(entries[i].first.value, entries[i].first.mark.line);
      const auto [it, inserted] = lines.emplace(key.value, key.mark.line);
      duplicate = !inserted;
      first_line = it->second;
    }
    if (duplicate) error(key.mark, reader_messages::duplicate_key(key.value, first_line));
    return duplicate;
  }

  void array(Node& node, std::size_t depth) {
    open(node, NodeKind::sequence, depth);
    if (at(']')) return;
    Scratch<Node> items(scratch_items(), depth);
    while (true) {
      if (pos_ >= text_.size()) syntax("expected a value or ']'");
      items->emplace_back();
      value(items->back(), depth + 1);
      skip_blanks();
      if (at(']')) break;
      const Mark comma = mark_here();
      if (!at(',')) syntax("expected ',' or ']' after an array item");
      skip_blanks();
      if (pos_ < text_.size() && text_[pos_] == ']') trailing_comma(comma, ']');
    }
    items.move_into(node.items);
  }

  bool at(char c) noexcept {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void literal(Node& node, std::string_view word, NodeKind kind) {
    if (text_.compare(pos_, word.size(), word) != 0) syntax("unknown literal");
    start_node(node, kind);
    node.value.assign(word);
    pos_ += word.size();
  }

  // A number, kept as written.
  void number(Node& node) {
    const NumberScan scan = scan_number(text_, pos_);
    if (scan.error == NumberError::leading_zero) syntax("invalid number (leading zero)");
    if (scan.error != NumberError::none) syntax("invalid number");
    start_node(node, NodeKind::scalar);
    node.value.assign(text_.data() + pos_, scan.end - pos_);
    pos_ = scan.end;
  }

  void string_scalar(Node& node) {
    start_node(node, NodeKind::scalar);
    node.plain = false;
    string_value(node.value);
    if (node.value.size() > limits_.max_string_length &&
        utf8_length(node.value) > limits_.max_string_length) {
      error(node.mark, reader_messages::string_too_long(limits_.max_string_length));
      node.value.clear();
    }
  }

  // At the opening quote.
  void string_value(std::string& out) {
    ++pos_;
    std::size_t run = pos_;
    const std::size_t n = text_.size();
    while (true) {
      pos_ = plain_ascii_end(text_, pos_);
      if (pos_ >= n) syntax("unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out.append(text_.data() + run, pos_ - run);
        ++pos_;
        return;
      }
      if (c == '\\') {
        out.append(text_.data() + run, pos_ - run);
        escape(out);
        run = pos_;
        continue;
      }
      if (c < 0x20 || c == 0x7F) syntax("control character in a string (escape it)");
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      const std::size_t length = utf8_sequence(text_, pos_);
      if (length == 0) syntax("invalid UTF-8 or control character in a string");
      pos_ += length;
      continuation_ += length - 1;
    }
  }

  // At a backslash inside a string.
  void escape(std::string& out) {
    if (pos_ + 1 >= text_.size()) syntax("unterminated string");
    const char kind = text_[pos_ + 1];
    pos_ += 2;
    switch (kind) {
      case '"':
        out += '"';
        return;
      case '\\':
        out += '\\';
        return;
      case '/':
        out += '/';
        return;
      case 'b':
        out += '\b';
        return;
      case 'f':
        out += '\f';
        return;
      case 'n':
        out += '\n';
        return;
      case 'r':
        out += '\r';
        return;
      case 't':
        out += '\t';
        return;
      case 'u':
        break;
      default:
        pos_ -= 2;
        syntax("invalid escape in a string");
    }
    char32_t code_point = hex4();
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) syntax("lone surrogate in a \\u escape");
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (text_.compare(pos_, 2, "\\u") != 0) syntax("lone surrogate in a \\u escape");
      pos_ += 2;
      const char32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) syntax("lone surrogate in a \\u escape");
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, code_point);
  }

  char32_t hex4() {
    if (pos_ + 4 > text_.size()) syntax("invalid \\u escape");
    char32_t value = 0;
    for (int k = 0; k < 4; ++k) {
      const int digit = hex_value(text_[pos_ + k]);
      if (digit < 0) syntax("invalid \\u escape");
      value = value * 16 + static_cast<char32_t>(digit);
    }
    pos_ += 4;
    return value;
  }

  std::string_view text_;
  const std::string& file_;
  const Limits& limits_;
  Diagnostics& diagnostics_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;    // offset of the current line's first byte
  std::size_t continuation_ = 0;  // UTF-8 continuation bytes on this line before pos_
  std::size_t nodes_ = 0;
  std::size_t errors_ = 0;
};

}  // namespace

bool looks_like_json_object(std::string_view text) noexcept {
  std::size_t i = skip_bom(text);
  while (i < text.size() && is_blank(text[i])) ++i;
  return i < text.size() && text[i] == '{';
}

JsonStatus parse_json_document(std::string_view text, const std::string& file, const Limits& limits,
                               Document& out, Diagnostics& diagnostics) {
  const auto fail = [&](Diagnostic diagnostic) {
    diagnostics.push_back(std::move(diagnostic));
    return JsonStatus::invalid;
  };
  try {
    out.file = file;
    out.text.assign(text.data(), text.size());
    out.root = Node{};
    out.root.mark = Mark{1, 1, 0};
    if (text.size() > limits.max_file_bytes)
      return fail({Severity::error, SourceLocation{file, 0, 0},
                   reader_messages::file_too_large(text.size(), limits.max_file_bytes)});
    JsonParser parser(out.text, file, limits, diagnostics);
    try {
      return parser.parse(out.root) ? JsonStatus::ok : JsonStatus::invalid;
    } catch (const NotJson&) {
      return JsonStatus::not_json;
    }
  } catch (const std::bad_alloc&) {
    return fail({Severity::error, SourceLocation{file, 0, 0},
                 "out of memory while reading the JSON text", DiagnosticCode::out_of_memory});
  } catch (const std::exception& e) {
    return fail({Severity::error, SourceLocation{file, 0, 0},
                 std::string("internal error while reading JSON: ") + e.what(),
                 DiagnosticCode::internal_error});
  }
}

JsonStatus parse_json_value(std::string_view text, const Limits& limits, std::size_t depth,
                            const ValuePosition& at, std::size_t& pos, std::size_t& nodes,
                            Node& out) {
  static const std::string no_file;
  Diagnostics ignored;  // the caller reads the whole text again for the messages
  JsonParser parser(text, no_file, limits, ignored);
  return parser.parse_value(pos, depth, nodes, at.line, at.column, out);
}

bool parse_state_document(std::string_view text, const std::string& file, const Limits& limits,
                          Document& out, Diagnostics& diagnostics) {
  if (!looks_like_json_object(text))
    return yaml::parse_document(text, file, limits, out, diagnostics);
  Diagnostics json_diagnostics;
  switch (parse_json_document(text, file, limits, out, json_diagnostics)) {
    case JsonStatus::ok:
      return true;
    case JsonStatus::invalid:
      diagnostics.insert(diagnostics.end(), std::make_move_iterator(json_diagnostics.begin()),
                         std::make_move_iterator(json_diagnostics.end()));
      return false;
    case JsonStatus::not_json:
      break;
  }
  // YAML flow style, or broken JSON: the YAML loader reads the one and
  // explains the other with the messages it always gave.
  return yaml::parse_document(text, file, limits, out, diagnostics);
}

}  // namespace fascia::detail::json
