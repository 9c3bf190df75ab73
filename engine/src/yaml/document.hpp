#pragma once
// A strict, located YAML document tree. Built from libyaml's event parser
// (never a generic node tree, whose conversions and aliasing we cannot
// control), so that we control every trap: one document only, no anchors/aliases/merge keys,
// duplicate keys refused, our own nesting/size limits, and the original position of every node kept
// for error messages.

#include <fascia/diagnostic.hpp>
#include <fascia/limits.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fascia::detail::yaml {

// One-based line and column, and the byte offset into the document text.
// Columns count Unicode code points (a tab is one column).
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t offset = 0;
};

enum class NodeKind : std::uint8_t { null, scalar, sequence, mapping };

struct Node {
  NodeKind kind = NodeKind::null;
  Mark mark;
  std::string value;        // scalar text (after YAML unescaping/folding); for a null
                            // node the literal written (`null`, `~`) or "" if empty
  bool plain = true;        // false: quoted or block scalar -> always a string
  std::vector<Node> items;  // sequence
  std::vector<std::pair<Node, Node>> entries;  // mapping; keys are scalars

  // Declared here, defined in document.cpp: with an implicit inline
  // destructor, clang (libstdc++ 12) instantiates ~vector<pair<Node, Node>>
  // while Node is still incomplete and refuses to compile this header.
  Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;
  ~Node();

  bool is_scalar() const noexcept { return kind == NodeKind::scalar; }
  bool is_mapping() const noexcept { return kind == NodeKind::mapping; }
  bool is_sequence() const noexcept { return kind == NodeKind::sequence; }
  bool is_null() const noexcept { return kind == NodeKind::null; }
  // Value of `key` in a mapping, or nullptr (also for non-mappings).
  const Node* find(std::string_view key) const noexcept;
};

struct Document {
  std::string file;  // as given by the caller, used in diagnostics
  std::string text;  // the whole source text (for expression positions)
  Node root;
};

// Parses `text`. On any problem appends located errors to `diagnostics` and
// returns false; `out` is then unspecified. An empty document has a null root.
// Refuses: multiple documents, anchors/aliases/merge keys (`<<`), duplicate
// keys, non-scalar keys, nesting deeper than limits.max_yaml_depth, more than
// limits.max_yaml_nodes nodes, scalars longer than limits.max_string_length,
// text longer than limits.max_file_bytes, NUL bytes and invalid UTF-8.
bool parse_document(std::string_view text, const std::string& file, const Limits& limits,
                    Document& out, Diagnostics& diagnostics);

// Reads a whole file into `text`, refusing files over limits.max_file_bytes
// (never reading more than one byte past it). False after appending an
// error naming the file.
bool read_text_file(const std::string& path, const Limits& limits, std::string& text,
                    Diagnostics& diagnostics);

// read_text_file() then parse_document().
bool load_document(const std::string& path, const Limits& limits, Document& out,
                   Diagnostics& diagnostics);

// The location of the character at `offset` inside scalar `node`'s value,
// mapped back through quoting, escapes, and block/folded line breaks to the
// document text. Used to point at the offending character of an expression.
SourceLocation locate_in_scalar(const Document& document, const Node& node, std::size_t offset);

SourceLocation location_of(const Document& document, const Node& node);

}  // namespace fascia::detail::yaml
