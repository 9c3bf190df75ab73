#pragma once
// Scenario files for `fascia simulate` (docs/cli.md, "Scenario files"): what
// happens to the client week by week while the plan is projected forward:
// pain, flares, missed sessions, soreness, medication changes.

#include <fascia/client_state.hpp>
#include <fascia/diagnostic.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fascia::documents {

// The changes for one week, or a range of weeks ("5-6").
struct WeekChange {
  int first_week = 1;
  int last_week = 1;
  SourceLocation location;
  // From this week on (until changed again).
  std::optional<double> pain;
  std::optional<int> tolerance;
  std::optional<double> sleep;
  std::vector<Observation> observations;
  // This week only.
  std::optional<double> flare;     // severity; 0 = no flare
  std::optional<double> soreness;  // the day after each session
  bool missed = false;             // the sessions due this week do not happen
  bool medication_change = false;  // before the week's first session
};

struct Scenario {
  std::string name;
  double soreness = 2;              // default soreness the day after a session
  double pain_change_per_week = 0;  // drift of pain between the weeks that set it
  std::vector<WeekChange> weeks;    // in file order; later entries win
};

// Reads `path`; returns false after appending located errors.
bool read_scenario(const std::string& path, Scenario& out, Diagnostics& diagnostics);
// The same from text (YAML or JSON); `name` is used in messages.
bool parse_scenario(std::string_view text, const std::string& name, Scenario& out,
                    Diagnostics& diagnostics);

}  // namespace fascia::documents
