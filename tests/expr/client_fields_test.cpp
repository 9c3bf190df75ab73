// The client-state field catalog: every documented path, its type, its
// enum values and what its getter reads.

#include "test_support.hpp"

#include "core/state_fields.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fascia::test {
using namespace fascia::detail;
namespace {

using ::testing::ElementsAre;

TEST(ClientFields, EveryDocumentedPathWithItsType) {
  const Catalog& c = test_catalog();
  const std::pair<const char*, Type> expected[] = {
      {"client.id", Type::string},
      {"client.condition", Type::string},
      {"program.stage", Type::string},
      {"program.sessions_completed", Type::number},
      {"program.sessions_in_stage", Type::number},
      {"program.weeks_in_program", Type::number},
      {"program.frequency", Type::string},
      {"program.missed_sessions_30d", Type::number},
      {"pain.current", Type::number},
      {"pain.baseline", Type::number},
      {"sensitivity", Type::string},
      {"pressure_tolerance", Type::number},
      {"sleep_quality", Type::number},
      {"flare.active", Type::boolean},
      {"flare.severity", Type::number},
      {"flare.days_since_last", Type::number},
      {"flare.count_30d", Type::number},
      {"medications_changed", Type::boolean},
      {"history.length", Type::number},
      {"last.date_days_ago", Type::number},
      {"last.techniques", Type::string_list},
      {"last.pressure", Type::number},
      {"last.soreness_24h", Type::number},
      {"last.pain_before", Type::number},
      {"last.pain_after", Type::number},
      {"history.pressure", Type::series},
      {"history.soreness_24h", Type::series},
      {"history.pain_before", Type::series},
      {"history.pain_after", Type::series},
      {"observations.morning_stiffness_minutes", Type::number},
      {"observations.energy", Type::string},
      {"observations.notes", Type::string},
      {"observations.swollen", Type::boolean},
  };
  for (const auto& [path, type] : expected) {
    const FieldInfo* f = c.find_field(path);
    ASSERT_NE(f, nullptr) << path;
    EXPECT_EQ(f->type, type) << path;
    if (type == Type::series)
      EXPECT_NE(f->series, nullptr) << path;
    else
      EXPECT_NE(f->getter, nullptr) << path;
  }
}

// Issue 12: a client-state field is declared once, in core/state_fields.hpp;
// the catalog takes the names, types and descriptions expressions see from
// it, and adds only what is computed from the state.
TEST(ClientFields, TheCatalogIsTheTableOfStateFieldsPlusComputedFields) {
  Catalog c;
  add_client_state_fields(c, {"fibromyalgia"}, {"foundation"}, {"weekly"}, test_observations());
  std::set<std::string> from_table;
  for (const StateField& field : state_fields) {
    if (!readable_by_expressions(field)) {
      EXPECT_EQ(c.find_field(field.path), nullptr) << field.path;
      continue;
    }
    from_table.insert(std::string(field.path));
    const FieldInfo* f = c.find_field(field.path);
    ASSERT_NE(f, nullptr) << field.path;
    const Type expected =
        field.type == StateFieldType::boolean ? Type::boolean
        : field.type == StateFieldType::list  ? Type::string_list
        : field.type == StateFieldType::integer || field.type == StateFieldType::number
            ? Type::number
            : Type::string;
    EXPECT_EQ(f->type, expected) << field.path;
    EXPECT_EQ(f->description, field.description) << field.path;
  }
  const std::set<std::string> computed = {"history.length",      "last.date_days_ago",
                                          "history.pressure",    "history.soreness_24h",
                                          "history.pain_before", "history.pain_after"};
  for (const FieldInfo& f : c.fields()) {
    if (f.path.rfind("observations.", 0) == 0) continue;
    EXPECT_TRUE(from_table.count(f.path) || computed.count(f.path))
        << f.path << " is read by expressions but not in core/state_fields.hpp";
  }
}

TEST(ClientFields, EnumValues) {
  const Catalog& c = test_catalog();
  EXPECT_THAT(c.find_field("client.condition")->enum_values,
              ElementsAre("fibromyalgia", "low_back_pain"));
  EXPECT_THAT(c.find_field("program.stage")->enum_values,
              ElementsAre("foundation", "building", "maintenance"));
  EXPECT_THAT(c.find_field("program.frequency")->enum_values,
              ElementsAre("twice_weekly", "weekly", "biweekly"));
  EXPECT_THAT(c.find_field("sensitivity")->enum_values, ElementsAre("low", "moderate", "high"));
  EXPECT_THAT(c.find_field("observations.energy")->enum_values, ElementsAre("low", "ok", "high"));
  EXPECT_TRUE(c.find_field("client.id")->enum_values.empty());
  EXPECT_TRUE(c.find_field("observations.notes")->enum_values.empty());
}

TEST(ClientFields, Values) {
  ClientState s = sample_state();
  EXPECT_EQ(eval_text("client.id", s), "C-1042");
  EXPECT_EQ(eval_text("client.condition", s), "fibromyalgia");
  EXPECT_EQ(eval_text("program.stage", s), "foundation");
  EXPECT_EQ(eval_text("program.sessions_completed", s), "6");
  // Absent: never more than the history shows; read directly (without the
  // session planner, which counts it from the history) it is 0.
  EXPECT_EQ(eval_text("program.sessions_in_stage", s), "0");
  EXPECT_EQ(eval_text("program.weeks_in_program", s), "6");
  EXPECT_EQ(eval_text("program.frequency", s), "weekly");
  EXPECT_EQ(eval_text("program.missed_sessions_30d", s), "1");
  EXPECT_EQ(eval_text("pain.current", s), "6");
  EXPECT_EQ(eval_text("pain.baseline", s), "8");
  EXPECT_EQ(eval_text("sensitivity", s), "high");
  EXPECT_EQ(eval_text("pressure_tolerance", s), "5");
  EXPECT_EQ(eval_text("sleep_quality", s), "absent");
  EXPECT_EQ(eval_text("flare.active", s), "false");
  EXPECT_EQ(eval_text("flare.severity", s), "0");
  EXPECT_EQ(eval_text("flare.days_since_last", s), "absent");
  EXPECT_EQ(eval_text("flare.count_30d", s), "0");
  EXPECT_EQ(eval_text("medications_changed", s), "false");
  EXPECT_EQ(eval_text("history.length", s), "4");
  EXPECT_EQ(eval_text("last.date_days_ago", s), "7");
  EXPECT_EQ(eval_text("last.techniques", s), "[swedish, myofascial_release]");
  EXPECT_EQ(eval_text("last.pressure", s), "6");
  EXPECT_EQ(eval_text("last.soreness_24h", s), "7");
  EXPECT_EQ(eval_text("last.pain_before", s), "6");
  EXPECT_EQ(eval_text("last.pain_after", s), "4");

  s.program.sessions_in_stage = 2;
  s.sleep_quality = 6.5;
  s.flare = {true, 7, 21, 2};
  s.medications_changed = true;
  s.sensitivity = Sensitivity::low;
  s.history.back().pressure.reset();
  s.history.back().date = Date{2026, 10, 31};
  EXPECT_EQ(eval_text("program.sessions_in_stage", s), "2");
  EXPECT_EQ(eval_text("sleep_quality", s), "6.5");
  EXPECT_EQ(eval_text("flare.active and flare.severity >= 7", s), "true");
  EXPECT_EQ(eval_text("flare.days_since_last", s), "21");
  EXPECT_EQ(eval_text("flare.count_30d", s), "2");
  EXPECT_EQ(eval_text("medications_changed", s), "true");
  EXPECT_EQ(eval_text("sensitivity", s), "low");
  EXPECT_EQ(eval_text("last.pressure", s), "absent");   // the newest entry lacks it
  EXPECT_EQ(eval_text("last.date_days_ago", s), "20");  // across a month boundary
}

TEST(ClientFields, WithoutHistory) {
  ClientState s = sample_state();
  s.history.clear();
  EXPECT_EQ(eval_text("history.length", s), "0");
  for (const char* path : {"last.date_days_ago", "last.techniques", "last.pressure",
                           "last.soreness_24h", "last.pain_before", "last.pain_after"})
    EXPECT_EQ(eval_text(path, s), "absent") << path;
  EXPECT_EQ(eval_text("last.pressure >= 5", s), "absent");
  EXPECT_EQ(eval_text("history.length == 0 or last.pressure >= 5", s), "true");
}

TEST(ClientFields, Observations) {
  ClientState s = sample_state();
  for (const char* path : {"observations.morning_stiffness_minutes", "observations.energy",
                           "observations.notes", "observations.swollen"})
    EXPECT_EQ(eval_text(path, s), "absent") << path;
  s.observations[0].value = 30.0;
  s.observations[1].value = std::string("ok");
  s.observations[2].value = std::string("stiff neck");
  s.observations[3].value = true;
  EXPECT_EQ(eval_text("observations.morning_stiffness_minutes", s), "30");
  EXPECT_EQ(eval_text("observations.energy", s), "ok");
  EXPECT_EQ(eval_text("observations.energy in [low, ok]", s), "true");
  EXPECT_EQ(eval_text("observations.notes", s), "stiff neck");
  EXPECT_EQ(eval_text("observations.swollen and observations.morning_stiffness_minutes > 20", s),
            "true");
  // A state that lists fewer observations reads the rest as absent.
  s.observations.resize(1);
  EXPECT_EQ(eval_text("observations.swollen", s), "absent");
}

TEST(ClientFields, EmptyStageIsReturnedAsStored) {
  ClientState s = sample_state();
  s.program.stage.clear();
  EXPECT_EQ(eval_text("program.stage == foundation", s), "false");
  EXPECT_EQ(eval_text("program.stage", s), "");
}

TEST(ClientFields, ExpressionsFromTheGuide) {
  ClientState s = sample_state();
  EXPECT_EQ(eval_text("flare.active and flare.severity >= 7", s), "false");
  EXPECT_EQ(eval_text("sensitivity == high or pressure_tolerance <= 3", s), "true");
  EXPECT_EQ(eval_text("avg(history.soreness_24h, 3) >= 6 and not medications_changed", s),
            "false");  // (7 + 5 + 3) / 3 = 5
  EXPECT_EQ(eval_text("max(1, pressure_tolerance - 2)", s), "3");
}

TEST(ClientFields, SensitivityReadsAsItsName) {
  ClientState s = sample_state();
  for (Sensitivity v : {Sensitivity::low, Sensitivity::moderate, Sensitivity::high}) {
    s.sensitivity = v;
    EXPECT_EQ(eval_text("sensitivity", s), to_string(v));
    EXPECT_EQ(eval_text(std::string("sensitivity == ") + to_string(v), s), "true");
  }
}

}  // namespace
}  // namespace fascia::test
