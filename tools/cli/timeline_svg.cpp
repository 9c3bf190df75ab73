#include "timeline_svg.hpp"

#include "svg_text.hpp"

#include <algorithm>
#include <map>

namespace fascia::cli {

using documents::Scenario;
using documents::SimulatedSession;
using documents::Simulation;

namespace {

constexpr double svg_width = 1000, svg_height = 590;
constexpr double plot_left = 70, plot_right = 960;        // plot area, x
constexpr double plot_top = 140, plot_bottom = 420;       // plot area, y (0-10 scale)
constexpr double stage_strip_y = 100, strip_height = 24;  // stage strip above the plot
constexpr double frequency_strip_y = 468;                 // frequency strip below the axis

const char* cap_color = "#2f6db5";
// A white outline behind labels that sit on lines.
const char* halo = " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"";
const char* pain_color = "#e07b00";
const char* flare_color = "#d64545";
const char* compare_color = "#7a3fa0";  // the second run of a comparison
const char* stage_colors[] = {"#dcebdc", "#cfe3f3", "#f3e6c8", "#ead7ef", "#f4d6d2", "#d9eeee"};
const char* frequency_colors[] = {"#1f6f78", "#4d9aa3", "#8cc3c8", "#c0e0e2", "#e3f1f2"};

class Chart {
 public:
  Chart(const Simulation& sim, const Simulation* compare) : sim_(sim), compare_(compare) {
    days_ = double(
        std::max<std::int64_t>(1, sim.end.days_since_epoch() - sim.start.days_since_epoch()));
  }

  std::string draw() {
    out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + svg_number(svg_width) +
            "\" height=\"" + svg_number(svg_height) + "\" viewBox=\"0 0 " + svg_number(svg_width) +
            " " + svg_number(svg_height) +
            "\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n";
    out_ += "<title>" + svg_escape(title()) + "</title>\n";
    rect(0, 0, svg_width, svg_height, "#ffffff");
    header();
    flares();
    grid();
    strip(
        stage_strip_y, "Stage", "stage", [](const SimulatedSession& s) { return s.stage; },
        stage_colors, 6);
    strip(
        frequency_strip_y, "Sessions", "frequency",
        [](const SimulatedSession& s) { return s.frequency; }, frequency_colors, 5);
    pressure_line();
    pain_line();
    if (compare_) compare_lines();
    markers();
    legend();
    out_ += "</svg>\n";
    return out_;
  }

 private:
  std::string title() const { return "Treatment plan projection for client " + sim_.client_id; }

  double x(const Date& d) const {
    const double day = double(d.days_since_epoch() - sim_.start.days_since_epoch());
    return plot_left + (plot_right - plot_left) * std::clamp(day / days_, 0.0, 1.0);
  }
  static double y(double value) { return plot_bottom - (plot_bottom - plot_top) * value / 10.0; }

  void rect(double x0, double y0, double w, double h, const std::string& fill,
            const std::string& extra = "") {
    out_ += "<rect x=\"" + svg_number(x0) + "\" y=\"" + svg_number(y0) + "\" width=\"" +
            svg_number(w) + "\" height=\"" + svg_number(h) + "\" fill=\"" + fill + "\"" + extra +
            "/>\n";
  }
  void text(double x0, double y0, const std::string& s, const std::string& attrs) {
    out_ += "<text x=\"" + svg_number(x0) + "\" y=\"" + svg_number(y0) + "\" " + attrs + ">" +
            svg_escape(s) + "</text>\n";
  }
  void line(double x1, double y1, double x2, double y2, const std::string& attrs) {
    out_ += "<line x1=\"" + svg_number(x1) + "\" y1=\"" + svg_number(y1) + "\" x2=\"" +
            svg_number(x2) + "\" y2=\"" + svg_number(y2) + "\" " + attrs + "/>\n";
  }

