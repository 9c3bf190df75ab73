// The deliberately broken protocols of tests/schema/broken_protocols/ are
// rejected by the engine too (the schema side is tests/schema), each with
// the exact error its first line announces: "# expect: LINE:COL MESSAGE".
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

namespace fascia::test {
namespace {

namespace fs = std::filesystem;

TEST(BrokenProtocols, EachIsRejectedWithItsAnnouncedError) {
  const fs::path folder = fs::path(FASCIA_SOURCE_DIR) / "tests/schema/broken_protocols";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 12u);
  const std::regex expect_line(R"(^# expect: (\d+):(\d+) (.*)$)");
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = read_file(file.string());
    std::smatch m;
    const std::string first_line = text.substr(0, text.find('\n'));
    ASSERT_TRUE(std::regex_match(first_line, m, expect_line)) << "no '# expect:' first line";
    const std::string name = file.filename().string();
    const std::string expected =
        name + ":" + m[1].str() + ":" + m[2].str() + ": error: " + m[3].str();
    auto loaded = bundled_engine().parse_protocol(text, name);
    EXPECT_FALSE(loaded.ok());
    std::string all;
    bool found = false;
    for (const auto& d : loaded.diagnostics()) {
      all += d.to_string() + "\n";
      found = found || d.to_string() == expected;
    }
    EXPECT_TRUE(found) << "expected: " << expected << "\nactual:\n" << all;
  }
}

}  // namespace
}  // namespace fascia::test
