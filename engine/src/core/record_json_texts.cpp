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
}

}  // namespace

bool RecordJsonTexts::use(const ProtocolModel& model) {
  if (serial_ == model.serial) return false;
  serial_ = model.serial;
  techniques_.clear();
  rules_.resize(model.rules.size());
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = model.rules[i];
    RuleTexts& out = rules_[i];
    quote(rule.id, out.id);
    quote(rule.source, out.source);
    quote(rule.check_in, out.check_in);
    quote(rule.note, out.note);
    if (const std::string* text = constant_reason(rule.reason))
      quote(*text, out.reason);
    else
      out.reason.clear();
  }
  return true;
}

std::string_view RecordJsonTexts::technique(const TechniqueEntry& entry) {
  for (const auto& [e, json] : techniques_)
    if (e == &entry) return json;
  std::string json;
  JsonWriter w(json);
  w.begin_object();
  write_members(w, TechniqueHead{entry.info.id, entry.plugin->description.name,
                                 entry.plugin->description.version});
  w.finish();
  json.erase(0, 1);  // the '{'
  return techniques_.emplace_back(&entry, std::move(json)).second;
}

}  // namespace fascia::detail
