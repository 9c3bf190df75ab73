#include "fhir_elements.hpp"

#include <algorithm>

namespace fascia::serve::fhir_elements {

// j[key] as a string view (empty if absent or not a string): no copy.
std::string_view sv(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                          : std::string_view();
}

std::string str(const Json& j, const char* key) { return std::string(sv(j, key)); }

// r[key], or a null value, without copying.
const Json& member(const Json& r, const char* key) {
  static const Json null;
  if (!r.is_object()) return null;
  auto it = r.find(key);
  return it == r.end() ? null : *it;
}

std::string ref(const Json& r) { return str(r, "resourceType") + "/" + str(r, "id"); }

// The date part of a FHIR date/dateTime/instant, if it is one.
std::optional<Date> fhir_date(const Json& j) {
  if (!j.is_string()) return std::nullopt;
  const auto& s = j.get_ref<const std::string&>();
  if (s.size() < 10) return std::nullopt;
  return Date::parse(std::string_view(s).substr(0, 10));
}

// The first of `elements` the resource has, as a date; `element` names it.
std::optional<Date> first_date(const Json& r, std::initializer_list<const char*> elements,
                               std::string& element) {
  for (const char* e : elements) {
    std::string_view path(e);
    const Json* node = &r;
    std::string name;
    for (std::size_t start = 0; start <= path.size();) {
      const std::size_t dot = std::min(path.find('.', start), path.size());
      const std::string_view part = path.substr(start, dot - start);
      if (!node->is_object()) {
        node = nullptr;
        break;
      }
      const auto it = node->find(part);
      if (it == node->end()) {
        node = nullptr;
        break;
      }
      node = &*it;
      start = dot + 1;
    }
    if (!node) continue;
    element = e;
    return fhir_date(*node);
  }
  element = *elements.begin();
  return std::nullopt;
}

bool has_coding(const Json& cc, const FhirCode& code) {
  if (!cc.is_object()) return false;
  auto it = cc.find("coding");
  if (it == cc.end() || !it->is_array()) return false;
  for (const auto& c : *it)
    if (sv(c, "system") == code.system && sv(c, "code") == code.code) return true;
  return false;
}

std::string status_code(const Json& cc) {
  if (!cc.is_object()) return {};
  auto it = cc.find("coding");
  if (it == cc.end() || !it->is_array() || it->empty()) return {};
  return str((*it)[0], "code");
}

Json::json_pointer pointer(const std::string& dotted) {
  std::string p;
  for (char c : dotted) p += c == '.' ? '/' : c;
  return Json::json_pointer("/" + p);
}

}  // namespace fascia::serve::fhir_elements
