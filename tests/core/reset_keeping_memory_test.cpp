// detail::reset_keeping_memory() (core/state_json_reader.hpp): every member
// of a state as a new ClientState has it, but the history entries and the
// observations, which read_json_state() reads over; the strings keep their
// buffers.
#include "core/state_json_reader.hpp"

#include <gtest/gtest.h>

#include "../fuzz/state_compare.hpp"

namespace {

using namespace fascia;

ClientState everything_set() {
  ClientState s;
  s.format = 7;
  s.client_id = "C-a-client-id-longer-than-a-small-string";
  s.condition = "fibromyalgia";
  s.as_of = Date{2026, 11, 20};
  s.program = {"foundation", 6, 4, 9, "weekly", 2};
  s.pain = {6, 8};
  s.sensitivity = Sensitivity::high;
  s.pressure_tolerance = 5;
  s.sleep_quality = 6;
  s.flare = {true, 3, 21, 2};
  s.medications_changed = true;
  s.history.push_back({Date{2026, 11, 13}, {"swedish"}, 4, 3, 7, 5, "foundation"});
  s.observations.push_back({"morning_stiffness_minutes", 30.0});
  s.last_missed = Date{2026, 11, 1};
  s.history_overrides = {"asked"};
  return s;
}

TEST(ResetKeepingMemory, LeavesANewStateButTheEntriesReadOver) {
  ClientState s = everything_set();
  const std::size_t id_capacity = s.client_id.capacity();
  detail::reset_keeping_memory(s);
  // As a new state, once the two lists the reader reads over are set aside.
  ClientState compared = s;
  compared.history.clear();
  for (auto& o : compared.observations) o.name.clear();
  ClientState fresh;
  fresh.observations.resize(compared.observations.size());
  EXPECT_EQ(test::dump(compared), test::dump(fresh));
  // Kept: the entry (read over and dropped by the reader), the
  // observation's name with its value cleared, the client id's buffer.
  ASSERT_EQ(s.history.size(), 1u);
  ASSERT_EQ(s.observations.size(), 1u);
  EXPECT_EQ(s.observations[0].name, "morning_stiffness_minutes");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.observations[0].value));
  EXPECT_EQ(s.client_id.capacity(), id_capacity);
}

}  // namespace
