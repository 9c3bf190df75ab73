// The runners chosen for a program's shape at compile time (evaluator.cpp
// runner_for) against the general loop.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace fascia::test {
namespace {

// A condition that is one `field <op> number` or `value_or(field, k) <op>
// number` has a runner per comparison (evaluator.cpp runner_for); `- -field`
// runs the same comparison in the general loop. Both must give the same kind
// and value for every operator, on numbers, NaN, infinities and absent values.
TEST(Evaluate, PerOperatorRunnersMatchTheGeneralLoop) {
  ClientState state = sample_state();
  const double inf = std::numeric_limits<double>::infinity();
  for (const double pain : {6.0, 7.0, -0.0, std::nan(""), inf, -inf})
    for (const bool slept : {false, true}) {
      state.pain.current = pain;
      state.sleep_quality = slept ? std::optional<double>(pain) : std::nullopt;
      for (const char* field : {"pain.current", "sleep_quality", "n.seven", "n.missing", "n.error"})
        for (const char* op : {"==", "!=", "<", "<=", ">", ">="})
          for (const char* number : {"0", "7", "-1e308"}) {
            const std::string fused = std::string(field) + " " + op + " " + number;
            const std::string unfused = std::string("- -") + fused;
            const Value a = eval(fused, state);
            const Value b = eval(unfused, state);
            EXPECT_EQ(a.kind, b.kind) << fused << " at " << pain;
            EXPECT_EQ(format_value(a), format_value(b)) << fused << " at " << pain;
            const std::string with_fallback =
                std::string("value_or(") + field + ", 7) " + op + " " + number;
            const Value c = eval(with_fallback, state);
            const Value d =
                eval("value_or(- -" + std::string(field) + ", 7) " + op + " " + number, state);
            EXPECT_EQ(c.kind, d.kind) << with_fallback << " at " << pain;
            EXPECT_EQ(format_value(c), format_value(d)) << with_fallback << " at " << pain;
          }
    }
  state.pain.current = std::nan("");
  EXPECT_EQ(eval_text("pain.current != 7", state), "true");
  EXPECT_EQ(eval_text("pain.current == 7", state), "false");
  EXPECT_EQ(eval_text("pain.current >= 7", state), "false");
  EXPECT_EQ(eval_text("value_or(sleep_quality, 2) <= 3"), "true");  // absent: the fallback
  EXPECT_EQ(eval_text("sleep_quality <= 3"), "absent");
}

}  // namespace
}  // namespace fascia::test
