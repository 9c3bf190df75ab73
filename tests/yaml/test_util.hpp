#pragma once
// Helpers for the yaml area's tests: parse a text and render diagnostics the
// way the CLI prints them ("file:line:col: error: message").

#include "yaml/document.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace fascia::test {

using detail::yaml::Document;
using detail::yaml::parse_document;

struct Parsed {
  bool ok = false;
  Document document;
  Diagnostics diagnostics;

  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics) out.push_back(d.to_string());
    return out;
  }
  // The first diagnostic, or "" when there is none.
  std::string first() const { return diagnostics.empty() ? "" : diagnostics.front().to_string(); }
};

inline Parsed parse(std::string_view text, const Limits& limits = {}) {
  Parsed p;
  p.ok = parse_document(text, "t.yaml", limits, p.document, p.diagnostics);
  return p;
}

}  // namespace fascia::test
