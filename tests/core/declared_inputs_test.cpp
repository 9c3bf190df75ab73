// White-box: same_inputs() (the memo's check that a call has the last
// call's inputs) says "same" exactly when append_key() writes the same
// words, for every declarable field, changed one at a time.
#include "plugin_host/declared_inputs.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace fascia::detail {
namespace {

ClientState state_with_history() {
  ClientState s;
  s.client_id = "C-1";
  s.pain.current = 4;
  s.flare.severity = 2;
  for (int i = 0; i < 3; ++i) {
    HistoryEntry e;
    e.date.day = 1 + i;
    e.techniques = {"swedish", "deep_tissue"};
    e.soreness_24h = 2.5;
    e.stage = "s1";
    s.history.push_back(e);
  }
  s.history_overrides = {"", "moved", ""};
  s.observations = {{"swelling", 2.0}, {"note", std::string("x")}};
  return s;
}

KeyWords key_of(const DeclaredInputs& inputs, const ClientState& s) {
  KeyWords key;
  append_key(inputs, s, key);
  return key;
}

// One change to a state each: declared or not, depending on the inputs.
const std::vector<std::function<void(ClientState&)>> changes = {
    [](ClientState& s) { s.client_id = "C-2"; },
    [](ClientState& s) { s.pain.current = 5; },
    [](ClientState& s) { s.pain.baseline = -0.0; },  // == 0.0, another input
    [](ClientState& s) { s.flare.severity = 3; },
    [](ClientState& s) { s.flare.active = true; },
    [](ClientState& s) { s.sensitivity = Sensitivity::high; },
    [](ClientState& s) { s.sleep_quality = 0.0; },
    [](ClientState& s) { s.last_missed = Date{}; },
    [](ClientState& s) { s.history.front().techniques.push_back("x"); },
    [](ClientState& s) { s.history.back().techniques.clear(); },
    [](ClientState& s) { s.history.back().soreness_24h.reset(); },
    [](ClientState& s) { s.history.front().soreness_24h = -0.0; },
    [](ClientState& s) { s.history.back().stage = "s2"; },
    [](ClientState& s) { s.history.back().date.day = 9; },
    [](ClientState& s) { s.history_overrides[1] = "other"; },
    [](ClientState& s) { s.history_overrides.back() = "late"; },
    [](ClientState& s) { s.history_overrides.clear(); },
    [](ClientState& s) { s.history.pop_back(); },
    [](ClientState& s) { s.history.clear(); },
    [](ClientState& s) { s.history.push_back(s.history.back()); },
    [](ClientState& s) { s.observations.front().value = -0.0; },
    [](ClientState& s) { s.observations.front().value = true; },
    [](ClientState& s) { s.observations.erase(s.observations.begin()); },
    [](ClientState& s) { s.observations.back().value = std::string("y"); },
    [](ClientState& s) { std::swap(s.observations.front(), s.observations.back()); },
};

TEST(DeclaredInputs, SameInputsExactlyWhenTheKeysAreEqual) {
  const std::vector<std::vector<std::string>> declarations = {
      {"pain.current", "flare.severity"},
      {"client.id", "pain.baseline", "sleep_quality", "program.last_missed"},
      {"history.techniques", "history.override", "last.soreness_24h"},
      {"last.techniques", "last.stage", "last.override", "last.date"},
      {"history.soreness_24h", "history.date", "observations.swelling"},
      {"observations.note", "observations.swelling", "sensitivity", "flare.active"},
      {"observations.absent"},
      {},
  };
  ViewSpares spares;  // one for every view, as on a thread
  for (const auto& fields : declarations) {
    std::vector<std::string> problems;
    const DeclaredInputs inputs = compile_inputs({fields, {}}, {}, problems);
    ASSERT_TRUE(problems.empty()) << problems.front();
    const ClientState before = state_with_history();
    ClientState view;
    fill_view(inputs, before, view, spares);
    EXPECT_TRUE(same_inputs(inputs, before, view));
    for (std::size_t i = 0; i < changes.size(); ++i) {
      ClientState after = before;
      changes[i](after);
      EXPECT_EQ(same_inputs(inputs, after, view), key_of(inputs, after) == key_of(inputs, before))
          << "change " << i << " with " << fields.size() << " fields declared";
      // And from the changed state's view back to the first state.
      ClientState other;
      fill_view(inputs, after, other, spares);
      EXPECT_EQ(same_inputs(inputs, before, other), key_of(inputs, after) == key_of(inputs, before))
          << "change " << i << " back";
    }
  }
}

// A view refilled from states with longer, shorter and no history, and for
// other inputs (as PluginMemo::all_view is), with the entries and names
// views dropped (ViewSpares), is the view a fresh one would be, in every
// field but the observations (declared or reset).
TEST(DeclaredInputs, ARefilledViewIsAFreshOne) {
  ClientState longer = state_with_history();
  longer.history.push_back(longer.history.front());
  longer.history.back().techniques = {"myofascial_release", "swedish", "trigger_point"};
  longer.history_overrides.push_back("a reason longer than a short string");
  longer.program.stage = "a stage id longer than a short string";
  longer.condition = "fibromyalgia";
  ClientState none = state_with_history();
  none.history.clear();
  none.history_overrides.clear();
  const std::vector<ClientState> states = {state_with_history(), longer, none, longer,
                                           state_with_history(), longer};
  std::vector<std::string> every_field, problems;
  for (const std::string& path : declarable_state_fields())
    if (!path.starts_with("last.") && !path.starts_with("observations."))
      every_field.push_back(path);
  const DeclaredInputs all = compile_inputs({every_field, {}}, {}, problems);
  const std::vector<std::vector<std::string>> declarations = {
      {"history.techniques"},
      {"last.techniques", "last.soreness_24h"},
      {"history.soreness_24h", "history.date", "last.stage"},
      {"history.override", "last.techniques"},
      {"client.id", "client.condition", "program.stage", "history.techniques"},
      {},
  };
  ClientState view;
  ViewSpares spares;
  for (const auto& fields : declarations) {
    const DeclaredInputs inputs = compile_inputs({fields, {}}, {}, problems);
    ASSERT_TRUE(problems.empty()) << problems.front();
    for (std::size_t i = 0; i < states.size(); ++i) {
      fill_view(inputs, states[i], view, spares);
      ClientState fresh;
      ViewSpares none_kept;
      fill_view(inputs, states[i], fresh, none_kept);
      EXPECT_TRUE(same_inputs(inputs, states[i], view)) << fields.size() << ", state " << i;
      EXPECT_EQ(key_of(all, view), key_of(all, fresh)) << fields.size() << ", state " << i;
    }
  }
}

// Every top-level field declared alone, against a change of every top-level
// field: same_inputs() compares the declared fields inline, in the order of
// their bits (declared_inputs.cpp same_fields), so each field must be
// compared exactly when it alone is declared.
TEST(DeclaredInputs, EachTopLevelFieldIsComparedExactlyWhenDeclared) {
  const std::vector<std::function<void(ClientState&)>> top_level = {
      [](ClientState& s) { s.client_id = "C-9"; },
      [](ClientState& s) { s.condition = "other"; },
      [](ClientState& s) { s.as_of.day = 2; },
      [](ClientState& s) { s.program.stage = "s9"; },
      [](ClientState& s) { s.program.sessions_completed = 7; },
      [](ClientState& s) { s.program.sessions_in_stage = 1; },
      [](ClientState& s) { s.program.weeks_in_program = 3; },
      [](ClientState& s) { s.program.frequency = "daily"; },
      [](ClientState& s) { s.program.missed_sessions_30d = 2; },
      [](ClientState& s) { s.last_missed = Date{}; },
      [](ClientState& s) { s.pain.current = 9; },
      [](ClientState& s) { s.pain.baseline = 1; },
      [](ClientState& s) { s.sensitivity = Sensitivity::low; },
      [](ClientState& s) { s.pressure_tolerance = 9; },
      [](ClientState& s) { s.sleep_quality = 3.0; },
      [](ClientState& s) { s.flare.active = true; },
      [](ClientState& s) { s.flare.severity = 8; },
      [](ClientState& s) { s.flare.days_since_last = 4; },
      [](ClientState& s) { s.flare.count_30d = 5; },
      [](ClientState& s) { s.medications_changed = true; },
  };
  int compared = 0;
  for (const std::string& path : declarable_state_fields()) {
    if (path.starts_with("history.") || path.starts_with("last.") ||
        path.starts_with("observations."))
      continue;
    std::vector<std::string> problems;
    const DeclaredInputs inputs = compile_inputs({{path}, {}}, {}, problems);
    ASSERT_TRUE(problems.empty()) << problems.front();
    const ClientState before = state_with_history();
    ClientState view;
    ViewSpares spares;
    fill_view(inputs, before, view, spares);
    int differing = 0;
    for (std::size_t i = 0; i < top_level.size(); ++i) {
      ClientState after = before;
      top_level[i](after);
      const bool same_key = key_of(inputs, after) == key_of(inputs, before);
      differing += same_key ? 0 : 1;
      EXPECT_EQ(same_inputs(inputs, after, view), same_key) << path << ", change " << i;
    }
    EXPECT_EQ(differing, 1) << path;  // the change of that field alone
    ++compared;
  }
  EXPECT_EQ(compared, 20);
}

}  // namespace
}  // namespace fascia::detail
