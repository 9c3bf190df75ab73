"""Builds the fascia wheel with libfascia and the bundled plugins inside.

    FASCIA_BUILD_DIR=build python3 -m pip wheel python --no-deps \
        --no-build-isolation --no-index --wheel-dir build/dist
    (or: cmake --build build --target fascia_python_wheel)

The wheel holds fascia/_lib/libfascia.so.0.1 and fascia/_lib/fascia/plugins/,
the layout in which the engine finds its plugins beside the library. The
library links Debian 12's libyaml, so the wheel is for Debian 12 (x86_64)
with that runtime package installed; it is tagged py3-none-linux_x86_64
(ctypes: no Python ABI dependency).
"""

import glob
import os
import shutil
import sysconfig

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover
    bdist_wheel = None

here = os.path.dirname(os.path.abspath(__file__))
build_dir = os.path.abspath(os.environ.get("FASCIA_BUILD_DIR", os.path.join(here, "..", "build")))


class BuildWithLibrary(build_py):
    """Copies libfascia and the bundled plugins into the package."""

    def run(self):
        super().run()
        libs = [p for p in glob.glob(os.path.join(build_dir, "lib", "libfascia.so.*"))
                if p.count(".") == 3]  # libfascia.so.0.1: the soname file
        plugins = sorted(glob.glob(os.path.join(build_dir, "lib", "fascia", "plugins", "*.so")))
        if not libs or not plugins:
            raise SystemExit("fascia wheel: no libfascia.so.* or plugins under %s/lib; build "
                             "first (cmake --build build) or set FASCIA_BUILD_DIR" % build_dir)
        target = os.path.join(self.build_lib, "fascia", "_lib")
        os.makedirs(os.path.join(target, "fascia", "plugins"), exist_ok=True)
        for lib in libs:
            shutil.copyfile(os.path.realpath(lib), os.path.join(target, os.path.basename(lib)))
        for plugin in plugins:
            shutil.copyfile(plugin,
                            os.path.join(target, "fascia", "plugins", os.path.basename(plugin)))
        stale = os.path.join(self.build_lib, "fascia", "_paths.py")
        if os.path.exists(stale):
            os.remove(stale)


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


commands = {"build_py": BuildWithLibrary}
if bdist_wheel is not None:

    class PlatformWheel(bdist_wheel):
        def get_tag(self):
            return "py3", "none", sysconfig.get_platform().replace("-", "_").replace(".", "_")

    commands["bdist_wheel"] = PlatformWheel

# Keep setuptools' scratch folders out of the source tree.
scratch = os.path.join(build_dir, "python-wheel")
os.makedirs(scratch, exist_ok=True)
setup(
    cmdclass=commands,
    distclass=BinaryDistribution,
    options={"build": {"build_base": os.path.join(scratch, "build")},
             "egg_info": {"egg_base": scratch}},
)
