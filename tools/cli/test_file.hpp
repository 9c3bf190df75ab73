#pragma once
// Protocol test files (`*.test.yaml`, docs/protocol-authoring.md "Test
// files"): the protocol under test and named cases, each a client state (a
// base file or an inline state, plus --set style overrides) and the outcome
// expected. Read strictly, with every problem located in the file.

#include <fascia/diagnostic.hpp>
#include <fascia/param.hpp>
#include <fascia/protocol.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fascia::cli {

// A value written in the test file, with where it was written (ids are
// checked against the protocol once it is loaded).
struct Named {
  std::string value;
  SourceLocation location;
};

struct ExpectedParameter {
  Named technique;
  std::string name;
  ParamValue value;
};

struct Expectations {
  std::optional<Named> stage, frequency, referral;  // referral "none": no referral
  std::optional<int> pressure_cap, duration_minutes, next_session_in_days, postpone_days, warnings;
  std::optional<std::vector<Named>> techniques, held;  // exactly these, any order
  std::vector<Named> home_program, fired, not_fired;   // at least these
  std::vector<ExpectedParameter> parameters;
  std::vector<std::pair<Named, std::string>> reasons;  // rule -> text its reason contains
};

struct TestCase {
  std::string name;
  SourceLocation location;
  std::string base;          // state file (resolved path); empty with an inline state
  std::string inline_state;  // the test file's text with all but the state blanked out
  std::vector<StateOverride> set;
  std::vector<SourceLocation> set_locations;  // parallel to `set`
  Expectations expect;
};

struct TestFile {
  std::string path;
  std::string protocol;  // resolved path
  SourceLocation protocol_location;
  std::vector<TestCase> cases;
};

// Reads `path`; returns false after appending located errors.
bool read_test_file(const std::string& path, TestFile& out, Diagnostics& diagnostics);

// Ids in the expectations (stages, frequencies, rules, techniques) that the
// protocol or the loaded plugins do not know: a typo would make a case pass
// or fail for the wrong reason.
Diagnostics check_test_file(const TestFile& file, const Protocol& protocol,
                            const std::vector<std::string>& technique_ids);

// Every *.test.yaml under the given files and folders (folders recursively),
// sorted, without duplicates. A path that does not exist is an error.
std::vector<std::string> find_test_files(const std::vector<std::string>& paths,
                                         Diagnostics& diagnostics);

}  // namespace fascia::cli
