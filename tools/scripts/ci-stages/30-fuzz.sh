#!/usr/bin/env bash
# CI stage: fuzzing. Runs the libFuzzer targets (tests/fuzz), built with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer in the ASan stage's
# build folder (tools/scripts/asan_build.sh: the engine and plugins carry
# the fuzzer's coverage there, so they are compiled once for both stages;
# run alone, this stage builds what it needs), seeds each from the bundled
# files, and runs each for a bounded time. Any crash, leak, sanitizer
# report, timeout or broken invariant fails the stage; the input is kept
# under $build_dir/artifacts/ (add it to tests/fuzz/regressions/TARGET/ once
# fixed: the test suite replays them).
#
#   FASCIA_FUZZ_SECONDS   seconds per target (default 30, a smoke run that keeps
#                         the whole suite inside its 30-minute budget; give a
#                         parser you changed 600 or more by hand); the
#                         plugin_boundary, cli_input and fhir_map targets get
#                         a quarter of it each, so the stage takes about as
#                         long as with five targets
#   FASCIA_FUZZ_BUILD_DIR build folder (default: the ASan stage's, build-asan;
#                         it must be a clang build)
#   FASCIA_FUZZ_TARGETS   space-separated subset of: expression protocol state state_json
#                         plugin_boundary cli_input fhir_map
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
build_dir="${FASCIA_FUZZ_BUILD_DIR:-${FASCIA_ASAN_BUILD_DIR:-$root/build-asan}}"
seconds="${FASCIA_FUZZ_SECONDS:-30}"
targets=(${FASCIA_FUZZ_TARGETS:-expression protocol state state_json plugin_boundary cli_input fhir_map})
start=$SECONDS

# Only clang has libFuzzer: the build is clang's whatever FASCIA_ASAN_CXX says.
FASCIA_ASAN_BUILD_DIR="$build_dir" FASCIA_ASAN_CXX=clang++ \
  "$root/tools/scripts/asan_build.sh" fascia_fuzzers
echo "30-fuzz: built in $((SECONDS - start)) s"

# Seed corpora, rebuilt each run from the bundled files (new protocols and
# fixtures join automatically) plus the saved regressions.
seeds="$build_dir/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{expression,protocol,state,state_json,plugin_boundary,cli_input,fhir_map}
copy_files() {  # copy_files DEST FILE... (missing globs are skipped)
  local dest="$1" f
  shift
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dest/$(echo "${f#"$root"/}" | tr '/' '_')"
  done
  return 0
}
copy_files "$seeds/protocol" "$root"/protocols/*.yaml "$root"/tests/schema/broken_protocols/*.yaml \
  "$root"/tests/schema/valid_protocols/*.yaml "$root"/tests/adversarial/cases/protocol/*
copy_files "$seeds/state" "$root"/protocols/examples/* "$root"/tests/schema/broken_states/*.yaml \
  "$root"/tests/adversarial/cases/state/*
copy_files "$seeds/expression" "$root"/tests/fuzz/seeds/expression/*
copy_files "$seeds/state" "$root"/tests/fuzz/seeds/state/*
copy_files "$seeds/plugin_boundary" "$root"/tests/fuzz/seeds/plugin_boundary/*
# CLI readers: the first byte picks the reader (0 bounded, 1 lines, 2 test
# file, 3 scenario); the bundled test files and scenarios are the seeds.
copy_files "$seeds/cli_input" "$root"/tests/fuzz/seeds/cli_input/*
for f in "$root"/protocols/*.test.yaml; do printf '\002' | cat - "$f" > "$seeds/cli_input/test-$(basename "$f")"; done
for f in "$root"/protocols/scenarios/*.yaml; do printf '\003' | cat - "$f" > "$seeds/cli_input/scenario-$(basename "$f")"; done
# The FHIR mapping of fascia serve: CDS Hooks requests (their prefetch).
copy_files "$seeds/fhir_map" "$root"/tests/fuzz/seeds/fhir_map/* "$root"/tests/serve/data/*.json
# JSON states for the JSON state reader: the bundled one and generated ones.
copy_files "$seeds/state_json" "$root"/protocols/examples/*.json
python3 "$root/tools/bench/make_states.py" 40 | split -l 1 - "$seeds/state_json/generated-"
python3 "$root/tests/fuzz/extract_expressions.py" "$seeds/expression" "$root"/protocols/*.yaml

# fuzz_one TARGET: fuzzes one target for its time; prints its summary, or
# the end of its log on a finding, and leaves its result in
# $build_dir/fuzz-TARGET.status (0 = nothing found).
fuzz_one() {
  local target="$1"
  local corpus="$build_dir/corpus/$target"
  local artifacts="$build_dir/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  local inputs=("$corpus" "$seeds/$target")
  [ -d "$root/tests/fuzz/regressions/$target" ] && inputs+=("$root/tests/fuzz/regressions/$target")
  local max_len=16384
  [ "$target" = expression ] && max_len=4200  # just past the 4096-character limit
  [ "$target" = plugin_boundary ] && max_len=1024
  local run_seconds="$seconds"
  case "$target" in plugin_boundary | cli_input | fhir_map) run_seconds=$(( (seconds + 3) / 4 )) ;; esac
  local dict="$root/tests/fuzz/dict/${target%_json}.dict"  # state_json shares the state words
  local dict_args=()
  [ -f "$dict" ] && dict_args=(-dict="$dict")
  echo "==> fuzzing $target for $run_seconds s"
  # detect_leaks: a leak is a failure like a crash. -timeout: one input
  # taking over 10 s is a hang.
  if ! ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1" \
       UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
       "$build_dir/bin/fascia_fuzz_$target" "${inputs[@]}" \
         "${dict_args[@]}" \
         -max_total_time="$run_seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
         -artifact_prefix="$artifacts/" -print_final_stats=1 \
         > "$build_dir/fuzz-$target.log" 2>&1; then
    { echo "30-fuzz: fascia_fuzz_$target FAILED; the end of its log:"
      tail -n 60 "$build_dir/fuzz-$target.log"
      echo "30-fuzz: inputs kept in $artifacts; reproduce with" \
           "$build_dir/bin/fascia_fuzz_$target FILE"; } >&2
    echo 1 > "$build_dir/fuzz-$target.status"
  else
    echo "$target: $(grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" \
      "$build_dir/fuzz-$target.log" | tr '\n' ' ')"
    echo 0 > "$build_dir/fuzz-$target.status"
  fi
}

# One target per core at a time: each still gets its whole time on a core
# of its own, and the stage takes about half as long on two cores.
for target in "${targets[@]}"; do
  rm -f "$build_dir/fuzz-$target.status"
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
  fuzz_one "$target" &
done
wait
status=0
for target in "${targets[@]}"; do
  [ "$(cat "$build_dir/fuzz-$target.status" 2>/dev/null)" = 0 ] || status=1
done
echo "30-fuzz: done in $((SECONDS - start)) s"
exit "$status"
