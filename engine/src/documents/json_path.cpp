#include "documents/json_path.hpp"

#include "json/json_document.hpp"
#include "yaml/document.hpp"

#include <cctype>
#include <tuple>
#include <utility>

namespace fascia::documents {

namespace {

namespace yaml = detail::yaml;

bool at_or_before(const yaml::Mark& mark, std::uint32_t line, std::uint32_t column) {
  return std::tie(mark.line, mark.column) <= std::tie(line, column);
}

std::string key_text(const std::string& key) {
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return "['" + key + "']";
  return "." + key;
}

}  // namespace

JsonPathFinder::JsonPathFinder(std::string_view text, std::string file) : file_(std::move(file)) {
  if (text.empty() || file_.empty()) return;
  Diagnostics ignored;
  auto document = std::make_unique<yaml::Document>();
  if (detail::json::parse_state_document(text, file_, Limits{}, *document, ignored))
    document_ = std::move(document);
}

JsonPathFinder::~JsonPathFinder() = default;

std::string JsonPathFinder::path(std::uint32_t line, std::uint32_t column) const {
  if (line == 0 || !document_) return "$";
  std::string path = "$";
  const yaml::Node* node = &document_->root;
  while (node) {
    const yaml::Node* next = nullptr;
    if (node->is_mapping()) {
      const std::string* name = nullptr;
      for (const auto& [key, value] : node->entries) {
        if (!at_or_before(key.mark, line, column)) break;
        next = &value;  // the last entry at or before the position wins
        name = &key.value;
      }
      if (next) path += key_text(*name);
    } else if (node->is_sequence()) {
      std::size_t index = 0;
      for (std::size_t i = 0; i < node->items.size(); ++i) {
        if (!at_or_before(node->items[i].mark, line, column)) break;
        next = &node->items[i];
        index = i;
      }
      if (next) {
        path += '[';
        path += std::to_string(index);
        path += ']';
      }
    }
    node = next;
  }
  return path;
}

std::string JsonPathFinder::path(const Diagnostic& diagnostic) const {
  const std::string& where = diagnostic.location.file;
  if (where.starts_with("--set ")) return "$." + where.substr(6);
  if (where != file_) return "$";
  return path(diagnostic.location.line, diagnostic.location.column);
}

}  // namespace fascia::documents
