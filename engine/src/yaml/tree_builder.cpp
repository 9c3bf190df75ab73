#include "yaml/tree_builder.hpp"

#include "common/reader_messages.hpp"
#include "common/text.hpp"
#include "yaml/hints.hpp"
#include "yaml/text.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <streambuf>
#include <unordered_map>

namespace fascia::detail::yaml {

namespace {

// Enough to show every real problem; a file with more is garbage anyway.
constexpr std::size_t max_parse_errors = 100;

// Thrown by the event handler to abandon yaml-cpp's parse once a limit is
// hit (unwinds through yaml-cpp, which is exception-safe); never escapes.
struct StopParsing {};

// An istream source over a string_view, so yaml-cpp reads without a copy.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // get area only: never written
    setg(begin, begin, begin + text.size());
  }
};

const char* describe(NodeKind kind) {
  switch (kind) {
    case NodeKind::null:
      return "null";
    case NodeKind::scalar:
      return "a string";
    case NodeKind::sequence:
      return "a list";
    case NodeKind::mapping:
      return "a mapping";
  }
  return "a value";
}

bool starts_with_word(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size() || text.compare(at, word.size(), word) != 0) return false;
  const std::size_t end = at + word.size();
  if (end == text.size()) return true;
  const char c = text[end];
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ']' || c == '}' ||
         c == '#' || c == ':';
}

// `~`, `null`, `Null`, `NULL` written at `at` (yaml-cpp reports an empty
// value as null too, at some later token).
std::string_view explicit_null_at(std::string_view text, std::size_t at) {
  if (at >= text.size()) return {};
  for (std::string_view word : {"~", "null", "Null", "NULL"})
    if (starts_with_word(text, at, word)) return word;
  return {};
}

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, std::size_t shift, const std::string& file,
              const Limits& limits, Diagnostics& diagnostics)
      : text_(text),
        shift_(shift),
        file_(file),
        limits_(limits),
        diagnostics_(diagnostics),
        locator_(text) {}

  bool has_root() const noexcept { return has_root_; }
  Node take_root() { return std::move(root_); }

  Mark mark_of(const YAML::Mark& mark) {
    const std::size_t offset = mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos) + shift_;
    const auto position = locator_.at(offset);
    return Mark{position.line, position.column, position.offset};
  }

  void error(const Mark& at, std::string message) {
    diagnostics_.push_back(
        Diagnostic{Severity::error, SourceLocation{file_, at.line, at.column}, std::move(message)});
    if (++errors_ >= max_parse_errors) {
      diagnostics_.push_back(Diagnostic{Severity::note, SourceLocation{file_, at.line, at.column},
                                        std::string(reader_messages::too_many_errors)});
      throw StopParsing{};
    }
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ == 0) return;
    // A second document, or a token yaml-cpp could not place (a lone `,`
    // makes 0.7 start an endless series of empty documents: #1040).
    const Mark at = mark_of(mark);
    if (second_document_marker(at.offset)) {
      error(at, "only one YAML document per file is allowed");
    } else {
      std::size_t end = at.offset + 1;
      while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
      error(at, "unexpected '" + std::string(text_.substr(at.offset, end - at.offset)) + "'");
    }
    throw StopParsing{};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.kind = NodeKind::null;
    node.mark = mark_of(mark);
    count_node(node.mark);
    check_anchor(anchor, node.mark);
    const std::string_view literal = explicit_null_at(text_, node.mark.offset);
    if (!literal.empty()) {
      node.value = std::string(literal);
    } else if (!stack_.empty()) {
      // yaml-cpp puts an empty value at the next token; point at its owner.
      Frame& frame = stack_.back();
      if (frame.node.kind == NodeKind::mapping && frame.has_key) {
        node.mark = frame.key.mark;
      } else if (frame.node.kind == NodeKind::sequence) {
        std::size_t i = std::min(node.mark.offset, text_.size());
        while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\r' ||
                         text_[i - 1] == '\n'))
          --i;
        if (i > 0 && text_[i - 1] == '-') {
          const auto position = locator_.at(i - 1);
          node.mark = Mark{position.line, position.column, position.offset};
        }
      }
    }
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    Node node;
    node.mark = mark_of(mark);
    count_node(node.mark);
    report_anchor(node.mark);
    add(std::move(node));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node node;
    node.kind = NodeKind::scalar;
    node.mark = mark_of(mark);
    count_node(node.mark);
    check_anchor(anchor, node.mark);
    check_tag(node.mark);
    node.plain = tag.empty() || tag == "?";  // "!": quoted or block
    node.value = value;
    if (!node.plain) repair_yaml_cpp_escapes(node.value);
    if (utf8_length(node.value) > limits_.max_string_length) {
      error(node.mark, reader_messages::string_too_long(limits_.max_string_length));
      node.value.clear();
    }
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, NodeKind::sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, NodeKind::mapping);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    bool has_key = false;
    bool key_ok = false;
    Node key;
    std::unordered_map<std::string, std::uint32_t> lines;  // key -> line first seen
  };

  void count_node(const Mark& at) {
    if (++nodes_ > limits_.max_yaml_nodes) {
      error(at, reader_messages::too_many_nodes(limits_.max_yaml_nodes));
      throw StopParsing{};
    }
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, NodeKind kind) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.mark = mark_of(mark);
    count_node(frame.node.mark);
    check_anchor(anchor, frame.node.mark);
    check_tag(frame.node.mark);
    if (stack_.size() >= limits_.max_yaml_depth) {
      error(frame.node.mark, reader_messages::nesting_too_deep(limits_.max_yaml_depth));
      throw StopParsing{};
    }
    stack_.push_back(std::move(frame));
  }

  void close() {
    if (stack_.empty()) return;
    Node node = std::move(stack_.back().node);
    stack_.pop_back();
    add(std::move(node));
  }

  void add(Node&& node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      has_root_ = true;
      return;
    }
    Frame& frame = stack_.back();
    if (frame.node.kind == NodeKind::sequence) {
      frame.node.items.push_back(std::move(node));
    } else if (!frame.has_key) {
      frame.key_ok = check_key(frame, node);
      frame.key = std::move(node);
      frame.has_key = true;
    } else {
      if (frame.key_ok) frame.node.entries.emplace_back(std::move(frame.key), std::move(node));
      frame.has_key = false;
    }
  }

  bool check_key(Frame& frame, const Node& key) {
    if (key.kind == NodeKind::null) {
      error(key.mark, key.value.empty() ? "a mapping key must not be empty"
                                        : "a mapping key must be a string, got null");
      return false;
    }
    if (key.kind != NodeKind::scalar) {
      error(key.mark, std::string("a mapping key must be a string, got ") + describe(key.kind));
      return false;
    }
    if (key.plain && key.value == "<<") {
      error(key.mark, "merge keys ('<<') are not allowed in fascia files");
      return false;
    }
    const auto [it, inserted] = frame.lines.emplace(key.value, key.mark.line);
    if (!inserted) {
      error(key.mark, reader_messages::duplicate_key(key.value, it->second));
      return false;
    }
    return true;
  }

  void check_anchor(YAML::anchor_t anchor, const Mark& at) {
    if (anchor != YAML::NullAnchor) report_anchor(at);
  }

  // One report is enough: the fix is the same everywhere, and a billion
  // laughs file would otherwise bury the other errors.
  void report_anchor(const Mark& at) {
    if (anchor_reported_) return;
    anchor_reported_ = true;
    error(at, "anchors and aliases are not allowed in fascia files");
  }

  void check_tag(const Mark& at) {
    if (at.offset >= text_.size() || text_[at.offset] != '!') return;
    std::size_t end = at.offset;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != '\t' && text_[end] != '\r' &&
           text_[end] != '\n')
      ++end;
    error(at, "YAML tags ('" + shorten(text_.substr(at.offset, end - at.offset)) +
                  "') are not allowed in fascia files");
  }

  // `---`, a directive, or content after a `...` end marker.
  bool second_document_marker(std::size_t offset) const {
    if (offset >= text_.size()) return true;
    if (text_.compare(offset, 3, "---") == 0 || text_[offset] == '%') return true;
    std::size_t i = offset;
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\r' ||
                     text_[i - 1] == '\n'))
      --i;
    return i >= 3 && text_.compare(i - 3, 3, "...") == 0 && (i == 3 || text_[i - 4] == '\n');
  }

  std::string_view text_;
  std::size_t shift_;
  const std::string& file_;
  const Limits& limits_;
  Diagnostics& diagnostics_;
  Locator locator_;
  std::vector<Frame> stack_;
  Node root_;
  bool has_root_ = false;
  bool anchor_reported_ = false;
  std::size_t documents_ = 0;
  std::size_t nodes_ = 0;
  std::size_t errors_ = 0;
};

