#!/usr/bin/env bash
# CI stage: formatting. Every C/C++ file in the repository must be as the
# root .clang-format (Debian 12's clang-format 14) writes it. A file that is
# not is named; fix it with `clang-format -i FILE`. Takes a few seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
"$root/tools/scripts/install_packages.sh" clang-format
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.c')
else
  mapfile -t files < <(find engine plugins tools tests python -name '*.cpp' -o -name '*.hpp' \
    -o -name '*.h' -o -name '*.c' 2>/dev/null)
fi
bad=()
# Many files per clang-format run, one run per core; only when something is
# off, file by file to name the culprits.
if ! printf '%s\0' "${files[@]}" |
  xargs -0 -n 32 -P "$(nproc)" clang-format --dry-run -Werror >/dev/null 2>&1; then
  for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
fi
if [ "${#bad[@]}" -gt 0 ]; then
  printf 'not formatted (run clang-format -i on it):\n' >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "clang-format: ${#files[@]} files formatted"
