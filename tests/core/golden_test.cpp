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
TEST(Golden, FibromyalgiaExampleClientFromJson) {
  // The same client as JSON: read by the JSON readers (as --state FILE.json,
  // --state - and batch lines are), it must give the YAML state's golden.
  check_golden("protocols/fibromyalgia.yaml", "protocols/examples/fibromyalgia-client.json",
               "fibromyalgia-client.json");
}

TEST(Golden, JsonStateFileIsReadByTheJsonReaders) {
  // JSON rules YAML does not have: a trailing comma in the same file is
  // refused with the JSON reader's message, so the file went through it.
  const fs::path root = FASCIA_SOURCE_DIR;
  auto protocol =
      bundled_engine().load_protocol((root / "protocols/fibromyalgia.yaml").string()).value();
  std::string text = read_file((root / "protocols/examples/fibromyalgia-client.json").string());
  const auto end = text.rfind('}');
  ASSERT_NE(end, std::string::npos);
  text.insert(end, ",");
  const fs::path copy = fs::temp_directory_path() / "fascia-golden-trailing-comma.json";
  std::ofstream(copy, std::ios::binary) << text;
  auto json = protocol->load_state(copy.string());
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.diagnostics()[0].message.find("JSON allows no trailing comma"), std::string::npos)
      << json.diagnostics()[0].to_string();
}

}  // namespace
}  // namespace fascia::test
