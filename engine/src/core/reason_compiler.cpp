#include "core/reason_compiler.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace fascia::detail {

namespace {

struct SlotName {
  std::string_view name;
  ReasonSlot slot;
};
constexpr std::array<SlotName, 7> slot_names = {{{"cap", ReasonSlot::cap},
                                                 {"duration_minutes", ReasonSlot::duration_minutes},
                                                 {"postpone_days", ReasonSlot::postpone_days},
                                                 {"stage", ReasonSlot::stage},
                                                 {"next_stage", ReasonSlot::next_stage},
                                                 {"frequency", ReasonSlot::frequency},
                                                 {"next_frequency", ReasonSlot::next_frequency}}};

bool slot_allowed(ReasonSlot slot, RuleFamily family, const ReasonActions& actions) {
  const bool stage_rule = family == RuleFamily::stage_advance || family == RuleFamily::stage_hold ||
                          family == RuleFamily::stage_regress;
  const bool frequency_rule =
      family == RuleFamily::frequency_step_down || family == RuleFamily::frequency_step_up;
  const bool action_rule = family == RuleFamily::pressure_caps ||
                           family == RuleFamily::flare_response || family == RuleFamily::general;
  switch (slot) {
    case ReasonSlot::cap:
      return action_rule && actions.cap;
    case ReasonSlot::duration_minutes:
      return action_rule && actions.duration_minutes;
    case ReasonSlot::postpone_days:
      return action_rule && actions.postpone_days;
    case ReasonSlot::stage:
    case ReasonSlot::next_stage:
      return stage_rule;
    case ReasonSlot::frequency:
    case ReasonSlot::next_frequency:
      return frequency_rule;
    case ReasonSlot::none:
      return true;
  }
  return false;
}

// Fields whose value can be absent in a valid client state (and, through
// them, every expression reading them without value_or()/has()).
bool may_be_absent(const Expression& expression) {
  const std::string& text = expression.text();
  if (text.find("value_or(") != std::string::npos || text.find("has(") != std::string::npos)
    return false;
  for (const FieldInfo* f : expression.fields_used()) {
    const std::string_view path = f->path;
    if (f->type == Type::series || path.starts_with("last.") || path.starts_with("observations.") ||
        path == "sleep_quality" || path == "flare.days_since_last")
      return true;
  }
  // A plugin function ("technique.function(") may fail: its value is then an error.
  for (std::size_t open = text.find('('); open != std::string::npos;
       open = text.find('(', open + 1)) {
    std::size_t start = open;
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(text[start - 1])) ||
                         text[start - 1] == '_' || text[start - 1] == '.'))
      --start;
    if (text.substr(start, open - start).find('.') != std::string::npos) return true;
  }
  return false;
}

std::string_view trim(std::string_view s, std::size_t& leading) {
  leading = 0;
  while (leading < s.size() && s[leading] == ' ') ++leading;
  s.remove_prefix(leading);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

bool ReasonCompiler::compile(const yaml::Node& node, RuleFamily family,
                             const ReasonActions& actions, ReasonTemplate& out) {
  const std::string& text = node.value;
  const std::size_t errors_before = diagnostics_.size();
  auto report = [&](std::size_t offset, std::string message) {
    diagnostics_.push_back(
        {Severity::error, yaml::locate_in_scalar(document_, node, offset), std::move(message)});
  };
  ReasonTemplate::Piece current;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        current.literal += '}';
        ++i;
      } else {
        report(i, "unmatched '}' in reason; write '}}' for a literal brace");
      }
      continue;
    }
    if (c != '{') {
      current.literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      current.literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos) {
      report(i, "unclosed '{' in reason; write '{{' for a literal brace");
      break;
    }
    std::size_t leading = 0;
    std::string_view body = std::string_view(text).substr(i + 1, close - i - 1);
    // "{expression|fallback}": the fallback is written when the value is absent.
    if (const std::size_t bar = body.find('|'); bar != std::string_view::npos) {
      std::size_t ignored = 0;
      current.fallback = std::string(trim(body.substr(bar + 1), ignored));
      body = body.substr(0, bar);
      if (current.fallback->empty())
        report(i + 1 + bar,
               "empty fallback after '|' in reason; write the text to show when "
               "the value is absent, e.g. '|not recorded'");
    }
    const std::string_view inner = trim(body, leading);
    const std::size_t inner_offset = i + 1 + leading;
    if (inner.empty()) {
      report(i, "empty placeholder '{}' in reason");
      i = close;
      continue;
    }
    bool is_slot = false;
    for (const auto& s : slot_names) {
      if (s.name == inner) {
        is_slot = true;
        if (!slot_allowed(s.slot, family, actions)) {
          const bool number_slot = s.slot == ReasonSlot::cap ||
                                   s.slot == ReasonSlot::duration_minutes ||
                                   s.slot == ReasonSlot::postpone_days;
          if (number_slot && family != RuleFamily::healing_response &&
              slot_allowed(s.slot, family, {true, true, true}))
            report(inner_offset, "'{" + std::string(inner) +
                                     "}' in a reason of a rule without a '" + std::string(inner) +
                                     "' action (it would have no value); "
                                     "add the action or remove the placeholder");
          else
            report(inner_offset, "'{" + std::string(inner) + "}' is not available in a " +
                                     to_string(family) + " rule's reason");
        }
        current.slot = s.slot;
      }
    }
    if (!is_slot) {
      auto expression = std::make_unique<Expression>();
      std::vector<ExpressionError> errors;
      CompileLimits limits{limits_.max_expression_length, limits_.max_expression_depth};
      if (compile_expression(inner, catalog_, limits, *expression, errors)) {
        if (!current.fallback && may_be_absent(*expression))
          report(inner_offset, "'{" + std::string(inner) +
                                   "}' can be absent when the rule fires (the reason "
                                   "would say 'absent'); write a fallback such as '{" +
                                   std::string(inner) + "|not recorded}', or use value_or()");
        current.expression = std::move(expression);
      } else
        for (const auto& e : errors) report(inner_offset + e.offset, e.message);
    }
    out.pieces.push_back(std::move(current));
    current = {};
    i = close;
  }
  if (!current.literal.empty() || out.pieces.empty()) out.pieces.push_back(std::move(current));
  out.literal_size = 0;
  for (const auto& piece : out.pieces) out.literal_size += piece.literal.size();
  return diagnostics_.size() == errors_before;
}

