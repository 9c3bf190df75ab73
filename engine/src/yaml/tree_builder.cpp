#include "yaml/tree_builder.hpp"

#include "common/reader_messages.hpp"
#include "common/text.hpp"
#include "yaml/parse_errors.hpp"
#include "yaml/text.hpp"

#include <yaml.h>

#include <algorithm>
#include <new>
#include <unordered_map>

namespace fascia::detail::yaml {

namespace {

// Enough to show every real problem; a file with more is garbage anyway.
constexpr std::size_t max_parse_errors = 100;

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

// An untagged plain scalar YAML reads as null: empty, `~`, `null`, `Null`, `NULL`.
bool is_null_literal(std::string_view value) {
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

// libyaml's marks count characters (code points) after a UTF-8 byte order
// mark; this turns them into byte offsets of the text, moving a cursor so
// that a whole document is converted in linear time (marks mostly grow).
class ByteOffsets {
 public:
  ByteOffsets(std::string_view text, std::size_t shift) noexcept
      : text_(text), shift_(shift), offset_(shift) {}

  std::size_t at(std::size_t index) noexcept {
    const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    while (index_ < index && offset_ < text_.size()) {
      ++offset_;
      while (offset_ < text_.size() && continuation(text_[offset_])) ++offset_;
      ++index_;
    }
    while (index_ > index && offset_ > shift_) {
      --offset_;
      while (offset_ > shift_ && continuation(text_[offset_])) --offset_;
      --index_;
    }
    return offset_;
  }

 private:
  std::string_view text_;
  std::size_t shift_;
  std::size_t offset_;
  std::size_t index_ = 0;
};

// libyaml's events to the located tree. Each handler returns false to stop
// the parse (a limit reached, a second document, too many errors): nothing
// after that point is tokenised.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, std::size_t shift, const std::string& file,
              const Limits& limits, Diagnostics& diagnostics)
      : text_(text),
        file_(file),
        limits_(limits),
        diagnostics_(diagnostics),
        offsets_(text, shift),
        locator_(text) {}

  bool has_root() const noexcept { return has_root_; }
  Node take_root() { return std::move(root_); }

  std::size_t offset_of(const yaml_mark_t& mark) { return offsets_.at(mark.index); }

  Mark mark_of(const yaml_mark_t& mark) { return mark_at(offset_of(mark)); }

  // False when the error cap is reached.
  bool error(const Mark& at, std::string message) {
    diagnostics_.push_back(
        Diagnostic{Severity::error, SourceLocation{file_, at.line, at.column}, std::move(message)});
    if (++errors_ < max_parse_errors) return true;
    diagnostics_.push_back(Diagnostic{Severity::note, SourceLocation{file_, at.line, at.column},
                                      std::string(reader_messages::too_many_errors)});
    return false;
  }

  bool on_event(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (documents_++ == 0) return true;
        error(mark_of(event.start_mark), "only one YAML document per file is allowed");
        return false;
      case YAML_SCALAR_EVENT:
        return on_scalar(event);
      case YAML_ALIAS_EVENT: {
        Node node;
        node.mark = mark_of(event.start_mark);
        if (!count_node(node.mark) || !report_anchor(node.mark)) return false;
        return add(std::move(node));
      }
      case YAML_SEQUENCE_START_EVENT:
        return open(event, event.data.sequence_start.anchor, event.data.sequence_start.tag,
                    NodeKind::sequence);
      case YAML_MAPPING_START_EVENT:
        return open(event, event.data.mapping_start.anchor, event.data.mapping_start.tag,
                    NodeKind::mapping);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      default:  // stream start and end, document end
        return true;
    }
  }

 private:
  struct Frame {
    Node node;
    bool has_key = false;
    bool key_ok = false;
    Node key;
    std::unordered_map<std::string, std::uint32_t> lines;  // key -> line first seen
  };

  Mark mark_at(std::size_t offset) {
    const auto position = locator_.at(offset);
    return Mark{position.line, position.column, position.offset};
  }

  bool on_scalar(const yaml_event_t& event) {
    const auto& scalar = event.data.scalar;
    const std::string_view value(reinterpret_cast<const char*>(scalar.value), scalar.length);
    Node node;
    node.mark = mark_of(event.start_mark);
    if (!count_node(node.mark) || !check_properties(scalar.anchor, scalar.tag, node.mark))
      return false;
    node.plain = scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (node.plain && scalar.tag == nullptr && is_null_literal(value)) {
      node.kind = NodeKind::null;
      node.value = value;
      if (value.empty()) point_empty_value_at_owner(node);
      return add(std::move(node));
    }
    node.kind = NodeKind::scalar;
    // A scalar has no more code points than bytes: only a long one is counted.
    if (value.size() > limits_.max_string_length &&
        utf8_length(value) > limits_.max_string_length) {
      if (!error(node.mark, reader_messages::string_too_long(limits_.max_string_length)))
        return false;
    } else {
      node.value = value;
    }
    return add(std::move(node));
  }