  void header() {
    text(plot_left, 34, title(), "font-size=\"22\" font-weight=\"bold\" fill=\"#222\"");
    std::string sub = sim_.protocol_title + " " + sim_.protocol_version + "  |  " +
                      sim_.start.to_string() + " to " + sim_.end.plus_days(-1).to_string() + " (" +
                      std::to_string(sim_.weeks) + " weeks)";
    text(plot_left, 58, sub, "font-size=\"13\" fill=\"#555\"");
    if (compare_) {
      text(plot_left, 78,
           "A: " + (sim_.scenario.empty() ? std::string("no scenario") : sim_.scenario) +
               "   |   B: " +
               (compare_->scenario.empty() ? std::string("no scenario") : compare_->scenario),
           "font-size=\"13\" fill=\"" + std::string(compare_color) + "\" font-style=\"italic\"");
    } else if (!sim_.scenario.empty()) {
      text(plot_left, 78, "Scenario: " + sim_.scenario,
           "font-size=\"13\" fill=\"#555\" font-style=\"italic\"");
    }
  }

  void grid() {
    for (int v = 0; v <= 10; v += 2) {
      line(plot_left, y(v), plot_right, y(v), "stroke=\"#e4e4e4\" stroke-width=\"1\"");
      text(plot_left - 10, y(v) + 4, std::to_string(v),
           "font-size=\"12\" fill=\"#666\" text-anchor=\"end\"");
    }
    out_ += "<text transform=\"translate(24," + svg_number((plot_top + plot_bottom) / 2) +
            ") rotate(-90)\" font-size=\"12\" fill=\"#666\" text-anchor=\"middle\">"
            "0 - 10 (client-rated)</text>\n";
    line(plot_left, plot_bottom, plot_right, plot_bottom, "stroke=\"#999\" stroke-width=\"1\"");
    // A tick per week; a date label every few weeks so that they never crowd.
    const int step = std::max(1, (sim_.weeks + 11) / 12);
    for (int w = 0; w <= sim_.weeks; ++w) {
      const Date d = sim_.start.plus_days(std::int64_t(w) * 7);
      const double px = x(d);
      line(px, plot_bottom, px, plot_bottom + 5, "stroke=\"#999\"");
      if (w % step == 0 && w < sim_.weeks) {
        text(px + 2, plot_bottom + 18, "week " + std::to_string(w + 1),
             "font-size=\"11\" fill=\"#444\"");
        text(px + 2, plot_bottom + 31, d.to_string(), "font-size=\"10\" fill=\"#888\"");
      }
    }
  }

  // One band per run of flare weeks, labelled with its worst severity.
  void flares() {
    const auto& weeks = sim_.flares;
    for (std::size_t i = 0; i < weeks.size(); ++i) {
      if (weeks[i] <= 0) continue;
      std::size_t j = i;
      double worst = weeks[i];
      while (j + 1 < weeks.size() && weeks[j + 1] > 0) worst = std::max(worst, weeks[++j]);
      const Date from = sim_.start.plus_days(std::int64_t(i) * 7);
      const double x0 = x(from), x1 = x(from.plus_days(std::int64_t(j - i + 1) * 7));
      rect(x0, plot_top, x1 - x0, plot_bottom - plot_top, flare_color, " fill-opacity=\"0.13\"");
      text((x0 + x1) / 2, plot_top + 14, "flare " + svg_number(worst),
           "font-size=\"11\" fill=\"" + std::string(flare_color) +
               "\" text-anchor=\"middle\" "
               "font-weight=\"bold\"");
      i = j;
    }
  }

  // Segments are labelled with the protocol's title of their stage or
  // frequency, the same words as the table; one too narrow for it carries
  // the title as a tooltip only.
  template <class Key>
  void strip(double top, const std::string& label, const std::string& kind, Key key,
             const char* const* colors, std::size_t color_count) {
    text(plot_left - 10, top + 16, label, "font-size=\"11\" fill=\"#666\" text-anchor=\"end\"");
    std::map<std::string, std::size_t> color_of;
    const auto& rows = sim_.sessions;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string k = key(rows[i]);
      std::size_t j = i;
      while (j + 1 < rows.size() && key(rows[j + 1]) == k) ++j;
      const double x0 = x(rows[i].date);
      const double x1 = j + 1 < rows.size() ? x(rows[j + 1].date) : plot_right;
      if (!color_of.count(k)) color_of.emplace(k, color_of.size());
      const std::string name = sim_.title(kind, k);
      out_ += "<g><title>" + svg_escape(name) + "</title>\n";
      rect(x0, top, std::max(1.0, x1 - x0), strip_height, colors[color_of[k] % color_count],
           " stroke=\"#ffffff\" stroke-width=\"1\"");
      out_ += "</g>\n";
      const std::string fill =
          colors == frequency_colors && color_of[k] % color_count < 2 ? "#fff" : "#222";
      if (x1 - x0 > 6.5 * double(name.size()) + 8)
        text(x0 + 5, top + 16, name, "font-size=\"12\" fill=\"" + fill + "\"");
      i = j;
    }
  }

