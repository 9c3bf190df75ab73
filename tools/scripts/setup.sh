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
  libboost-dev libboost-filesystem-dev libyaml-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-yaml
)
packages+=(python3-pytest)  # issue 15: the Python package's tests (python/tests, ctest python.*)
packages+=(python3-dask python3-distributed python3-pandas)  # issue 15: fascia.dask and its LocalCluster test
packages+=(python3-pip python3-setuptools python3-wheel)  # issue 15: the offline wheel (pip wheel --no-build-isolation)
packages+=(dpkg-dev)  # issue 15: dpkg-shlibdeps for the CPack .deb's Depends (test packaging.deb)
packages+=(libssl-dev)  # issue 13: TLS for fascia serve, JWT signatures (OpenSSL EVP)
packages+=(python3-cryptography)  # issue 13: the serve tests sign JWTs and make TLS keys
packages+=(chromium chromium-driver python3-selenium)  # issue 14: the what-if page and the hand-out tested in headless Chromium (ctest web.what_if_page)
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
