#include "scenario.hpp"

#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <charconv>

namespace fascia::documents {

namespace {

namespace yaml = detail::yaml;

// "5" or "5-8".
bool parse_weeks(const std::string& text, int& first, int& last) {
  const auto dash = text.find('-');
  auto number = [](std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out >= 1 && out <= 520;
  };
  if (dash == std::string::npos) return number(text, first) && ((last = first), true);
  return number(std::string_view(text).substr(0, dash), first) &&
         number(std::string_view(text).substr(dash + 1), last) && first <= last;
}

class ScenarioReader {
 public:
  ScenarioReader(const yaml::Document& doc, Diagnostics& diagnostics) : reader_(doc, diagnostics) {}

  void read(const yaml::Node& root, Scenario& out) {
    if (!reader_.expect_mapping(root, "scenario", {"name", "defaults", "weeks"})) return;
    if (const auto* n = root.find("name"))
      if (auto v = reader_.string(*n, "name")) out.name = *v;
    if (const auto* d = root.find("defaults");
        d && reader_.expect_mapping(*d, "defaults", {"soreness", "pain_change_per_week"})) {
      if (const auto* n = d->find("soreness"))
        if (auto v = reader_.number(*n, "soreness", 0, 10)) out.soreness = *v;
      if (const auto* n = d->find("pain_change_per_week"))
        if (auto v = reader_.number(*n, "pain_change_per_week", -10, 10))
          out.pain_change_per_week = *v;
    }
    const auto* weeks = root.find("weeks");
    if (!weeks) return;
    if (!weeks->is_mapping()) {
      reader_.error(*weeks,
                    "weeks must map a week number (1 = the first week) or a range "
                    "such as 5-6 to what happens that week");
      return;
    }
    for (const auto& [key, value] : weeks->entries) read_week(key, value, out);
  }

 private:
  void read_week(const yaml::Node& key, const yaml::Node& value, Scenario& out) {
    WeekChange w;
    w.location = reader_.location(key);
    if (!parse_weeks(key.value, w.first_week, w.last_week)) {
      reader_.error(key, "'" + key.value + "' is not a week number 1-520 or a range such as 5-6");
      return;
    }
    if (!reader_.expect_mapping(value, "week",
                                {"pain", "tolerance", "sleep", "observations", "flare", "soreness",
                                 "missed", "medication_change"}))
      return;
    if (const auto* n = value.find("pain")) w.pain = reader_.number(*n, "pain", 0, 10);
    if (const auto* n = value.find("tolerance"))
      if (auto v = reader_.integer(*n, "tolerance", 1, 10)) w.tolerance = int(*v);
    if (const auto* n = value.find("sleep")) w.sleep = reader_.number(*n, "sleep", 0, 10);
    if (const auto* n = value.find("flare")) w.flare = reader_.number(*n, "flare", 0, 10);
    if (const auto* n = value.find("soreness")) w.soreness = reader_.number(*n, "soreness", 0, 10);
    if (const auto* n = value.find("missed"))
      w.missed = reader_.boolean(*n, "missed").value_or(false);
    if (const auto* n = value.find("medication_change"))
      w.medication_change = reader_.boolean(*n, "medication_change").value_or(false);
    if (const auto* n = value.find("observations")) {
      if (!n->is_mapping()) {
        reader_.error(*n, "observations must map an observation name to its value");
      } else {
        for (const auto& [name, v] : n->entries) {
          ObservationValue ov;
          const auto kind =
              v.plain ? yaml::classify_plain_scalar(v.value) : yaml::ScalarKind::string;
          if (!v.is_scalar()) {
            reader_.error(v, "an observation value must be a scalar");
            continue;
          }
          if (kind == yaml::ScalarKind::boolean)
            ov = v.value == "true";
          else if (kind == yaml::ScalarKind::integer || kind == yaml::ScalarKind::number)
            ov = reader_.number(v, name.value, -1e9, 1e9).value_or(0);
          else
            ov = v.value;
          w.observations.push_back({name.value, ov});
        }
      }
    }
    out.weeks.push_back(std::move(w));
  }

  yaml::Reader reader_;
};

}  // namespace

bool read_scenario(const std::string& path, Scenario& out, Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  yaml::Document document;
  if (!yaml::load_document(path, Limits{}, document, diagnostics)) return false;
  if (!document.root.is_null()) ScenarioReader(document, diagnostics).read(document.root, out);
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

bool parse_scenario(std::string_view text, const std::string& name, Scenario& out,
                    Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  yaml::Document document;
  if (!yaml::parse_document(text, name, Limits{}, document, diagnostics)) return false;
  if (!document.root.is_null()) ScenarioReader(document, diagnostics).read(document.root, out);
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

}  // namespace fascia::documents
