// The out-of-tree example plugin, built from the same source in-tree.
#include <gtest/gtest.h>

#include "plugin_test_support.hpp"

namespace fascia::test {
namespace {

TEST(ExamplePlugin, LoadsAndAdjusts) {
  detail::PluginHost host;
  Diagnostics d = host.load_file(test_plugin("example"));
  ASSERT_TRUE(d.empty()) << d[0].to_string();
  auto e = host.find_technique("lymphatic_drainage");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->plugin->description.name, "lymphatic_drainage");
  EXPECT_TRUE(e->info.flare_safe);

  ClientState s = typical_client();
  Adjusted r = run(*e, s, {}, 5);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.problems.empty()) << r.problems[0];
  EXPECT_EQ(r.result.parameters,
            (Params{{"pressure_max", std::int64_t{2}}, {"minutes", std::int64_t{20}}}));
  EXPECT_TRUE(r.result.home_program.empty());

  s.observations = {{"swelling", true}};
  r = run(*e, s);
  ASSERT_EQ(r.result.home_program.size(), 1u);
  EXPECT_EQ(r.result.home_program[0].id, "leg_elevation");
  EXPECT_TRUE(r.problems.empty());

  s.observations = {{"acute_infection", true}};
  r = run(*e, s);
  EXPECT_TRUE(r.result.hold);
  EXPECT_EQ(r.result.hold_rule, "acute-infection");
}

}  // namespace
}  // namespace fascia::test
