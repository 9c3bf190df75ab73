#pragma once
// Resource limits applied to every input. A file that exceeds one is refused
// with a located error ("nesting too deep", "expression too long", ...)
// instead of exhausting the stack or memory. All are configurable.

#include <cstddef>

namespace fascia {

struct Limits {
  std::size_t max_file_bytes = 4u << 20;     // protocol or state file size
  std::size_t max_yaml_depth = 48;           // nested mappings/sequences
  std::size_t max_yaml_nodes = 200'000;      // nodes in one document
  std::size_t max_string_length = 8192;      // any single scalar
  std::size_t max_expression_length = 4096;  // characters in one expression
  std::size_t max_expression_depth = 64;     // nested parentheses/operators
  std::size_t max_rules = 5000;              // rules in one protocol
  std::size_t max_history_entries = 2000;    // history entries in one state
};

}  // namespace fascia
