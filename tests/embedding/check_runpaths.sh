#!/usr/bin/env bash
# No RUNPATH of the CLI, the libraries or the bundled plugins in the build
# tree has an empty entry: the dynamic loader reads an empty entry as the
# current folder, so `fascia` run from a folder holding a libfmt.so.9 (or
# any library it needs) would load that file. CMake pads a build-tree
# RUNPATH it rewrites at install with such an entry; the targets use their
# install RUNPATH in the build tree instead (BUILD_WITH_INSTALL_RPATH).
#   check_runpaths.sh FILE...
set -euo pipefail
status=0
for file in "$@"; do
  runpath="$(readelf -d "$file" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p')"
  [ -n "$runpath" ] || continue
  case ":$runpath:" in
    *::*)
      echo "$file: RUNPATH '$runpath' has an empty entry (searches the current folder)" >&2
      status=1
      ;;
  esac
done
[ "$status" -eq 0 ] && echo "$# files, no empty RUNPATH entry"
exit "$status"
