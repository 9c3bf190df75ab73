#pragma once
// Exit status of every fascia command (CONTRACT.md).
namespace fascia::cli {
enum ExitCode : int {
  exit_ok = 0,
  exit_tests_failed = 1,
  exit_usage = 2,
  exit_invalid_input = 3,
  exit_internal = 4,
};
}  // namespace fascia::cli
