#!/usr/bin/env bash
# Builds the .deb with CPack from an existing build, checks its contents
# (dpkg-deb --contents) and declared dependencies (dpkg -I), unpacks it into
# a throwaway folder (dpkg -x) and runs that copy: its `fascia evaluate` on
# its installed protocols, its plugins, and its Python package.
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
source_dir="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "packaging.deb: $*" >&2; exit 1; }

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >cpack.log 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb="$(ls "$work"/out/fascia_*_*.deb)"
echo "built $(basename "$deb")"

# Contents: CLI, library, plugins, headers, pkg-config and CMake files,
# protocols, schemas, the what-if page (share/fascia/web), the Python package.
dpkg-deb --contents "$deb" | awk '{print $6}' >"$work/contents"
for path in ./usr/bin/fascia ./usr/include/fascia/fascia.h ./usr/include/fascia/engine.hpp \
    ./usr/share/fascia/protocols/fibromyalgia.yaml \
    ./usr/share/fascia/protocols/examples/fibromyalgia-client.yaml \
    ./usr/share/fascia/schemas/recommendation.schema.json \
    ./usr/share/fascia/schemas/protocol-test.schema.json \
    ./usr/share/fascia/web/index.html ./usr/share/fascia/web/app.js \
    ./usr/lib/python3/dist-packages/fascia/__init__.py \
    ./usr/lib/python3/dist-packages/fascia/_paths.py \
    ./usr/lib/python3/dist-packages/fascia/py.typed; do
  grep -qx "$path" "$work/contents" || fail "missing $path"
done
for pattern in '/libfascia\.so\.0\.1$' '/libfascia-serve\.so\.0\.1$' '/include/fascia/serve\.hpp$' '/pkgconfig/fascia\.pc$' '/cmake/fascia/fasciaConfig\.cmake$' \
    '/fascia/plugins/libfascia-swedish\.so$' '/fascia/plugins/libfascia-home_program\.so$'; do
  grep -q "$pattern" "$work/contents" || fail "no file matching $pattern"
done
if grep -q -e "$build" -e '/_CPack_Packages/' "$work/contents"; then fail "build paths packaged"; fi

# Declared dependencies: the Debian 12 runtime packages libfascia links.
dpkg -I "$deb" >"$work/info"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
# (spdlog and {fmt} are compiled in and Boost.DLL uses std::filesystem: no
# libspdlog1.10, libfmt9 or libboost-filesystem1.74.0, engine/CMakeLists.txt;
# YAML is read with libyaml: no libyaml-cpp0.7.)
for package in libyaml-0-2 libstdc++6 libc6 python3; do
  grep -q "Depends:.*\b$package" "$work/info" || fail "Depends does not name $package"
done
for package in libfmt9 libspdlog1.10 libboost-filesystem1.74.0 libyaml-cpp0.7; do
  if grep -q "Depends:.*\b$package" "$work/info"; then fail "Depends names $package (compiled in or not used)"; fi
done
[ "$(dpkg-deb -f "$deb" Package)" = fascia ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] || fail "architecture"

# The unpacked copy runs on its own: CLI, plugins beside its library.
dpkg -x "$deb" "$work/root"
usr="$work/root/usr"
# (From the protocols folder, so that the "source" of each adjustment reads
# the same relative path in both.)
out="$(cd "$usr/share/fascia/protocols" && "$usr/bin/fascia" evaluate \
  --protocol fibromyalgia.yaml --state examples/fibromyalgia-client.yaml --json)"
expected="$(cd "$source_dir/protocols" && "$build/bin/fascia" evaluate \
  --protocol fibromyalgia.yaml --state examples/fibromyalgia-client.yaml --json)"
[ "$out" = "$expected" ] || fail "the unpacked fascia evaluate differs from the build's"
"$usr/bin/fascia" evaluate --protocol "$usr/share/fascia/protocols/fibromyalgia.yaml" \
  --state "$usr/share/fascia/protocols/examples/fibromyalgia-client.yaml" | head -4
"$usr/bin/fascia" plugins --json >"$work/plugins.json"
python3 - "$work/plugins.json" "$work/root" <<'PY'
import json, sys
plugins = json.load(open(sys.argv[1]))["plugins"]
assert len(plugins) >= 5, plugins
for p in plugins:
    assert p["file"].startswith(sys.argv[2]), "plugin not from the package: " + p["file"]
PY
"$usr/bin/fascia" test "$usr/share/fascia/protocols/fibromyalgia.test.yaml" | tail -1

# Its Python package uses its own library.
PYTHONPATH="$usr/lib/python3/dist-packages" FASCIA_LIBRARY= /usr/bin/python3 - "$usr" <<'PY'
import os, sys
import fascia
usr = sys.argv[1]
assert fascia.library_path().startswith(os.path.realpath(usr)), fascia.library_path()
protocol = fascia.Engine().load_protocol(usr + "/share/fascia/protocols/fibromyalgia.yaml")
plan = protocol.evaluate(open(usr + "/share/fascia/protocols/examples/fibromyalgia-client.json").read())
print("python:", fascia.library_path(), plan["session"]["stage"])
# C API 1.2 from the installed package: what-if, simulate, validate,
# metadata, the specialised state schema, and JSON paths in errors.
assert fascia.api_version() >= 1002, fascia.api_version()
state = open(usr + "/share/fascia/protocols/examples/fibromyalgia-client.json").read()
doc = protocol.what_if(state, {"flare.active": True, "flare.severity": 6})
assert any(c["path"] == "session.pressure_cap" for c in doc["changes"]), doc["changes"]
sim = protocol.simulate(state, 4, {"weeks": {"2": {"flare": 6}}})
assert sim["weeks"] == 4 and sim["sessions"], sim
assert fascia.Engine().validate(usr + "/share/fascia/protocols/fibromyalgia.yaml")["valid"]
assert protocol.validate(state)["valid"]
assert protocol.metadata["stages"][0]["title"]
schema = protocol.state_schema
assert "morning_stiffness_minutes" in schema["properties"]["observations"]["properties"]
try:
    protocol.evaluate(state.replace('"current": 6', '"current": 60'))
    raise AssertionError("an invalid state was accepted")
except fascia.InvalidInput as error:
    assert error.diagnostics[0].path == "pain.current", error.diagnostics
# Output does not depend on where the protocol is deployed.
assert all(not a["source"].startswith("/") for a in plan["adjustments"]), plan["adjustments"]
print("python: C API", fascia.api_version(), "what-if, simulate, validate, metadata, schema ok")
PY
echo "packaging.deb: ok"
