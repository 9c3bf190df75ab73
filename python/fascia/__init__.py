"""fascia: the rules engine for clinical massage protocols, from Python.

    import fascia
    engine = fascia.Engine()                      # bundled plugins; or plugin_dirs=[...]
    protocol = engine.load_protocol("protocols/fibromyalgia.yaml")
    plan = protocol.evaluate({"client": {...}, "as_of": "2026-11-20", ...})
    for plan in protocol.evaluate_many(states, threads=2):   # in input order
        ...

Bad input raises :class:`InvalidInput`, whose ``diagnostics`` are
:class:`Diagnostic` objects (``file``, ``line``, ``column``, ``path``,
``message``). The package drives libfascia's C API (fascia.h) through
ctypes: there is nothing to compile, and every call into the engine
releases the GIL.
"""

from ._engine import Engine, Protocol, ProtocolStore, State, api_version, version
from ._errors import (Diagnostic, FasciaError, FasciaIOError, InternalError, InvalidInput,
                      ProtocolMismatch, UsageError)
from ._library import library_path
from ._version import __version__

__all__ = [
    "Engine", "Protocol", "ProtocolStore", "State", "Diagnostic", "FasciaError", "InvalidInput",
    "UsageError", "FasciaIOError", "InternalError", "ProtocolMismatch", "version",
    "api_version", "library_path", "__version__",
]