  void pressure_line() {
    std::string d;
    for (std::size_t i = 0; i < sim_.sessions.size(); ++i) {
      const auto& s = sim_.sessions[i];
      if (s.status != SimulatedSession::Status::done) continue;
      Date next = i + 1 < sim_.sessions.size() ? sim_.sessions[i + 1].date : sim_.end;
      d += (d.empty() ? "M" : " L") + svg_number(x(s.date)) + " " + svg_number(y(s.pressure_cap));
      d += " L" + svg_number(x(next)) + " " + svg_number(y(s.pressure_cap));
    }
    if (d.empty()) return;
    out_ += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + cap_color +
            "\" stroke-width=\"3\" stroke-linejoin=\"round\"/>\n";
    int previous = -1;
    for (const auto& s : sim_.sessions) {
      if (s.status != SimulatedSession::Status::done) continue;
      out_ += "<circle cx=\"" + svg_number(x(s.date)) + "\" cy=\"" + svg_number(y(s.pressure_cap)) +
              "\" r=\"3.5\" fill=\"" + cap_color + "\"/>\n";
      // Say the new cap in words wherever it changes.
      if (s.pressure_cap != previous)
        text(
            x(s.date) + 4, y(s.pressure_cap) - 8, "cap " + std::to_string(s.pressure_cap),
            "font-size=\"11\" fill=\"" + std::string(cap_color) + "\" font-weight=\"bold\"" + halo);
      previous = s.pressure_cap;
    }
  }

  void pain_line() {
    std::string points;
    for (const auto& s : sim_.sessions)
      points += svg_number(x(s.date)) + "," + svg_number(y(s.pain)) + " ";
    if (points.empty()) return;
    out_ += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + pain_color +
            "\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"/>\n";
    for (const auto& s : sim_.sessions)
      out_ += "<circle cx=\"" + svg_number(x(s.date)) + "\" cy=\"" + svg_number(y(s.pain)) +
              "\" r=\"3\" fill=\"" + pain_color + "\"/>\n";
  }

