#pragma once
// Strict typed reading of a yaml::Document with located errors. Scalars are
// parsed by our own locale-independent routines (std::from_chars): only
// `true`/`false` are booleans, numbers are plain decimal, quoted scalars are
// strings, non-finite numbers are refused. Every problem is appended to the
// diagnostics list and reading goes on, so one pass reports them all.

#include "yaml/document.hpp"

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fascia::detail::yaml {

class Reader {
 public:
  Reader(const Document& document, Diagnostics& diagnostics);

  const Document& document() const noexcept { return document_; }
  SourceLocation location(const Node& node) const;
  void error(const Node& node, std::string message);
  std::size_t error_count() const noexcept;

  // Checks a mapping: reports each key not in `allowed` ("unknown key 'x'
  // in stage; expected one of: ..." with a did-you-mean when one is close)
  // and each `required` key that is missing (at the mapping). Returns false
  // (after reporting) if `node` is not a mapping.
  bool expect_mapping(const Node& node, std::string_view what,
                      std::initializer_list<std::string_view> allowed,
                      std::initializer_list<std::string_view> required = {});
  bool expect_sequence(const Node& node, std::string_view what);

  // Typed scalars. `what` names the key for messages ("pain.current").
  // Each returns nullopt after reporting an error.
  std::optional<std::int64_t> integer(const Node& node, std::string_view what, std::int64_t min,
                                      std::int64_t max);
  std::optional<double> number(const Node& node, std::string_view what, double min, double max);
  std::optional<bool> boolean(const Node& node, std::string_view what);
  // Any scalar as text (plain or quoted), up to the string length limit;
  // `allow_empty` false refuses "".
  std::optional<std::string> string(const Node& node, std::string_view what,
                                    bool allow_empty = false);
  // A string that must be one of `allowed`.
  std::optional<std::string> one_of(const Node& node, std::string_view what,
                                    const std::vector<std::string>& allowed);
  std::optional<Date> date(const Node& node, std::string_view what);
  std::optional<std::vector<std::string>> string_list(const Node& node, std::string_view what);

 private:
  const Document& document_;
  Diagnostics& diagnostics_;
};

// Plain-scalar classification shared by the reader and the --set parser.
enum class ScalarKind : std::uint8_t { null, boolean, integer, number, string };
ScalarKind classify_plain_scalar(std::string_view text) noexcept;

}  // namespace fascia::detail::yaml
