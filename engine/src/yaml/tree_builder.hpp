#pragma once
// The libyaml part of reading YAML text: libyaml's parse events
// (yaml_parser_parse) to a located yaml::Node tree, with our limits (nodes,
// depth, string length, error count) checked as the events stream, and our
// wording of libyaml's errors (parse_errors.hpp). document.cpp checks the
// raw text first (encoding, structure, colons, quotes) and calls this.

#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>

#include <string>
#include <string_view>

namespace fascia::detail::yaml {

// Parses `text` (already checked by document.cpp) into out.root; every
// problem, located in `file`, goes to `diagnostics`. out.root is a null
// node at 1:1 when the text holds no document.
void build_tree(std::string_view text, const std::string& file, const Limits& limits, Document& out,
                Diagnostics& diagnostics);

}  // namespace fascia::detail::yaml