  // The second run: its cap as a thin stepped line, its pain dotted.
  void compare_lines() {
    const auto& rows = compare_->sessions;
    std::string d;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].status != SimulatedSession::Status::done) continue;
      const Date next = i + 1 < rows.size() ? rows[i + 1].date : compare_->end;
      d += (d.empty() ? "M" : " L") + svg_number(x(rows[i].date)) + " " +
           svg_number(y(rows[i].pressure_cap));
      d += " L" + svg_number(x(next)) + " " + svg_number(y(rows[i].pressure_cap));
    }
    if (!d.empty())
      out_ += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + compare_color +
              "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n";
    std::string points;
    for (const auto& s : rows) points += svg_number(x(s.date)) + "," + svg_number(y(s.pain)) + " ";
    if (!points.empty())
      out_ += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + compare_color +
              "\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>\n";
  }

  void markers() {
    // A label per run of markers: close ones would print on top of each other.
    double last_label = -1e9;
    auto label = [&](double px, double py, const std::string& words) {
      if (px - last_label < 60) return;
      text(px, py, words, "font-size=\"10\" fill=\"#555\" text-anchor=\"middle\"");
      last_label = px;
    };
    for (const auto& s : sim_.sessions) {
      const double px = x(s.date);
      if (s.status == SimulatedSession::Status::missed) {
        const double py = plot_bottom - 12;
        line(px - 6, py - 6, px + 6, py + 6, "stroke=\"#555\" stroke-width=\"2.5\"");
        line(px - 6, py + 6, px + 6, py - 6, "stroke=\"#555\" stroke-width=\"2.5\"");
        label(px, py - 12, "missed");
      } else if (s.status == SimulatedSession::Status::postponed) {
        out_ += "<circle cx=\"" + svg_number(px) + "\" cy=\"" + svg_number(plot_bottom - 12) +
                "\" r=\"6\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"/>\n";
        label(px, plot_bottom - 24, "postponed");
      }
      if (std::find(s.notes.begin(), s.notes.end(), "medication changed") != s.notes.end()) {
        out_ += "<path d=\"M" + svg_number(px - 6) + " " + svg_number(plot_top + 2) + " L" +
                svg_number(px + 6) + " " + svg_number(plot_top + 2) + " L" + svg_number(px) + " " +
                svg_number(plot_top + 12) + " Z\" fill=\"#7a4fa3\"/>\n";
        text(px, plot_top + 26, "new medication",
             "font-size=\"10\" fill=\"#7a4fa3\" text-anchor=\"middle\"");
      }
      if (s.referral)
        text(px, plot_top - 6, "refer: " + *s.referral,
             "font-size=\"11\" fill=\"" + std::string(flare_color) + "\" text-anchor=\"middle\"");
    }
  }

  void legend() {
    const double top = 522;
    double px = plot_left;
    auto item = [&](const std::string& label, const std::string& swatch) {
      out_ += swatch;
      text(px + 30, top + 4, label, "font-size=\"13\" fill=\"#333\"");
      px += 40 + 7.2 * double(label.size());
    };
    item("Pressure cap (the most the plan allows)",
         "<line x1=\"" + svg_number(px) + "\" y1=\"" + svg_number(top) + "\" x2=\"" +
             svg_number(px + 22) + "\" y2=\"" + svg_number(top) + "\" stroke=\"" + cap_color +
             "\" stroke-width=\"3\"/>\n");
    item("Pain", "<line x1=\"" + svg_number(px) + "\" y1=\"" + svg_number(top) + "\" x2=\"" +
                     svg_number(px + 22) + "\" y2=\"" + svg_number(top) + "\" stroke=\"" +
                     pain_color + "\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"/>\n");
    item("Flare week", "<rect x=\"" + svg_number(px) + "\" y=\"" + svg_number(top - 8) +
                           "\" width=\"22\" height=\"16\" fill=\"" + flare_color +
                           "\" fill-opacity=\"0.2\"/>\n");
    item("Missed session", "<path d=\"M" + svg_number(px + 5) + " " + svg_number(top - 6) + " L" +
                               svg_number(px + 17) + " " + svg_number(top + 6) + " M" +
                               svg_number(px + 5) + " " + svg_number(top + 6) + " L" +
                               svg_number(px + 17) + " " + svg_number(top - 6) +
                               "\" stroke=\"#555\" stroke-width=\"2.5\"/>\n");
    item("Postponed", "<circle cx=\"" + svg_number(px + 11) + "\" cy=\"" + svg_number(top) +
                          "\" r=\"6\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"/>\n");
    if (compare_) {
      px = plot_left;
      const double row = top + 22;
      out_ += "<line x1=\"" + svg_number(px) + "\" y1=\"" + svg_number(row) + "\" x2=\"" +
              svg_number(px + 22) + "\" y2=\"" + svg_number(row) + "\" stroke=\"" + compare_color +
              "\" stroke-width=\"2\"/>\n";
      text(px + 30, row + 4, "B: pressure cap", "font-size=\"13\" fill=\"#333\"");
      px += 170;
      out_ += "<line x1=\"" + svg_number(px) + "\" y1=\"" + svg_number(row) + "\" x2=\"" +
              svg_number(px + 22) + "\" y2=\"" + svg_number(row) + "\" stroke=\"" + compare_color +
              "\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>\n";
      text(px + 30, row + 4, "B: pain (the lines above are run A)",
           "font-size=\"13\" fill=\"#333\"");
    }
    text(plot_left, top + 40 + (compare_ ? 6 : 0),
         "A projection, not a prescription: the therapist adjusts pressure with the client "
         "in every session.",
         "font-size=\"12\" fill=\"#777\" font-style=\"italic\"");
  }

  const Simulation& sim_;
  const Simulation* compare_ = nullptr;
  double days_ = 1;
  std::string out_;
};

}  // namespace

std::string timeline_svg(const Simulation& simulation, const Simulation* compare) {
  return Chart(simulation, compare).draw();
}

}  // namespace fascia::cli
