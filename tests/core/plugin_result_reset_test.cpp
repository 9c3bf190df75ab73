// detail::reset_result() (core/plugin_memo.hpp): a result adjust() wrote,
// reset before adjust() writes its slot again, is a default TechniqueResult
// in every member, and its lists keep their memory.
#include "core/plugin_memo.hpp"

#include <gtest/gtest.h>

namespace {

using namespace fascia;

TechniqueResult everything_set() {
  TechniqueResult r;
  r.parameters = {{"pressure_max", std::int64_t{3}}, {"lubricant", std::string("none")}};
  r.pressure_max = 4;
  r.hold = true;
  r.hold_rule = "a-hold-rule-longer-than-a-small-string";
  r.hold_reason = "a hold reason longer than a small string";
  TechniqueAdjustment a;
  a.rule = "note";
  a.reason = "why";
  r.adjustments = {a, a};
  HomeProgramItem item;
  item.id = "self_mfr";
  r.home_program = {item};
  r.warnings = {"a warning"};
  return r;
}

TEST(PluginMemoReset, EveryMemberIsADefaultResultAndTheListsKeepTheirMemory) {
  TechniqueResult r = everything_set();
  const auto* parameters = r.parameters.data();
  const auto* adjustments = r.adjustments.data();
  fascia::detail::reset_result(r);
  const TechniqueResult fresh;
  EXPECT_TRUE(r.parameters.empty());
  EXPECT_EQ(r.pressure_max, fresh.pressure_max);
  EXPECT_EQ(r.hold, fresh.hold);
  EXPECT_EQ(r.hold_rule, fresh.hold_rule);
  EXPECT_EQ(r.hold_reason, fresh.hold_reason);
  EXPECT_TRUE(r.adjustments.empty());
  EXPECT_TRUE(r.home_program.empty());
  EXPECT_TRUE(r.warnings.empty());
  // Written again, the lists reuse their buffers.
  r.parameters.emplace_back();
  r.adjustments.emplace_back();
  EXPECT_EQ(r.parameters.data(), parameters);
  EXPECT_EQ(r.adjustments.data(), adjustments);
}

}  // namespace
