#pragma once
// The client's recorded history as a self-contained SVG chart (`fascia
// chart`): pain before and after each session, the pressure used, soreness
// the day after, the last flare, the stages the sessions were given in (a band
// per stage, by title) and the current stage, on one time axis.

#include <fascia/client_state.hpp>

#include <map>
#include <string>

namespace fascia::cli {

struct HistoryChartLabels {
  std::string protocol;   // "Fibromyalgia massage protocol 1.0.0"
  std::string stage;      // the current stage's title
  std::string frequency;  // the current frequency's title
  // Stage id -> title, for the bands of the history entries' `stage`; an id
  // missing here is shown as it is.
  std::map<std::string, std::string> stage_titles;
};

std::string history_svg(const ClientState& state, const HistoryChartLabels& labels);

}  // namespace fascia::cli
