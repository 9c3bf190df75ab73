#include "yaml/document.hpp"

#include "common/reader_messages.hpp"
#include "yaml/bounded_read.hpp"
#include "yaml/hints.hpp"
#include "yaml/text.hpp"
#include "yaml/tree_builder.hpp"

#include <exception>
#include <new>

namespace fascia::detail::yaml {

Node::Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;
Node::~Node() = default;

const Node* Node::find(std::string_view key) const noexcept {
  if (kind != NodeKind::mapping) return nullptr;
  for (const auto& [k, v] : entries)
    if (k.kind == NodeKind::scalar && k.value == key) return &v;
  return nullptr;
}

SourceLocation location_of(const Document& document, const Node& node) {
  return SourceLocation{document.file, node.mark.line, node.mark.column};
}

namespace {

std::size_t count_errors(const Diagnostics& diagnostics) {
  std::size_t count = 0;
  for (const auto& d : diagnostics)
    if (d.severity == Severity::error) ++count;
  return count;
}

void parse_text(std::string_view text, const std::string& file, const Limits& limits, Document& out,
                Diagnostics& diagnostics) {
  const auto fail = [&](std::size_t offset, std::string message) {
    const auto position = Locator(text).at(offset);
    diagnostics.push_back(Diagnostic{
        Severity::error, SourceLocation{file, position.line, position.column}, std::move(message)});
  };
  if (text.size() > limits.max_file_bytes) {
    diagnostics.push_back(
        Diagnostic{Severity::error, SourceLocation{file, 0, 0},
                   reader_messages::file_too_large(text.size(), limits.max_file_bytes)});
    return;
  }
  if (auto problem = check_encoding(text)) return fail(problem->offset, problem->message);
  if (auto problem = prescan_structure(text, limits))
    return fail(problem->offset, problem->message);
  // Every unquoted "key: value: more" at once, rather than the parser's
  // "illegal map value" for the first one only.
  if (auto colons = unquoted_colons(text); !colons.empty()) {
    for (auto& problem : colons) fail(problem.offset, std::move(problem.message));
    return;
  }
  // A quoted string left open makes libyaml fail at the end of the text;
  // describe_syntax_error (parse_errors.cpp) then names its opening quote.
  build_tree(text, file, limits, out, diagnostics);
}

}  // namespace

bool parse_document(std::string_view text, const std::string& file, const Limits& limits,
                    Document& out, Diagnostics& diagnostics) {
  const std::size_t errors_before = count_errors(diagnostics);
  try {
    out.file = file;
    if (text.data() != out.text.data() || text.size() != out.text.size())
      out.text.assign(text.data(), text.size());  // load_document reads into it
    // Old Mac line endings (a lone CR) read as line breaks, for the raw-text
    // checks and the Locator as for libyaml. Same length, so every offset
    // stays the same.
    for (std::size_t i = out.text.find('\r'); i != std::string::npos;
         i = out.text.find('\r', i + 1))
      if (i + 1 == out.text.size() || out.text[i + 1] != '\n') out.text[i] = '\n';
    out.root = Node{};
    out.root.mark = Mark{1, 1, 0};
    parse_text(out.text, file, limits, out, diagnostics);
  } catch (const std::bad_alloc&) {
    diagnostics.push_back(Diagnostic{Severity::error, SourceLocation{file, 0, 0},
                                     "out of memory while reading the YAML file",
                                     DiagnosticCode::out_of_memory});
  } catch (const std::exception& e) {
    diagnostics.push_back(Diagnostic{Severity::error, SourceLocation{file, 0, 0},
                                     std::string("internal error while reading YAML: ") + e.what(),
                                     DiagnosticCode::internal_error});
  } catch (...) {
    diagnostics.push_back(Diagnostic{Severity::error, SourceLocation{file, 0, 0},
                                     "internal error while reading YAML",
                                     DiagnosticCode::internal_error});
  }
  return count_errors(diagnostics) == errors_before;
}

bool read_text_file(const std::string& path, const Limits& limits, std::string& text,
                    Diagnostics& diagnostics) {
  // The one bounded reader (yaml/bounded_read.hpp): never more than the
  // limit plus one byte, whatever the file is (a pipe, /dev/zero).
  std::optional<ReadProblem> problem;
  try {
    problem = read_file_bounded(path, limits.max_file_bytes, text);
  } catch (const std::exception& e) {
    problem =
        ReadProblem{DiagnosticCode::cannot_read, std::string("cannot read the file: ") + e.what()};
  }
  if (!problem) return true;
  diagnostics.push_back(Diagnostic{Severity::error, SourceLocation{path, 0, 0},
                                   std::move(problem->message), problem->code});
  text.clear();
  return false;
}

bool load_document(const std::string& path, const Limits& limits, Document& out,
                   Diagnostics& diagnostics) {
  // Read straight into the document: no second copy of the text.
  return read_text_file(path, limits, out.text, diagnostics) &&
         parse_document(out.text, path, limits, out, diagnostics);
}

}  // namespace fascia::detail::yaml
