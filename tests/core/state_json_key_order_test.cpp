// The JSON state reader's mappings with their keys out of the listed order,
// absent in the middle, unknown, repeated or with blanks around them:
// read as the tree reader reads them (the usual, in-order form is read by
// a separate path, JsonStateReader::in_order(), and these leave it at each
// key in turn).
#include "core/protocol_access.hpp"
#include "core/state_json_reader.hpp"

#include <fascia/engine.hpp>

#include <gtest/gtest.h>

#include "../../tools/bench/state_maker.hpp"
#include "../bundled_plugins.hpp"
#include "../fuzz/state_compare.hpp"

#include <regex>
#include <string>
#include <vector>

namespace {

using namespace fascia;

const detail::ProtocolModel& model() {
  static std::shared_ptr<const Protocol> protocol = [] {
    Engine engine(test::bundled_plugins_only());
    engine.load_plugins();
    auto loaded = engine.load_protocol(FASCIA_SOURCE_DIR "/protocols/fibromyalgia.yaml");
    return loaded ? loaded.value() : nullptr;
  }();
  return detail::ProtocolAccess::model(*protocol);
}

struct Edit {
  const char* pattern;
  const char* replacement;
  bool valid;  // the state stays a valid one
};

// Each applied to the compact states fascia batch reads (bench::StateMaker).
const std::vector<Edit> edits = {
    // The first key last.
    {R"(^\{("format":1),(.*)\}$)", "{$2,$1}", true},
    // Two neighbours swapped, in each mapping.
    {R"(("id":"[^"]*"),("condition":"[^"]*"))", "$2,$1", true},
    {R"(("current":[0-9]+),("baseline":[0-9]+))", "$2,$1", true},
    {R"(("active":(true|false)),("severity":[0-9.]+))", "$3,$1", true},
    {R"(("stage":"[^"]*"),("sessions_completed":[0-9]+))", "$2,$1", true},
    {R"(("date":"[^"]*"),("techniques":\[[^\]]*\]))", "$2,$1", true},
    {R"(("sensitivity":"[^"]*"),("pressure_tolerance":[0-9]+))", "$2,$1", true},
    // A key absent in the middle: optional, then required.
    {R"("sleep_quality":[0-9]+,)", "", true},
    {R"("sessions_in_stage":[0-9]+,)", "", true},
    {R"("as_of":"[^"]*",)", "", false},
    {R"("current":[0-9]+,)", "", false},
    // An unknown key in the middle and at the start.
    {R"(("pain":\{[^}]*\}),)", R"($1,"pian":{"current":1},)", false},
    {R"("flare":\{)", R"("flare":{"actve":true,)", false},
    // A key repeated after later ones (broken JSON), and right after itself.
    {R"(("pain_after":[0-9]+)\})", R"($1,"pressure":3})", false},
    {R"(("count_30d":[0-9]+))", R"($1,"count_30d":1)", false},
    // Blanks before and after a colon, and after a comma.
    {R"("client":)", R"("client" :)", true},
    {R"("weeks_in_program":)", R"("weeks_in_program": )", true},
    {R"(,"frequency")", R"(, "frequency")", true},
    // A key's text escaped.
    {R"("as_of":)", R"("as_\u006ff":)", true},
    // An observation's key (its declared name read in place, as the
    // listed keys are): with a blank before its colon, escaped, repeated,
    // longer, or after an undeclared one.
    {R"("morning_stiffness_minutes":)", R"("morning_stiffness_minutes" :)", true},
    {R"("morning_stiffness_minutes":)", R"("morning_stiffness_minute\u0073":)", true},
    {R"(("morning_stiffness_minutes":[0-9]+)\})", R"($1,"morning_stiffness_minutes":2})", false},
    {R"("morning_stiffness_minutes":)", R"("morning_stiffness_minutes_x":)", false},
    {R"("observations":\{)", R"("observations":{"stiffness":1,)", false},
};

TEST(StateJsonKeyOrder, ReadAsTheTreeReaderReadsThem) {
  const auto& m = model();
  bench::StateMaker maker;
  std::size_t applied = 0, read_clean = 0, valid = 0;
  for (int n = 1; n <= 24; ++n) {
    const std::string base = maker.next(n);
    for (const Edit& e : edits) {
      const std::string text = std::regex_replace(base, std::regex(e.pattern), e.replacement);
      if (text == base) continue;
      ++applied;
      EXPECT_EQ(test::compare_readers(text, m), "") << e.pattern << "\n" << text;
      const auto read = test::read_with_json_reader(text, m);
      const bool clean = read.status == detail::JsonStateStatus::read && read.diagnostics.empty();
      if (e.valid && test::read_with_json_reader(base, m).diagnostics.empty()) {
        ++valid;
        read_clean += clean;
        EXPECT_TRUE(clean) << e.pattern << "\n" << text << "\n" << read.diagnostics;
      } else if (!e.valid) {
        EXPECT_FALSE(clean) << e.pattern << "\n" << text;
      }
    }
  }
  // Every edit met the states it is written for.
  EXPECT_GT(applied, edits.size() * 12);
  EXPECT_GT(valid, 100u);
  EXPECT_EQ(read_clean, valid);
}

}  // namespace
