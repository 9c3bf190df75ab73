#!/usr/bin/env bash
# Lines of the evaluator: the engine files whose job is to turn a checked
# client state into the decision, the Recommendation and its JSON (issue 16
# asks for it to end shorter than it was before the decision record).
#   tools/bench/evaluator_lines.sh [REV...]   (default: db1512f^ and the work tree)
# db1512f^ is main just before the decision record (the first commit of
# issue 16). Files are matched by name in engine/src/core/ at each revision,
# so files that were renamed, split or added count wherever they sit.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
pattern='^(session_plan|session_planner|output_reuse|planner_scratch|decision|record_render|record_json_texts|record_trace_plan|plugin_memo|keep_or_assign|contract_json|recommendation_json|plugin_result_checks)[._]'
count() {  # REV (empty: the work tree)
  local total=0 n f
  if [ -z "$1" ]; then
    for f in $(ls engine/src/core | grep -E "$pattern"); do
      n=$(wc -l <"engine/src/core/$f"); total=$((total + n)); printf '  %5d %s\n' "$n" "$f"
    done
  else
    for f in $(git ls-tree --name-only "$1" engine/src/core/ | xargs -n1 basename | grep -E "$pattern"); do
      n=$(git show "$1:engine/src/core/$f" | wc -l); total=$((total + n)); printf '  %5d %s\n' "$n" "$f"
    done
  fi
  echo "  $total lines in all"
}
revs=("$@")
[ ${#revs[@]} -gt 0 ] || revs=(db1512f^ "")
for rev in "${revs[@]}"; do
  echo "${rev:-work tree}:"
  count "$rev"
done
