// Golden recommendations: every protocols/examples state evaluated against the
// bundled protocol must match the reviewed JSON in tests/core/golden/.
// Regenerate after an intended change with FASCIA_UPDATE_GOLDEN=1 and review
// the diff.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string protocol;
  std::string state;
};

void check_golden(const std::string& protocol_file, const std::string& state_file,
                  const std::string& golden_name) {
  // Relative paths, as a user would type them: sources in the output are
  // then the same on every machine.
  const fs::path root = FASCIA_SOURCE_DIR;
  fs::current_path(root);
  auto protocol = bundled_engine().load_protocol(protocol_file);
  ASSERT_TRUE(protocol.ok()) << protocol.diagnostics()[0].to_string();
  auto state = protocol.value()->load_state(state_file);
  ASSERT_TRUE(state.ok()) << state.diagnostics()[0].to_string();
  auto r = protocol.value()->evaluate(state.value());
  ASSERT_TRUE(r.ok());
  const std::string actual = to_json(r.value(), true) + "\n";
  const fs::path golden = root / "tests/core/golden" / golden_name;
  if (std::getenv("FASCIA_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with FASCIA_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, read_file(golden.string())) << "golden " << golden_name;
}

TEST(Golden, FibromyalgiaExampleClient) {
  check_golden("protocols/fibromyalgia.yaml", "protocols/examples/fibromyalgia-client.yaml",
               "fibromyalgia-client.json");
}
TEST(Golden, FibromyalgiaFlare) {
  check_golden("protocols/fibromyalgia.yaml", "protocols/examples/fibromyalgia-flare.yaml",
               "fibromyalgia-flare.json");
}
TEST(Golden, FibromyalgiaNewClient) {
  check_golden("protocols/fibromyalgia.yaml", "protocols/examples/new-client.yaml",
               "fibromyalgia-new-client.json");
}
TEST(Golden, JsonStateGivesTheSameRecommendationAsYaml) {
  const fs::path root = FASCIA_SOURCE_DIR;
  auto protocol = bundled_engine().load_protocol((root / "protocols/fibromyalgia.yaml").string()).value();
  auto yaml = protocol->load_state((root / "protocols/examples/fibromyalgia-client.yaml").string());
  auto json = protocol->load_state((root / "protocols/examples/fibromyalgia-client.json").string());
  ASSERT_TRUE(yaml.ok());
  ASSERT_TRUE(json.ok()) << json.diagnostics()[0].to_string();
  EXPECT_EQ(to_json(protocol->evaluate(yaml.value()).value()),
            to_json(protocol->evaluate(json.value()).value()));
}

}  // namespace
}  // namespace fascia::test
