#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses it the way an outside
# project would: builds the example consumers (C++, C, hot reload) and the
# out-of-tree lymphatic_drainage plugin with find_package(fascia), and a
# program hosting fascia::serve (libfascia-serve.so), runs them, and runs the installed CLI (which must find its plugins with no flags).
#   install_test.sh BUILD_DIR SOURCE_DIR CC CXX MAKE_PROGRAM GENERATOR
set -euo pipefail
build=$1 source=$2 cc=$3 cxx=$4 make_program=$5 generator=$6

work=$(mktemp -d "${TMPDIR:-/tmp}/fascia-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"  # the engine refuses plugins in folders others can write
prefix=$work/prefix
step() { echo "--- $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || {
  cat "$work/install.log"; fail "install"; }

for f in bin/fascia lib/libfascia.so include/fascia/fascia.h include/fascia/engine.hpp \
         include/fascia/protocol_store.hpp include/fascia/record.hpp lib/fascia/plugins/libfascia-swedish.so \
         include/fascia/serve.hpp lib/libfascia-serve.so share/fascia/fhir/default-map.yaml \
         share/fascia/protocols/fibromyalgia.yaml \
         share/fascia/protocols/examples/fibromyalgia-client.json \
         share/fascia/schemas/recommendation.schema.json \
         lib/cmake/fascia/fasciaConfig.cmake lib/cmake/fascia/fasciaConfigVersion.cmake \
         lib/cmake/fascia/fasciaTargets.cmake lib/cmake/fascia/FasciaPlugin.cmake; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
if grep -rqE '#[[:space:]]*include[[:space:]]*<(boost|yaml-cpp|spdlog|nlohmann)/' "$prefix/include"; then
  fail "an installed header includes a private dependency"
fi

configure_and_build() {  # NAME SOURCE_FOLDER
  step "build $1 against the installed package"
  cmake -S "$2" -B "$work/$1" -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" >"$work/$1.log" 2>&1 &&
    cmake --build "$work/$1" >>"$work/$1.log" 2>&1 || { cat "$work/$1.log"; fail "build $1"; }
}

# The plugin folder, the prefix and its parents must not be writable by
# others; a CLI run from an install moved elsewhere must still work.
export FASCIA_PLUGIN_PATH=
fascia=$prefix/bin/fascia
step "installed CLI finds the bundled plugins with no flags"
"$fascia" plugins >"$work/plugins.txt" || fail "fascia plugins"
grep -q "swedish" "$work/plugins.txt" || { cat "$work/plugins.txt"; fail "no bundled plugins"; }
grep -q "$prefix/lib/fascia/plugins" "$work/plugins.txt" || fail "plugins not from the prefix"
step "installed CLI: evaluate loads no OpenSSL; serve opens its module (tools/cli/serve_module.hpp)"
if readelf -d "$fascia" | grep -qE 'NEEDED.*lib(ssl|crypto)'; then fail "bin/fascia links OpenSSL"; fi
rc=0
"$fascia" serve --protocols "$work/no-such-folder" 2>"$work/serve-module.err" || rc=$?
grep -q "protocols folder does not exist" "$work/serve-module.err" && [ "$rc" = 3 ] || {
  cat "$work/serve-module.err"; fail "fascia serve did not run its module (exit $rc)"; }
expected=$("$fascia" evaluate --json --protocol "$prefix/share/fascia/protocols/fibromyalgia.yaml" \
           --state "$prefix/share/fascia/protocols/examples/fibromyalgia-client.json")

step "installed CLI records a session into the state the next evaluate reads"
"$fascia" record --protocol "$prefix/share/fascia/protocols/fibromyalgia.yaml" \
  --state "$prefix/share/fascia/protocols/examples/fibromyalgia-client.json" --soreness 2 \
  --out "$work/next.yaml" 2>"$work/record.err" || { cat "$work/record.err"; fail "fascia record"; }
"$fascia" evaluate --json --protocol "$prefix/share/fascia/protocols/fibromyalgia.yaml" \
  --state "$work/next.yaml" | grep -q '"as_of": *"2026-11-27"' || fail "recorded state"
if command -v python3 >/dev/null; then
  step "the installed C API from Python (record, protocol info, flags)"
  python3 "$source/tests/embedding/c_api_test.py" --library "$prefix/lib/libfascia.so" \
    --root "$source" || fail "C API from Python against the installed library"
fi

configure_and_build embed_cpp "$source/tools/examples/embed_cpp"
"$work/embed_cpp/fascia_embed_cpp" >"$work/cpp.out" 2>"$work/cpp.err" ||
  { cat "$work/cpp.out" "$work/cpp.err"; fail "fascia_embed_cpp"; }
grep -qxF "$expected" "$work/cpp.out" || { cat "$work/cpp.out"; fail "C++ example: JSON differs from the CLI"; }
grep -q "pain.current must be between 0 and 10, got 11" "$work/cpp.err" ||
  fail "C++ example: no diagnostics for the invalid state"

configure_and_build embed_c "$source/tools/examples/embed_c"
"$work/embed_c/fascia_embed_c" >"$work/c.out" 2>"$work/c.err" ||
  { cat "$work/c.out" "$work/c.err"; fail "fascia_embed_c"; }
grep -qxF "$expected" "$work/c.out" || { cat "$work/c.out"; fail "C example: JSON differs from the CLI"; }
grep -q "pain.current must be between 0 and 10, got 11" "$work/c.err" ||
  fail "C example: no diagnostics for the invalid state"

configure_and_build hot_reload "$source/tools/examples/hot_reload"
step "hot reload: 8 threads while the protocol file is replaced"
"$work/hot_reload/fascia_hot_reload" | tee "$work/hot_reload.out" || fail "hot reload"
grep -q "^OK: every result was complete" "$work/hot_reload.out" || fail "hot reload"

configure_and_build embed_serve "$source/tools/examples/embed_serve"
step "fascia::serve hosted by another program, with the installed FHIR map and page"
"$work/embed_serve/fascia_embed_serve" "$prefix/share/fascia/protocols" >"$work/serve.out" \
  2>"$work/serve.err" || { cat "$work/serve.out" "$work/serve.err"; fail "fascia_embed_serve"; }
grep -q "^OK: fascia::serve answered in this process" "$work/serve.out" || fail "fascia::serve"
grep -qF "FHIR mapping $prefix/share/fascia/fhir/default-map.yaml; what-if page from $prefix/share/fascia/web" \
  "$work/serve.err" || { cat "$work/serve.err"; fail "the installed data was not found beside libfascia-serve.so"; }
if nm -D --defined-only "$prefix/lib/libfascia-serve.so" | c++filt | grep -v ' fascia::serve::' |
    grep -qE ' [TWVDBR] '; then
  nm -D --defined-only "$prefix/lib/libfascia-serve.so" | c++filt | grep -v ' fascia::serve::' | head
  fail "libfascia-serve.so exports more than fascia::serve"
fi

configure_and_build lymphatic_drainage "$source/tools/examples/lymphatic_drainage"
plugin_dir=$work/lymphatic_drainage
chmod -R go-w "$plugin_dir"
step "fascia plugins --plugin-dir <the out-of-tree plugin's build folder>"
"$fascia" plugins --plugin-dir "$plugin_dir" >"$work/ld-plugins.txt" 2>&1 ||
  { cat "$work/ld-plugins.txt"; fail "fascia plugins --plugin-dir"; }
grep -q "lymphatic_drainage" "$work/ld-plugins.txt" || { cat "$work/ld-plugins.txt"; fail "not listed"; }
step "a recommendation that uses the out-of-tree plugin"
"$fascia" evaluate --json --plugin-dir "$plugin_dir" \
  --protocol "$source/tools/examples/lymphatic_drainage/lymphedema.yaml" \
  --state "$source/tools/examples/lymphatic_drainage/lymphedema-client.yaml" >"$work/ld.json" ||
  fail "evaluate with the lymphatic_drainage plugin"
grep -q '"plugin":"lymphatic_drainage"' "$work/ld.json" || { cat "$work/ld.json"; fail "plugin unused"; }
grep -q '"leg_elevation"' "$work/ld.json" || { cat "$work/ld.json"; fail "no home-program item"; }
step "its own ctest (lymphatic_drainage_loads)"
(cd "$plugin_dir" && ctest --output-on-failure >"$work/ld-ctest.log" 2>&1) ||
  { cat "$work/ld-ctest.log"; fail "lymphatic_drainage ctest"; }

step "install the plugin into the engine's own folder: found with no flags"
cmake --install "$plugin_dir" --prefix "$prefix" >/dev/null || fail "install the plugin"
"$fascia" plugins >"$work/plugins-after.txt" || fail "fascia plugins"
grep -q "lymphatic_drainage" "$work/plugins-after.txt" || fail "installed plugin not found"

echo "install test passed"
