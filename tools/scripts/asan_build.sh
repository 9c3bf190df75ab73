#!/usr/bin/env bash
# The AddressSanitizer + UndefinedBehaviorSanitizer build, shared by two CI
# stages: 10-asan.sh runs the whole test suite in it and 30-fuzz.sh runs the
# libFuzzer targets built in the same folder, so the engine is compiled with
# sanitizers once, not twice.
#
# clang 14 by default: it builds this tree in about half the CPU time gcc
# needs under ASan (docs/reliability.md), and only clang has libFuzzer. The
# engine, the plugins and the fuzz harnesses get -fsanitize=fuzzer-no-link
# (coverage for the fuzzer; in a test executable the sanitizer runtime's
# empty default callbacks take it); the code around the engine (CLI
# commands, fascia::serve, the tests) is compiled at -O0 without coverage and
# without UBSan's null/alignment/vptr checks (FASCIA_OUTER_CODE_OPTIONS in
# CMakeLists.txt): the engine, what these stages check, keeps every check.
#
#   tools/scripts/asan_build.sh [TARGET...]   (everything but the benchmarks
#                                             when none is named)
#   FASCIA_ASAN_BUILD_DIR build folder (default build-asan)
#   FASCIA_ASAN_CXX       compiler (default clang++-14; g++ works for the
#                         test suite, without the fuzz targets)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${FASCIA_ASAN_BUILD_DIR:-$root/build-asan}"

cxx="${FASCIA_ASAN_CXX:-clang++}"
case "$(basename "$cxx")" in
  clang*)
    "$root/tools/scripts/install_packages.sh" clang libclang-rt-14-dev
    [ "$cxx" = clang++ ] && cxx="$(command -v clang++-14 || command -v clang++)"
    cc="${cxx/clang++/clang}"
    ;;
  *) cc="${cxx/g++/gcc}" ;;
esac

flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1"
outer="-O0;-fno-sanitize=null,alignment,vptr"
extra=()
case "$(basename "$cxx")" in
  clang*)
    # line tables only: file:line in every stack, built faster than -g.
    flags="$flags -gline-tables-only -fsanitize=fuzzer-no-link"
    outer="$outer;-fno-sanitize=fuzzer-no-link"
    extra+=(-DFASCIA_BUILD_FUZZERS=ON
      # clang links the sanitizer runtimes into executables only: modules
      # (plugins) take them from the executable (tests/fuzz/clang_sanitizer_rules.cmake);
      # the C test program asks for UBSan's C++ part (tests/embedding/CMakeLists.txt).
      -DCMAKE_USER_MAKE_RULES_OVERRIDE="$root/tests/fuzz/clang_sanitizer_rules.cmake")
    ;;
  *) flags="$flags -g1" ;;
esac

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ -f "$build_dir/CMakeCache.txt" ]; then
  configured="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")"
  if [ "$(basename "$configured")" != "$(basename "$(command -v "$cxx" || echo "$cxx")")" ]; then
    echo "asan_build: $build_dir was configured with $configured, not $cxx;" \
      "remove it or set FASCIA_ASAN_BUILD_DIR to another folder" >&2
    exit 2
  fi
else
  cmake -S "$root" -B "$build_dir" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="" -DCMAKE_C_FLAGS_DEBUG="" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DFASCIA_INSTALL=OFF -DFASCIA_OUTER_CODE_OPTIONS="$outer" "${extra[@]}" >/dev/null
fi
targets=()
for target in "$@"; do targets+=(--target "$target"); done
# None named: every folder's targets but the benchmarks' (tools/bench: never
# run under the sanitizers; the release build compiles them). Two
# translation units and a link, about 12 CPU-seconds here. Ninja only (its
# per-folder `DIR/all` targets); other generators build everything.
ninja_inputs() {  # the inputs of a phony ninja target, one a line
  ninja -C "$build_dir" -t query "$1" | awk '/^  input:/ { f = 1; next } /^  outputs:/ { f = 0 } f { print $1 }'
}
if [ "$#" = 0 ] && [ -f "$build_dir/build.ninja" ]; then
  for folder in $(ninja_inputs all); do
    if [ "$folder" = tools/all ]; then
      for sub in $(ninja_inputs tools/all); do
        [ "$sub" = tools/bench/all ] || targets+=(--target "$sub")
      done
    else
      targets+=(--target "$folder")
    fi
  done
fi
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
