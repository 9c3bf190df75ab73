#!/usr/bin/env bash
# Installs what fascia needs from Debian 12 packages (only what is missing),
# then configures and builds into build/. Sourced or run by example.sh and
# test.sh; safe to run again (a no-op when everything is in place).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${FASCIA_BUILD_DIR:-$root/build}"

# Build and run-time libraries, then what the test suite uses.
packages=(
  g++ cmake ninja-build pkg-config
  libboost-dev libboost-filesystem-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-yaml
)
if [ "${FASCIA_WITH_FUZZ_TOOLS:-0}" = 1 ]; then
  packages+=(clang libclang-rt-14-dev)
fi

"$root/tools/scripts/install_packages.sh" "${packages[@]}"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
# FASCIA_BUILD_TARGETS (space-separated) builds only those targets, e.g. the
# CLI and the plugins for example.sh; everything by default.
targets=()
for target in ${FASCIA_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
