#pragma once
// Compiles a rule's `reason` text with its {placeholders} (expressions or
// the rule's own values such as {cap}) into a ReasonTemplate, reporting
// problems at the placeholder's line and column.

#include "core/json_writer.hpp"
#include "core/protocol_model.hpp"
#include "yaml/document.hpp"

#include <fascia/diagnostic.hpp>

namespace fascia::detail {

// The number actions a rule has: `{cap}`, `{duration_minutes}` and
// `{postpone_days}` are only allowed in a rule with that action.
struct ReasonActions {
  bool cap = false;
  bool duration_minutes = false;
  bool postpone_days = false;
};

// The text of a reason without placeholders (rendered, it is always this
// text), else null.
inline const std::string* constant_reason(const ReasonTemplate& reason) {
  const auto& pieces = reason.pieces;
  return pieces.size() == 1 && !pieces[0].expression && pieces[0].slot == ReasonSlot::none
             ? &pieces[0].literal
             : nullptr;
}

// The text render_into() gives, written into `w` as a string value (the
// bytes w.value() writes for it) without building it first: `literals` are
// the pieces' literals escaped, with JsonWriter::text()'s padding; `scratch`
// holds a value that is neither a text nor a whole number below 100 while
// it is written.
void write_reason(const ReasonTemplate& reason, const std::string* literals,
                  const ClientState& state, const ReasonValues& values, JsonWriter& w,
                  std::string& scratch);

class ReasonCompiler {
 public:
  ReasonCompiler(const yaml::Document& document, const Catalog& catalog, const Limits& limits,
                 Diagnostics& diagnostics)
      : document_(document), catalog_(catalog), limits_(limits), diagnostics_(diagnostics) {}

  // `node` is the reason scalar; returns false after reporting problems.
  // A placeholder whose value can be absent must be guarded: written with
  // value_or()/has() or with a fallback text ("{last.pressure|not recorded}").
  bool compile(const yaml::Node& node, RuleFamily family, const ReasonActions& actions,
               ReasonTemplate& out);

 private:
  const yaml::Document& document_;
  const Catalog& catalog_;
  const Limits& limits_;
  Diagnostics& diagnostics_;
};

}  // namespace fascia::detail
