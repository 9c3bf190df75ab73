"""Finds and loads libfascia (the C API of fascia.h) through ctypes.

ctypes.CDLL releases the GIL for the length of every foreign call, so
evaluations on several Python threads run in parallel inside the engine.

Where the library is looked for, first match wins:

1. ``FASCIA_LIBRARY``: an explicit path to ``libfascia.so``.
2. Inside the package (a wheel): ``fascia/_lib/libfascia.so.*``, with the
   bundled plugins in ``fascia/_lib/fascia/plugins/``.
3. ``fascia/_paths.py``, written by CMake beside the package it copies into
   the build tree (``build/python/fascia``) or installs under a prefix: the
   library's path relative to the package.
4. The system loader (``libfascia.so.0.1``, then ``libfascia.so``), as
   installed by the Debian package.

The engine finds its plugins beside the library it was loaded from
(``<libdir>/fascia/plugins``), so each of these layouts needs no plugin
flags.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from typing import Optional

SONAME = "libfascia.so.0.1"

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_path: Optional[str] = None

_HANDLE = ctypes.c_void_p
_OUT_HANDLE = ctypes.POINTER(ctypes.c_void_p)
# Strings the library allocates for us are kept as void* so that we can hand
# the same pointer back to fascia_string_free().
_OUT_STRING = ctypes.POINTER(ctypes.c_void_p)
_TEXT = ctypes.c_char_p

# name: (argument types, result type); the functions of fascia.h.
_SIGNATURES = {
    "fascia_version": ([], ctypes.c_char_p),
    "fascia_api_version": ([], ctypes.c_int),
    "fascia_error_code": ([_HANDLE], ctypes.c_int),
    "fascia_error_message": ([_HANDLE], ctypes.c_char_p),
    "fascia_error_json": ([_HANDLE], ctypes.c_char_p),
    "fascia_error_free": ([_HANDLE], None),
    "fascia_string_free": ([ctypes.c_void_p], None),
    "fascia_engine_new": ([_TEXT, _OUT_HANDLE, _OUT_HANDLE], ctypes.c_int),
    "fascia_engine_free": ([_HANDLE], None),
    "fascia_engine_plugins_json": ([_HANDLE, _OUT_STRING, _OUT_HANDLE], ctypes.c_int),
    "fascia_protocol_load": ([_HANDLE, _TEXT, _OUT_HANDLE, _OUT_HANDLE], ctypes.c_int),
    "fascia_protocol_parse": ([_HANDLE, _TEXT, _TEXT, _OUT_HANDLE, _OUT_HANDLE], ctypes.c_int),
    "fascia_protocol_free": ([_HANDLE], None),
    "fascia_protocol_id": ([_HANDLE], ctypes.c_char_p),
    "fascia_protocol_version": ([_HANDLE], ctypes.c_char_p),
    "fascia_protocol_sha256": ([_HANDLE], ctypes.c_char_p),
    "fascia_evaluate": ([_HANDLE, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE], ctypes.c_int),
    "fascia_store_open": ([_TEXT, _TEXT, _OUT_HANDLE, _OUT_HANDLE], ctypes.c_int),
    "fascia_store_free": ([_HANDLE], None),
    "fascia_store_reload": ([_HANDLE, ctypes.c_int, ctypes.POINTER(ctypes.c_int), _OUT_HANDLE],
                            ctypes.c_int),
    "fascia_store_reload_if_changed": ([_HANDLE, ctypes.POINTER(ctypes.c_int), _OUT_HANDLE],
                                       ctypes.c_int),
    "fascia_store_current": ([_HANDLE, _OUT_HANDLE, _OUT_HANDLE], ctypes.c_int),
    "fascia_store_evaluate": ([_HANDLE, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE],
                              ctypes.c_int),
}

# Functions added to the C API later (fascia.h 1.1, 1.2): bound when present, so
# the package also works with a 1.0 library (the methods say what is missing).
_OPTIONAL_SIGNATURES: dict = {
    "fascia_protocol_info_json": ([_HANDLE, _OUT_STRING, _OUT_HANDLE], ctypes.c_int),
    "fascia_record": ([_HANDLE, _TEXT, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE],
                      ctypes.c_int),
    # fascia.h 1.2
    "fascia_what_if": ([_HANDLE, _TEXT, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE],
                       ctypes.c_int),
    "fascia_validate_protocol": ([_HANDLE, _TEXT, _TEXT, ctypes.c_uint, _OUT_STRING,
                                  _OUT_HANDLE], ctypes.c_int),
    "fascia_validate_protocol_file": ([_HANDLE, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE],
                                      ctypes.c_int),
    "fascia_validate_state": ([_HANDLE, _TEXT, ctypes.c_uint, _OUT_STRING, _OUT_HANDLE],
                              ctypes.c_int),
    "fascia_simulate": ([_HANDLE, _TEXT, ctypes.c_int, _TEXT, ctypes.c_uint, _OUT_STRING,
                         _OUT_HANDLE], ctypes.c_int),
    "fascia_protocol_state_schema_json": ([_HANDLE, _OUT_STRING, _OUT_HANDLE], ctypes.c_int),
}


def _candidates() -> list:
    here = os.path.dirname(os.path.abspath(__file__))
    found = []
    explicit = os.environ.get("FASCIA_LIBRARY")
    if explicit:
        return [explicit]
    found += sorted(glob.glob(os.path.join(here, "_lib", "libfascia.so*")), key=len)
    try:
        from . import _paths  # type: ignore[attr-defined]  # written by CMake

        found.append(os.path.normpath(os.path.join(here, _paths.LIBRARY)))
    except ImportError:
        pass
    found += [SONAME, "libfascia.so"]
    return found


def library_path() -> str:
    """The file libfascia was loaded from (loads it if needed)."""
    load()
    assert _path is not None
    return _path


def load() -> ctypes.CDLL:
    """libfascia with the argument and result types of fascia.h set."""
    global _lib, _path
    with _lock:
        if _lib is not None:
            return _lib
        problems = []
        for candidate in _candidates():
            if os.sep in candidate and not os.path.exists(candidate):
                problems.append("%s: no such file" % candidate)
                continue
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as e:
                problems.append(str(e))
                continue
            for name, (args, result) in _SIGNATURES.items():
                fn = getattr(lib, name)
                fn.argtypes = args
                fn.restype = result
            for name, (args, result) in _OPTIONAL_SIGNATURES.items():
                fn = getattr(lib, name, None)
                if fn is not None:
                    fn.argtypes = args
                    fn.restype = result
            _lib = lib
            _path = _loaded_file(lib, candidate)
            return lib
        raise OSError(
            "fascia: cannot load libfascia; tried:\n  " + "\n  ".join(problems) +
            "\nBuild it (cmake --build build), install it (cmake --install, the .deb), "
            "or set FASCIA_LIBRARY=/path/to/libfascia.so")


def _loaded_file(lib: ctypes.CDLL, fallback: str) -> str:
    """The real path of the loaded library, from dladdr()."""

    class DlInfo(ctypes.Structure):
        _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                    ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]

    try:
        libc = ctypes.CDLL(None)
        info = DlInfo()
        address = ctypes.cast(lib.fascia_version, ctypes.c_void_p)
        if libc.dladdr(address, ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    except (OSError, AttributeError):
        pass
    return fallback


def has(name: str) -> bool:
    """Whether the loaded library exports the C API function `name`."""
    return getattr(load(), name, None) is not None
