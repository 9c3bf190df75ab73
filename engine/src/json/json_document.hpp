#pragma once
// A small strict JSON reader producing the same located yaml::Document tree
// as the YAML loader, for the hot path of client states (one JSON object per
// NDJSON line): about twenty times faster than the YAML loader was on
// yaml-cpp (BM_BatchParseStateYaml: the YAML loader, now on libyaml).
//
// The tree is the one the YAML loader builds for the same text: numbers,
// `true` and `false` are plain scalars, strings (keys included) are quoted
// (non-plain) scalars, `null` is a null node whose value is "null", and every
// node keeps its line, column (in code points) and byte offset. The same
// limits and the same messages apply: duplicate keys, nesting depth, node
// count, string length and file size. Text the YAML loader would refuse for
// its encoding (control characters, invalid UTF-8) is "not JSON" here, so
// that parse_state_document() lets the YAML loader explain it.

#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>
#include <fascia/limits.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace fascia::detail::json {

using yaml::Document;

enum class JsonStatus : std::uint8_t {
  ok,        // `out` holds the tree
  invalid,   // well-formed JSON breaking a rule (duplicate key, limit): errors appended
  not_json,  // not strict JSON (one "invalid JSON: ..." error appended); YAML may still read it
};

JsonStatus parse_json_document(std::string_view text, const std::string& file, const Limits& limits,
                               Document& out, Diagnostics& diagnostics);

// One value of `text` at `pos` (line and column `at`), as
// parse_json_document() reads it inside a document: `depth` collections are
// open around it and `nodes` nodes were counted before it. On ok, `out` is
// the value and `pos` and `nodes` are moved past it; otherwise the whole
// text is not valid JSON (parse_json_document() says why).
struct ValuePosition {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};
JsonStatus parse_json_value(std::string_view text, const Limits& limits, std::size_t depth,
                            const ValuePosition& at, std::size_t& pos, std::size_t& nodes,
                            yaml::Node& out);

// True when the first character after blanks (and a byte order mark) is '{'.
bool looks_like_json_object(std::string_view text) noexcept;

// The client-state entry point: strict JSON when the text looks like a JSON
// object and is one, the YAML loader otherwise (YAML flow style such as
// `{a: 1}` and any text that is not strict JSON keep the YAML loader's
// behaviour and messages). Same contract as parse_document().
bool parse_state_document(std::string_view text, const std::string& file, const Limits& limits,
                          Document& out, Diagnostics& diagnostics);

}  // namespace fascia::detail::json