  // libyaml puts an empty value just after the ':' or '-' before it; point
  // at the key that has no value, or at the '-' of an empty list item.
  void point_empty_value_at_owner(Node& node) {
    if (stack_.empty()) return;
    Frame& frame = stack_.back();
    if (frame.node.kind == NodeKind::mapping && frame.has_key) {
      node.mark = frame.key.mark;
    } else if (frame.node.kind == NodeKind::sequence) {
      std::size_t i = std::min(node.mark.offset, text_.size());
      while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\r' ||
                       text_[i - 1] == '\n'))
        --i;
      if (i > 0 && text_[i - 1] == '-') node.mark = mark_at(i - 1);
    }
  }

  bool count_node(const Mark& at) {
    if (++nodes_ <= limits_.max_yaml_nodes) return true;
    error(at, reader_messages::too_many_nodes(limits_.max_yaml_nodes));
    return false;
  }

  bool open(const yaml_event_t& event, const yaml_char_t* anchor, const yaml_char_t* tag,
            NodeKind kind) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.mark = mark_of(event.start_mark);
    if (!count_node(frame.node.mark) || !check_properties(anchor, tag, frame.node.mark))
      return false;
    if (stack_.size() >= limits_.max_yaml_depth) {
      error(frame.node.mark, reader_messages::nesting_too_deep(limits_.max_yaml_depth));
      return false;
    }
    stack_.push_back(std::move(frame));
    return true;
  }

  bool close() {
    if (stack_.empty()) return true;
    Node node = std::move(stack_.back().node);
    stack_.pop_back();
    return add(std::move(node));
  }

  bool add(Node&& node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      has_root_ = true;
      return true;
    }
    Frame& frame = stack_.back();
    if (frame.node.kind == NodeKind::sequence) {
      frame.node.items.push_back(std::move(node));
    } else if (!frame.has_key) {
      if (!check_key(frame, node, frame.key_ok)) return false;
      frame.key = std::move(node);
      frame.has_key = true;
    } else {
      if (frame.key_ok) frame.node.entries.emplace_back(std::move(frame.key), std::move(node));
      frame.has_key = false;
    }
    return true;
  }

  // Sets `ok` to whether `key` may be used; false when the error cap is reached.
  bool check_key(Frame& frame, const Node& key, bool& ok) {
    ok = false;
    if (key.kind == NodeKind::null)
      return error(key.mark, key.value.empty() ? "a mapping key must not be empty"
                                               : "a mapping key must be a string, got null");
    if (key.kind != NodeKind::scalar)
      return error(key.mark,
                   std::string("a mapping key must be a string, got ") + describe(key.kind));
    if (key.plain && key.value == "<<")
      return error(key.mark, "merge keys ('<<') are not allowed in fascia files");
    const auto [it, inserted] = frame.lines.emplace(key.value, key.mark.line);
    if (!inserted) return error(key.mark, reader_messages::duplicate_key(key.value, it->second));
    ok = true;
    return true;
  }

  bool check_properties(const yaml_char_t* anchor, const yaml_char_t* tag, const Mark& at) {
    if (anchor != nullptr && !report_anchor(at)) return false;
    if (tag != nullptr) return report_tag(at);
    return true;
  }

  // One report is enough: the fix is the same everywhere, and a billion
  // laughs file would otherwise bury the other errors.
  bool report_anchor(const Mark& at) {
    if (anchor_reported_) return true;
    anchor_reported_ = true;
    return error(at, "anchors and aliases are not allowed in fascia files");
  }

  // The tag as written (libyaml resolves `!!str` to tag:yaml.org,2002:str).
  bool report_tag(const Mark& at) {
    std::size_t begin = at.offset;
    while (begin < text_.size() && text_[begin] != '!' && text_[begin] != '\n') ++begin;
    std::size_t end = begin;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != '\t' && text_[end] != '\r' &&
           text_[end] != '\n')
      ++end;
    return error(at, "YAML tags ('" + shorten(text_.substr(begin, end - begin)) +
                         "') are not allowed in fascia files");
  }

  std::string_view text_;
  const std::string& file_;
  const Limits& limits_;
  Diagnostics& diagnostics_;
  ByteOffsets offsets_;
  Locator locator_;
  std::vector<Frame> stack_;
  Node root_;
  bool has_root_ = false;
  bool anchor_reported_ = false;
  std::size_t documents_ = 0;
  std::size_t nodes_ = 0;
  std::size_t errors_ = 0;
};

// libyaml's parser, deleted on every path out.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    if (yaml_parser_initialize(&parser_) == 0) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  yaml_parser_t* get() noexcept { return &parser_; }

 private:
  yaml_parser_t parser_{};
};

// One event, deleted on every path out.
struct Event {
  yaml_event_t event{};
  bool filled = false;
  ~Event() {
    if (filled) yaml_event_delete(&event);
  }
};

}  // namespace

void build_tree(std::string_view text, const std::string& file, const Limits& limits, Document& out,
                Diagnostics& diagnostics) {
  // libyaml skips a UTF-8 byte order mark without counting it in its marks.
  const std::size_t shift = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  TreeBuilder builder(text, shift, file, limits, diagnostics);
  Parser parser(text);
  for (;;) {
    Event event;
    if (yaml_parser_parse(parser.get(), &event.event) == 0) {
      const yaml_parser_t& p = *parser.get();
      if (p.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
      SyntaxError error;
      error.reader = p.error == YAML_READER_ERROR;
      error.problem = p.problem != nullptr ? p.problem : "unknown problem";
      error.offset = error.reader ? p.problem_offset : builder.offset_of(p.problem_mark);
      error.value = static_cast<unsigned>(p.problem_value);
      if (p.context != nullptr) {
        error.context = p.context;
        error.context_offset = builder.offset_of(p.context_mark);
      }
      auto problem = describe_syntax_error(text, error);
      const auto position = Locator(text).at(problem.offset);
      builder.error(Mark{position.line, position.column, position.offset},
                    std::move(problem.message));
      break;
    }
    event.filled = true;
    if (!builder.on_event(event.event) || event.event.type == YAML_STREAM_END_EVENT) break;
  }
  if (builder.has_root())
    out.root = builder.take_root();
  else
    out.root.mark = Mark{1, 1, 0};
}

}  // namespace fascia::detail::yaml
