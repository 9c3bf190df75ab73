#pragma once
// The JSON path ("$.pain.current", "$.history[0].pressure") of a located
// problem in a client state (or any YAML/JSON input), for error documents
// that name the field next to line and column (the C API's error JSON).
// JSON and YAML are read into the same located tree, so both work.

#include <fascia/diagnostic.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fascia::detail::yaml {
struct Document;  // held, not shown: this header includes only the public API
}

namespace fascia::documents {

class JsonPathFinder {
 public:
  // `text` is named `file` in the diagnostics path() is asked about. Text
  // that does not parse gives "$" for every position.
  JsonPathFinder(std::string_view text, std::string file);
  ~JsonPathFinder();

  // The path of the deepest key or value starting at or before line:column
  // (one-based); "$" for line 0.
  std::string path(std::uint32_t line, std::uint32_t column) const;
  // A diagnostic's path: "$.PATH" for a `--set PATH` change, the position's
  // path for a problem in `file`, "$" for any other.
  std::string path(const Diagnostic& diagnostic) const;

 private:
  std::string file_;
  std::unique_ptr<detail::yaml::Document> document_;  // null: nothing parsed
};

}  // namespace fascia::documents
