#include "history_svg.hpp"

#include "svg_text.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

namespace fascia::cli {

namespace {

constexpr double svg_width = 1000, svg_height = 550;
constexpr double plot_left = 70, plot_right = 960;                // plot area, x
constexpr double plot_top = 110, plot_bottom = 390;               // plot area, y (0-10 scale)
constexpr double stage_strip_top = 418, stage_strip_height = 22;  // the stage strip under the dates

const char* pain_color = "#e07b00";
const char* pressure_color = "#2f6db5";
const char* soreness_color = "#2e7d32";
const char* flare_color = "#d64545";
// Alternating fills of the stage bands (with dark text: contrast above 7:1).
const char* const stage_fills[] = {"#dfe8f5", "#efe3f3"};

class HistoryChart {
 public:
  HistoryChart(const ClientState& state, const HistoryChartLabels& labels)
      : state_(state), labels_(labels) {
    first_ = state.history.empty() ? state.as_of : state.history.front().date;
    if (state.flare.days_since_last) first_ = std::min(first_, flare_date());
    days_ = double(
        std::max<std::int64_t>(7, state.as_of.days_since_epoch() - first_.days_since_epoch() + 3));
  }

  std::string draw() {
    out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + svg_number(svg_width) +
            "\" height=\"" + svg_number(svg_height) + "\" viewBox=\"0 0 " + svg_number(svg_width) +
            " " + svg_number(svg_height) +
            "\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n";
    const std::string title = "Recorded sessions of client " + state_.client_id;
    out_ += "<title>" + svg_escape(title) + "</title>\n";
    out_ += "<rect x=\"0\" y=\"0\" width=\"" + svg_number(svg_width) + "\" height=\"" +
            svg_number(svg_height) + "\" fill=\"#ffffff\"/>\n";
    text(plot_left, 34, title, "font-size=\"22\" font-weight=\"bold\" fill=\"#222\"");
    std::string sub = labels_.protocol + "  |  " + std::to_string(state_.history.size()) +
                      " sessions recorded, up to " + state_.as_of.to_string();
    text(plot_left, 58, sub, "font-size=\"13\" fill=\"#555\"");
    std::string now =
        "Now: " + (labels_.stage.empty() ? std::string("first stage") : labels_.stage);
    if (state_.program.sessions_in_stage)
      now += " (" + std::to_string(*state_.program.sessions_in_stage) + " sessions in this stage)";
    if (!labels_.frequency.empty()) now += ", " + labels_.frequency;
    text(plot_left, 80, now, "font-size=\"13\" fill=\"#333\"");
    stages();
    flare();
    grid();
    series(pressure_color, "", [](const HistoryEntry& h) -> std::optional<double> {
      return h.pressure ? std::optional<double>(*h.pressure) : std::nullopt;
    });
    series(pain_color, "", [](const HistoryEntry& h) { return h.pain_before; });
    series(pain_color, " stroke-dasharray=\"6 4\"",
           [](const HistoryEntry& h) { return h.pain_after; });
    series(soreness_color, " stroke-dasharray=\"2 3\"",
           [](const HistoryEntry& h) { return h.soreness_24h; });
    legend();
    out_ += "</svg>\n";
    return out_;
  }

 private:
  Date flare_date() const { return state_.as_of.plus_days(-*state_.flare.days_since_last); }

  double x(const Date& d) const {
    const double day = double(d.days_since_epoch() - first_.days_since_epoch()) + 1.5;
    return plot_left + (plot_right - plot_left) * std::clamp(day / days_, 0.0, 1.0);
  }
  static double y(double value) { return plot_bottom - (plot_bottom - plot_top) * value / 10.0; }

  void text(double x0, double y0, const std::string& s, const std::string& attrs) {
    out_ += "<text x=\"" + svg_number(x0) + "\" y=\"" + svg_number(y0) + "\" " + attrs + ">" +
            svg_escape(s) + "</text>\n";
  }
  void line(double x1, double y1, double x2, double y2, const std::string& attrs) {
    out_ += "<line x1=\"" + svg_number(x1) + "\" y1=\"" + svg_number(y1) + "\" x2=\"" +
            svg_number(x2) + "\" y2=\"" + svg_number(y2) + "\" " + attrs + "/>\n";
  }

  void grid() {
    for (int v = 0; v <= 10; v += 2) {
      line(plot_left, y(v), plot_right, y(v), "stroke=\"#e4e4e4\" stroke-width=\"1\"");
      text(plot_left - 10, y(v) + 4, std::to_string(v),
           "font-size=\"12\" fill=\"#666\" text-anchor=\"end\"");
    }
    line(plot_left, plot_bottom, plot_right, plot_bottom, "stroke=\"#999\" stroke-width=\"1\"");
    // Session dates, thinned so that labels never crowd.
    double last_label = -1e9;
    for (const auto& h : state_.history) {
      const double px = x(h.date);
      line(px, plot_bottom, px, plot_bottom + 5, "stroke=\"#999\"");
      if (px - last_label >= 70) {
        text(px, plot_bottom + 18, h.date.to_string(),
             "font-size=\"10\" fill=\"#666\" text-anchor=\"middle\"");
        last_label = px;
      }
    }
    const double px = x(state_.as_of);
    line(px, plot_top, px, plot_bottom, "stroke=\"#555\" stroke-dasharray=\"3 3\"");
    text(px, plot_top - 6, "today " + state_.as_of.to_string(),
         "font-size=\"11\" fill=\"#333\" text-anchor=\"end\"");
  }

