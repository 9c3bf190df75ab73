#!/usr/bin/env bash
# The main job: set up, build, and evaluate the bundled fibromyalgia
# protocol on the bundled example client, printing the recommendation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Only what this job runs: the CLI (with the engine) and the bundled plugins.
FASCIA_BUILD_TARGETS="fascia_cli fascia_bundled_plugins" "$root/tools/scripts/setup.sh" >&2
# Relative paths, so the recommendation's sources read protocols/...:LINE.
cd "$root"
exec "${FASCIA_BUILD_DIR:-$root/build}/bin/fascia" evaluate \
  --protocol protocols/fibromyalgia.yaml \
  --state protocols/examples/fibromyalgia-client.yaml "$@"
