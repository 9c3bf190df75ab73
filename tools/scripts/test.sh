#!/usr/bin/env bash
# The whole test suite: set up, build, run every test through ctest, then
# the extra stages in tools/scripts/ci-stages/ (sanitizer builds, fuzzing,
# install tests), each a script of its own. FASCIA_QUICK=1 skips the stages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${FASCIA_BUILD_DIR:-$root/build}"
"$root/tools/scripts/setup.sh"
(cd "$build_dir" && ctest --output-on-failure --parallel "$(nproc)")
if [ "${FASCIA_QUICK:-0}" != 1 ]; then
  for stage in "$root"/tools/scripts/ci-stages/*.sh; do
    [ -e "$stage" ] || continue
    echo "==> $(basename "$stage")"
    start=$SECONDS
    bash "$stage"
    echo "==> $(basename "$stage") passed in $((SECONDS - start)) s"
  done
fi
