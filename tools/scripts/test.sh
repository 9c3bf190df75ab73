#!/usr/bin/env bash
# The whole test suite: set up, build, run every test through ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${FASCIA_BUILD_DIR:-$root/build}"
"$root/tools/scripts/setup.sh"
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)"
