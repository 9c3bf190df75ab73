#!/usr/bin/env bash
# CI stage: thread safety under ThreadSanitizer. Builds the engine, the
# bundled plugins and the embedding tests with -fsanitize=thread in a build
# folder of their own, then runs the tests that evaluate one protocol from
# many threads, reload protocols and plugin folders under running
# evaluations, and drive the C API from eight threads; then `fascia batch`
# with 1 to 8 worker threads (tests/embedding/batch_test.py), and `fascia
# serve` under concurrent load: four keep-alive clients while the protocol
# file is replaced, plus the whole HTTP suite (tests/serve), which runs
# beside the others. Kept lean for CI on two cores: no benchmarks, only the
# targets those tests need, -O1.
#   tools/scripts/ci-stages/20-tsan.sh        (FASCIA_TSAN_BUILD_DIR to move the build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
build_dir="${FASCIA_TSAN_BUILD_DIR:-$root/build-tsan}"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
sanitize="-fsanitize=thread"
cmake -S "$root" -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=TSan \
  -DCMAKE_C_FLAGS_TSAN="$sanitize -O1 -g1" -DCMAKE_CXX_FLAGS_TSAN="$sanitize -O1 -g1" \
  -DCMAKE_EXE_LINKER_FLAGS_TSAN="$sanitize" -DCMAKE_SHARED_LINKER_FLAGS_TSAN="$sanitize" \
  -DCMAKE_MODULE_LINKER_FLAGS_TSAN="$sanitize" \
  -DFASCIA_BUILD_TOOLS=ON -DFASCIA_BUILD_TESTS=ON -DFASCIA_INSTALL=OFF \
  -DFASCIA_OUTER_CODE_OPTIONS=-O0 >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" \
  --target fascia_embedding_tests fascia_c_api_test fascia_cli test_slow

# Any report fails the stage; the plugins come from the TSan build only.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export FASCIA_PLUGIN_PATH=
# The server tests spend much of their time waiting (timeouts of slow
# clients, a 3-second plugin, reloads): they run beside the others, their
# output kept and shown after. A race report makes the server exit
# non-zero, which fails these tests.
serve_log="$build_dir/serve_test.log"
python3 "$root/tests/serve/serve_test.py" --fascia "$build_dir/bin/fascia" --root "$root" \
  --test-plugins "$build_dir/lib/fascia/test-plugins" >"$serve_log" 2>&1 &
serve_pid=$!
status=0
"$build_dir/bin/fascia_embedding_tests" --gtest_brief=1 || status=1
"$build_dir/bin/fascia_c_api_test" || status=1
python3 "$root/tests/embedding/batch_test.py" --fascia "$build_dir/bin/fascia" --root "$root" || status=1
serve_status=0
wait "$serve_pid" || serve_status=1
cat "$serve_log"
if [ "$status" != 0 ] || [ "$serve_status" != 0 ]; then
  echo "20-tsan: failed (see the reports above)" >&2
  exit 1
fi
echo "ThreadSanitizer: no data races in the embedding tests, fascia batch and fascia serve"
