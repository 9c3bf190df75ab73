"""The version of the fascia Python package: the engine version it ships with."""

__version__ = "0.1.0"
