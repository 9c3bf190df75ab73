#include "core/record_json_texts.hpp"

#include "core/contract_json.hpp"
#include "core/json_writer.hpp"
#include "core/reason_compiler.hpp"

namespace fascia::detail {

namespace {

void quote(std::string_view text, std::string& out) {
  out.clear();
  JsonWriter w(out);
  w.value(text);
  w.finish();
  RecordJsonTexts::pad(out);
}

}  // namespace

bool RecordJsonTexts::switch_to(const ProtocolModel& model) {
  serial_ = model.serial;
  techniques_.clear();
  for (std::size_t k = 0; k < kind_heads_.size(); ++k) {
    const auto kind = static_cast<AdjustmentKind>(k);
    kind_heads_[k].assign("{\"kind\":\"").append(to_string(kind)).append("\",\"value\":");
    pad(kind_heads_[k]);
  }
  rules_.resize(model.rules.size());
  std::string quoted;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = model.rules[i];
    RuleTexts& out = rules_[i];
    quote(rule.id, out.id);
    quote(rule.check_in, out.check_in);
    quote(rule.note, out.note);
    out.rule_key.assign(",\"rule\":").append(out.id).append(",\"reason\":");
    quote(rule.source, quoted);
    out.source_tail.assign(",\"source\":").append(quoted).append("}");
    out.tail.clear();
    out.reason_pieces.clear();
    if (const std::string* text = constant_reason(rule.reason)) {
      quote(*text, quoted);
      out.tail.assign(out.rule_key).append(quoted).append(out.source_tail);
    } else {
      for (const auto& piece : rule.reason.pieces) {
        quote(piece.literal, out.reason_pieces.emplace_back());
        out.reason_pieces.back().pop_back();  // the quotes
        out.reason_pieces.back().erase(0, 1);
      }
    }
    for (std::string* text : {&out.rule_key, &out.source_tail, &out.tail}) pad(*text);
  }
  return true;
}

std::string_view RecordJsonTexts::add_technique(const TechniqueEntry& entry) {
  std::string json;
  JsonWriter w(json);
  write_members(w, TechniqueHead{entry.info.id, entry.plugin->description.name,
                                 entry.plugin->description.version});
  w.finish();
  pad(json);
  return techniques_.emplace_back(&entry, std::move(json)).second;
}

}  // namespace fascia::detail