  void flare() {
    if (state_.flare.active) {
      const double x0 = state_.flare.days_since_last ? x(flare_date()) : x(state_.as_of) - 12;
      out_ += "<rect x=\"" + svg_number(x0) + "\" y=\"" + svg_number(plot_top) + "\" width=\"" +
              svg_number(std::max(8.0, x(state_.as_of) - x0)) + "\" height=\"" +
              svg_number(plot_bottom - plot_top) + "\" fill=\"" + flare_color +
              "\" fill-opacity=\"0.13\"/>\n";
      text(x0 + 4, plot_top + 14, "flare now (severity " + svg_number(state_.flare.severity) + ")",
           "font-size=\"11\" font-weight=\"bold\" fill=\"" + std::string(flare_color) + "\"");
    } else if (state_.flare.days_since_last) {
      const double px = x(flare_date());
      line(px, plot_top, px, plot_bottom,
           "stroke=\"" + std::string(flare_color) + "\" stroke-width=\"2\"");
      text(px + 4, plot_top + 14, "last flare " + flare_date().to_string(),
           "font-size=\"11\" font-weight=\"bold\" fill=\"" + std::string(flare_color) + "\"");
    }
  }

  // One band per run of consecutive sessions given in the same stage, in the
  // strip under the dates, labelled with the stage's title; a dashed line in
  // the plot where the stage changed. Entries without a stage are left out.
  void stages() {
    struct Run {
      std::string id;
      Date first, last;
    };
    std::vector<Run> runs;
    for (const auto& h : state_.history) {
      if (h.stage.empty()) continue;
      if (!runs.empty() && runs.back().id == h.stage)
        runs.back().last = h.date;
      else
        runs.push_back({h.stage, h.date, h.date});
    }
    if (runs.empty()) return;
    text(plot_left - 10, stage_strip_top + 15, "Stage",
         "font-size=\"12\" fill=\"#666\" text-anchor=\"end\"");
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const double x0 = i == 0 ? std::max(plot_left, x(runs[i].first) - 8)
                               : (x(runs[i - 1].last) + x(runs[i].first)) / 2;
      const double x1 = i + 1 == runs.size() ? std::min(plot_right, x(runs[i].last) + 8)
                                             : (x(runs[i].last) + x(runs[i + 1].first)) / 2;
      const auto found = labels_.stage_titles.find(runs[i].id);
      const std::string title = found == labels_.stage_titles.end() ? runs[i].id : found->second;
      out_ += "<rect x=\"" + svg_number(x0) + "\" y=\"" + svg_number(stage_strip_top) +
              "\" width=\"" + svg_number(std::max(2.0, x1 - x0)) + "\" height=\"" +
              svg_number(stage_strip_height) + "\" fill=\"" + stage_fills[i % 2] +
              "\" stroke=\"#ffffff\"><title>" + svg_escape(title) + " (" +
              runs[i].first.to_string() + " to " + runs[i].last.to_string() + ")</title></rect>\n";
      // The title, shortened to the band (about 6.5 px a character at 12 px).
      const auto fits = std::size_t(std::max(0.0, (x1 - x0 - 8) / 6.5));
      std::string label = title;
      if (label.size() > fits) {
        std::size_t cut = fits >= 2 ? fits - 1 : 0;  // not inside a UTF-8 sequence
        while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
        label = cut > 0 ? label.substr(0, cut) + "\u2026" : "";
      }
      if (!label.empty())
        text(x0 + 4, stage_strip_top + 15, label, "font-size=\"12\" fill=\"#222\"");
      if (i > 0) line(x0, plot_top, x0, plot_bottom, "stroke=\"#8a6aa8\" stroke-dasharray=\"4 4\"");
    }
  }

  void series(const char* color, const std::string& dash,
              const std::function<std::optional<double>(const HistoryEntry&)>& value) {
    std::string points, dots;
    for (const auto& h : state_.history) {
      const auto v = value(h);
      if (!v) continue;
      points += svg_number(x(h.date)) + "," + svg_number(y(*v)) + " ";
      dots += "<circle cx=\"" + svg_number(x(h.date)) + "\" cy=\"" + svg_number(y(*v)) +
              "\" r=\"3.5\" fill=\"" + color + "\"/>\n";
    }
    if (points.empty()) return;
    out_ += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + color +
            "\" stroke-width=\"2.5\"" + dash + "/>\n" + dots;
  }

  void legend() {
    const double top = 480;
    double px = plot_left;
    auto item = [&](const std::string& label, const char* color, const std::string& dash) {
      line(px, top, px + 22, top,
           "stroke=\"" + std::string(color) + "\" stroke-width=\"2.5\"" + dash);
      text(px + 30, top + 4, label, "font-size=\"13\" fill=\"#333\"");
      px += 40 + 7.2 * double(label.size());
    };
    item("Pressure used (1-10)", pressure_color, "");
    item("Pain before (0-10)", pain_color, "");
    item("Pain after (0-10)", pain_color, " stroke-dasharray=\"6 4\"");
    item("Soreness next day (0-10)", soreness_color, " stroke-dasharray=\"2 3\"");
    text(plot_left, top + 40, "Client-rated values as recorded after each session.",
         "font-size=\"12\" fill=\"#777\" font-style=\"italic\"");
  }

  const ClientState& state_;
  const HistoryChartLabels& labels_;
  Date first_;
  double days_ = 7;
  std::string out_;
};

}  // namespace

std::string history_svg(const ClientState& state, const HistoryChartLabels& labels) {
  return HistoryChart(state, labels).draw();
}

}  // namespace fascia::cli
