// Many threads evaluate one protocol at once and get exactly what one thread
// gets. Run under ThreadSanitizer by tools/scripts/ci-stages/20-tsan.sh.
#include "embedding_support.hpp"

#include <fascia/protocol.hpp>
#include <fascia/recommendation.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace fascia::test {
namespace {

constexpr int kThreads = 8;

class ThreadSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    protocol_ = bundled_protocol();
    states_ = varied_states(kStates);
    for (const auto& s : states_) {
      auto json = protocol_->evaluate_json(s);
      ASSERT_TRUE(json.ok()) << s;
      reference_.push_back(json.value());
      EvaluateOptions explain;
      explain.explain = true;
      explained_.push_back(protocol_->evaluate_json(s, explain).value());
    }
  }

  static constexpr int kStates = 200;
  std::shared_ptr<const Protocol> protocol_;
  std::vector<std::string> states_;
  std::vector<std::string> reference_;  // single-threaded results
  std::vector<std::string> explained_;  // the same with --explain traces
};

// Every thread walks all states from its own starting point, mixing the
// JSON path, the typed path and explained evaluations.
TEST_F(ThreadSafetyTest, ManyThreadsGetTheSingleThreadedResults) {
  std::atomic<int> mismatches{0};
  std::atomic<int> evaluations{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < kStates; ++k) {
        const std::size_t i = static_cast<std::size_t>((k * 7 + t * 31) % kStates);
        std::string got;
        switch ((k + t) % 3) {
          case 0:
            got = protocol_->evaluate_json(states_[i]).value();
            break;
          case 1: {
            const ClientState state = protocol_->parse_state(states_[i], "<state>").value();
            got = to_json(protocol_->evaluate(state).value());
            break;
          }
          case 2: {
            EvaluateOptions explain;
            explain.explain = true;
            if (protocol_->evaluate_json(states_[i], explain).value() != explained_[i])
              ++mismatches;
            got = reference_[i];
            break;
          }
        }
        if (got != reference_[i]) ++mismatches;
        ++evaluations;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(evaluations.load(), kThreads * kStates);
}

// Loading protocols with one engine while other threads evaluate protocols
// it loaded before.
TEST_F(ThreadSafetyTest, LoadingWhileEvaluating) {
  std::atomic<bool> stop{false};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> evaluators;
  for (int t = 0; t < 4; ++t)
    evaluators.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); !stop.load(); i = (i + 1) % kStates)
        if (protocol_->evaluate_json(states_[i]).value() != reference_[i]) ++mismatches;
    });
  for (int k = 0; k < 5; ++k) {
    auto loaded = bundled_engine().load_protocol(kBundledProtocol);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded.value()->sha256(), protocol_->sha256());
    EXPECT_EQ(loaded.value()->evaluate_json(states_[0]).value(), reference_[0]);
  }
  stop = true;
  for (auto& t : evaluators) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// One engine loading protocols on several threads at once (what the C API's
// fascia_protocol_load promises).
TEST_F(ThreadSafetyTest, ConcurrentLoadsWithOneEngine) {
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int k = 0; k < 3; ++k) {
        auto loaded = bundled_engine().load_protocol(kBundledProtocol);
        if (!loaded.ok() || loaded.value()->evaluate_json(states_[0]).value() != reference_[0])
          ++bad;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

// Invalid states from many threads: each gets its own diagnostics.
TEST_F(ThreadSafetyTest, ErrorsStayWithTheirThread) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) {
        const std::string bad =
            with(states_[static_cast<std::size_t>(k)], "\"pressure_tolerance\":",
                 "\"pressure_tolerance\":" + std::to_string(11 + t) + ",\"x\":");
        auto result = protocol_->evaluate_json(bad);
        const std::string expected = "got " + std::to_string(11 + t);
        bool found = false;
        for (const auto& d : result.diagnostics())
          found = found || d.message.find(expected) != std::string::npos;
        if (result.ok() || !found) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace fascia::test
