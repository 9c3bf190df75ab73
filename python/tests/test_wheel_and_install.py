"""The wheel (offline, carrying libfascia and the plugins) and the CMake
install (package under the prefix, pkg-config file for C users)."""

import glob
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import BUILD_DIR, PROTOCOL, SOURCE_DIR

CHECK = (
    "import fascia, json, sys; p = fascia.Engine().load_protocol(sys.argv[1]); "
    "r = p.evaluate(open(sys.argv[2]).read()); "
    "print(fascia.library_path()); print(r['session']['stage'], r['session']['pressure_cap'])"
)
EXAMPLE = os.path.join(SOURCE_DIR, "protocols", "examples", "fibromyalgia-client.json")


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "FASCIA_LIBRARY", "FASCIA_PLUGIN_PATH")}
    env.update(extra)
    return env


def test_wheel_carries_library_and_plugins(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", os.path.join(SOURCE_DIR, "python"), "--no-deps",
         "--no-build-isolation", "--no-index", "--wheel-dir", str(tmp_path / "dist")],
        capture_output=True, text=True, env=_clean_env(FASCIA_BUILD_DIR=BUILD_DIR), timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    (wheel,) = glob.glob(str(tmp_path / "dist" / "fascia-*.whl"))
    assert os.path.basename(wheel).endswith("-py3-none-linux_x86_64.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("fascia/__init__.py", "fascia/py.typed", "fascia/dask.py",
                     "fascia/_lib/libfascia.so.0.1",
                     "fascia/_lib/fascia/plugins/libfascia-swedish.so",
                     "fascia/_lib/fascia/plugins/libfascia-home_program.so"):
        assert expected in names, names
    assert "fascia/_paths.py" not in names, "build-tree paths must not ship"
    assert not os.path.exists(os.path.join(SOURCE_DIR, "python", "fascia.egg-info"))

    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                          "--target", str(site), wheel], capture_output=True, text=True,
                         env=_clean_env(), timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    run = subprocess.run([sys.executable, "-c", CHECK, PROTOCOL, EXAMPLE], capture_output=True,
                         text=True, cwd=str(tmp_path), env=_clean_env(PYTHONPATH=str(site)),
                         timeout=60)
    assert run.returncode == 0, run.stderr
    library, plan = run.stdout.splitlines()
    assert library.startswith(str(site)), library
    assert plan == "myofascial_introduction 5"


@pytest.mark.skipif(os.environ.get("FASCIA_INSTALL_RULES", "ON").upper() in ("OFF", "0", "FALSE"),
                    reason="configured with FASCIA_INSTALL=OFF: no install rules")
def test_cmake_install_puts_package_under_prefix(tmp_path):
    prefix = tmp_path / "prefix"
    run = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", str(prefix)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    (init,) = glob.glob(str(prefix / "lib" / "python3*" / "dist-packages" / "fascia" /
                            "__init__.py"))
    site = os.path.dirname(os.path.dirname(init))
    assert os.path.exists(os.path.join(site, "fascia", "py.typed"))
    run = subprocess.run([sys.executable, "-c", CHECK,
                          str(prefix / "share" / "fascia" / "protocols" / "fibromyalgia.yaml"),
                          EXAMPLE], capture_output=True, text=True, cwd=str(tmp_path),
                         env=_clean_env(PYTHONPATH=site), timeout=60)
    assert run.returncode == 0, run.stderr
    library, plan = run.stdout.splitlines()
    assert library.startswith(str(prefix / "lib")), library
    assert plan == "myofascial_introduction 5"

    # pkg-config: build and run the C example against the installed library.
    (pc,) = glob.glob(str(prefix / "lib" / "**" / "pkgconfig" / "fascia.pc"), recursive=True)
    env = _clean_env(PKG_CONFIG_PATH=os.path.dirname(pc))
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "fascia"], capture_output=True,
                           text=True, env=env, timeout=30)
    assert flags.returncode == 0, flags.stderr
    assert subprocess.run(["pkg-config", "--modversion", "fascia"], capture_output=True,
                          text=True, env=env).stdout.strip() == "0.1.0"
    program = tmp_path / "embed_c"
    protocols = str(prefix / "share" / "fascia" / "protocols")
    libdir = os.path.dirname(os.path.dirname(pc))
    build = subprocess.run(
        ["cc", "-std=c99", "-DFASCIA_PROTOCOL_DIR=\"%s\"" % protocols,
         os.path.join(SOURCE_DIR, "tools", "examples", "embed_c", "evaluate.c"), "-o",
         str(program)] + flags.stdout.split() + ["-Wl,-rpath," + libdir],
        capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(program)], capture_output=True, text=True, env=_clean_env(),
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert '"stage":"myofascial_introduction"' in run.stdout


@pytest.mark.skipif(os.environ.get("FASCIA_INSTALL_RULES", "ON").upper() in ("OFF", "0", "FALSE"),
                    reason="configured with FASCIA_INSTALL=OFF: no fascia.pc")
def test_pkg_config_file_is_relocatable():
    (pc,) = glob.glob(os.path.join(BUILD_DIR, "fascia.pc"))
    text = open(pc).read()
    assert "prefix=${pcfiledir}/" in text