// A tab in the indentation of the line at `offset` or of the previous
// non-blank line: yaml-cpp reports these as "illegal map value" and the like.
std::optional<std::size_t> indentation_tab(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = offset;
  while (line > 0 && text[line - 1] != '\n') --line;
  for (int checked = 0; checked < 2;) {
    std::size_t i = line;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      if (text[i] == '\t') return i;
      ++i;
    }
    const bool blank = i >= text.size() || text[i] == '\n' || text[i] == '\r';
    if (!blank) ++checked;
    if (line == 0) break;
    --line;  // onto the previous line's '\n'
    while (line > 0 && text[line - 1] != '\n') --line;
  }
  return std::nullopt;
}

}  // namespace

void build_tree(std::string_view text, const std::string& file, const Limits& limits, Document& out,
                Diagnostics& diagnostics) {
  const auto fail = [&](std::size_t offset, std::string message) {
    const auto position = Locator(text).at(offset);
    diagnostics.push_back(Diagnostic{
        Severity::error, SourceLocation{file, position.line, position.column}, std::move(message)});
  };
  // yaml-cpp skips a UTF-8 byte order mark without counting it in its marks.
  const std::size_t shift = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  ViewBuffer buffer(text.substr(shift));
  std::istream stream(&buffer);
  TreeBuilder builder(text, shift, file, limits, diagnostics);
  try {
    YAML::Parser parser(stream);
    // One document, then one more call that must find nothing: never a loop
    // (LoadAll-style loops hang on a lone `,` in 0.7).
    if (parser.HandleNextDocument(builder)) parser.HandleNextDocument(builder);
  } catch (const StopParsing&) {
  } catch (const YAML::DeepRecursion& e) {
    fail(builder.mark_of(e.mark).offset, reader_messages::nesting_too_deep(limits.max_yaml_depth));
  } catch (const YAML::Exception& e) {
    const std::size_t offset = builder.mark_of(e.mark).offset;
    if (e.msg.rfind(YAML::ErrorMsg::UNKNOWN_ANCHOR, 0) == 0)  // an alias with no anchor
      fail(offset, "anchors and aliases are not allowed in fascia files");
    else if (auto tab = indentation_tab(text, offset))
      fail(*tab, "tabs are not allowed in YAML indentation; use spaces");
    else if (auto quote = unclosed_quote_before(text, offset))
      fail(quote->offset, std::move(quote->message));
    else
      fail(offset, "invalid YAML: " + e.msg);
  }
  if (builder.has_root())
    out.root = builder.take_root();
  else
    out.root.mark = Mark{1, 1, 0};
}

}  // namespace fascia::detail::yaml
