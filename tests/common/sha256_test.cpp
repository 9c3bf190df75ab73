#include "common/sha256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fascia::test {
namespace {

using namespace fascia::detail;

// Both ways of compressing blocks: the portable code everywhere, SHA-NI
// where this CPU has it (valgrind hides it, so there only the first runs).
class Sha256Test : public ::testing::TestWithParam<Sha256Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Sha256Engine::sha_ni && !sha256_sha_ni_available())
      GTEST_SKIP() << "this CPU (or valgrind) reports no SHA extensions";
  }
  std::string hex(std::string_view data) const { return sha256_hex(data, GetParam()); }
};

std::string pattern(std::size_t length, unsigned multiplier, unsigned offset) {
  std::string out(length, '\0');
  for (std::size_t i = 0; i < length; ++i)
    out[i] = static_cast<char>((i * multiplier + offset + i / 256) & 0xFF);
  return out;
}

// FIPS 180-4 examples and the NIST long-message vector (one, two and many blocks).
TEST_P(Sha256Test, StandardVectors) {
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnop"
          "qrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundaries (one or two final blocks).
TEST_P(Sha256Test, PaddingBoundaries) {
  const std::pair<std::size_t, const char*> cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
  };
  for (const auto& [length, digest] : cases)
    EXPECT_EQ(hex(std::string(length, 'a')), digest) << length;
}

// Every length from 0 to 299 of varied bytes: the digests of the 300
// prefixes, joined, hash to the value Python's hashlib gives.
TEST_P(Sha256Test, EveryLengthUpToFiveBlocks) {
  const std::string text = pattern(1000, 7, 3);
  std::string joined;
  for (std::size_t length = 0; length < 300; ++length)
    joined += hex(std::string_view(text).substr(0, length));
  EXPECT_EQ(hex(joined), "b3daf11f9f4ccb57dd193b8c316ffd29c613e599834e6af48af7daa40b3cc90b");
}

// A plugin-sized text (3,125 blocks and a partial one).
TEST_P(Sha256Test, MultiBlockText) {
  EXPECT_EQ(hex(pattern(200'003, 31, 0)),
            "7c9cb05f47a0de9f130e080a1588df154ba11e28cff42f194136ca431ba4baec");
}

TEST_P(Sha256Test, BytesAboveAscii) {
  EXPECT_EQ(hex("fascia \xC3\xA9"),
            "fdc5b095304770500680c8ae3ab30896bdf10a5ed8e9dab9436b44b76b90ea78");
}

// Fed in pieces (a plugin file read in chunks): every way of cutting a
// text in three, across block boundaries, gives the whole text's digest.
TEST_P(Sha256Test, PiecesGiveTheWholeDigest) {
  const std::string text = pattern(300, 11, 5);
  const std::string whole = hex(text);
  const std::string_view view(text);
  for (std::size_t a = 0; a <= 140; a += 7)
    for (std::size_t b = a; b <= 300; b += 13) {
      Sha256 hash(GetParam());
      hash.update(view.substr(0, a)).update(view.substr(a, b - a)).update(view.substr(b));
      ASSERT_EQ(hash.hex(), whole) << "cut at " << a << " and " << b;
    }
  EXPECT_EQ(Sha256(GetParam()).hex(), hex(""));
}

INSTANTIATE_TEST_SUITE_P(Engines, Sha256Test,
                         ::testing::Values(Sha256Engine::portable, Sha256Engine::sha_ni),
                         [](const auto& info) {
                           return info.param == Sha256Engine::portable ? "Portable" : "ShaNi";
                         });

// The one-argument form takes the fastest way and gives the same digest.
TEST(Sha256Default, MatchesThePortableCode) {
  const std::string text = pattern(5000, 13, 1);
  EXPECT_EQ(sha256_hex(text), sha256_hex(text, Sha256Engine::portable));
}

}  // namespace
}  // namespace fascia::test