namespace {

void append_int(std::string& out, int value) {
  char buf[16];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

// The reason's pieces in order, into `out` (TextOut or JsonOut).
template <class Out>
void render(const ReasonTemplate& reason, const ClientState& state, const ReasonValues& values,
            Out& out) {
  for (const auto& piece : reason.pieces) {
    out.literal(piece.literal, static_cast<std::size_t>(&piece - reason.pieces.data()));
    if (piece.expression) {
      const Value v = piece.expression->evaluate(state);
      if (v.kind == Value::Kind::missing || v.kind == Value::Kind::error)
        out.text(piece.fallback
                     ? std::string_view(*piece.fallback)
                     : std::string_view(v.kind == Value::Kind::missing ? "not recorded"
                                                                       : "not available"));
      else
        out.value(v);
      continue;
    }
    switch (piece.slot) {
      case ReasonSlot::none:
        break;
      case ReasonSlot::cap:
        out.number(values.cap);
        break;
      case ReasonSlot::duration_minutes:
        out.number(values.duration_minutes);
        break;
      case ReasonSlot::postpone_days:
        out.number(values.postpone_days);
        break;
      case ReasonSlot::stage:
        out.text(values.stage);
        break;
      case ReasonSlot::next_stage:
        out.text(values.next_stage);
        break;
      case ReasonSlot::frequency:
        out.text(values.frequency);
        break;
      case ReasonSlot::next_frequency:
        out.text(values.next_frequency);
        break;
    }
  }
}

struct TextOut {
  std::string& out;
  void literal(std::string_view t, std::size_t) { out += t; }
  void text(std::string_view t) { out += t; }
  void number(int n) { append_int(out, n); }
  void value(const Value& v) { append_value(out, v); }
};

// Whole numbers below 100 and texts written as they are; other values
// formatted by append_value() into `scratch` first.
struct JsonOut {
  JsonWriter& w;
  const std::string* literals;  // escaped
  std::string& scratch;
  void literal(std::string_view, std::size_t piece) { w.text(literals[piece]); }
  void text(std::string_view t) {
    if (!t.empty()) w.string_piece(t);
  }
  void number(int n) { w.number(n); }
  void value(const Value& v) {
    if (v.kind == Value::Kind::number && v.number >= 0 && v.number < 100) {
      const int whole = static_cast<int>(v.number);
      if (whole == v.number) return w.number(whole);
    }
    if (v.kind == Value::Kind::string) return text(v.string);
    scratch.clear();
    append_value(scratch, v);
    text(scratch);
  }
};

}  // namespace

void ReasonTemplate::render_into(const ClientState& state, const ReasonValues& values,
                                 std::string& out) const {
  // One allocation in the common case: the literals plus room for values.
  out.reserve(out.size() + literal_size + 8 * pieces.size());
  TextOut text{out};
  render(*this, state, values, text);
}

void write_reason(const ReasonTemplate& reason, const std::string* literals,
                  const ClientState& state, const ReasonValues& values, JsonWriter& w,
                  std::string& scratch) {
  w.open_string();
  JsonOut json{w, literals, scratch};
  render(reason, state, values, json);
  w.close_string();
}

}  // namespace fascia::detail
