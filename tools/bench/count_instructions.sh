#!/usr/bin/env bash
# Instructions per evaluation, counted by callgrind: repeatable whatever else
# the machine is doing, unlike the timings of fascia_bench.
#   tools/bench/count_instructions.sh [BUILD_DIR] [BENCHMARK] [FUNCTION]
# BENCHMARK defaults to BM_EvaluateReusingRecommendation, FUNCTION (the
# function counted, once per evaluation) to fascia::Protocol::evaluate_into.
# Prints the per-evaluation total and the 25 costliest functions.
set -euo pipefail

build_dir="${1:-build}"
benchmark="${2:-BM_EvaluateReusingRecommendation}"
function="${3:-fascia::Protocol::evaluate_into}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$out/cg" "--toggle-collect=${function}*" \
  "$build_dir/bin/fascia_bench" "--benchmark_filter=^${benchmark}\$" \
  --benchmark_min_time=0.5 >/dev/null 2>"$out/log"

report="$(callgrind_annotate --inclusive=yes --tree=caller "$out/cg" 2>/dev/null)"
total="$(grep -m1 'PROGRAM TOTALS' <<<"$report" | awk '{gsub(",", "", $1); print $1}')"
# The calls of FUNCTION: the "<" caller lines just above its "*" line.
calls="$(awk -v fn="$function(" '
  /^$/ { sum = 0; next }
  / < / { if (match($0, /\(([0-9,]+)x\)/)) { n = substr($0, RSTART + 1, RLENGTH - 3);
            gsub(",", "", n); sum += n } ; next }
  / \* / { if (index($0, fn)) { print sum; exit } sum = 0 }' <<<"$report")"
if [ -z "$calls" ] || [ "$calls" -eq 0 ]; then
  echo "could not count the calls of ${function}" >&2
  exit 1
fi
echo "${benchmark}: $((total / calls)) instructions per evaluation (${calls} evaluations)"
callgrind_annotate "$out/cg" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n '2,26p' |
  sed -E 's/^ *([0-9,]+) \( *[0-9.]+%\) */\1 /' |
  awk -v n="$calls" '{c=$1; gsub(",", "", c); $1=""; printf "%8d %s\n", c / n, substr($0, 2, 160)}'
