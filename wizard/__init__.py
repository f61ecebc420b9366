"""Zelfscan: a self-assessment on the local approach to radicalisation and extremism."""

__version__ = "0.1.0"

# Before any module of ours makes a dataclass (start-up, issue 17).
from wizard import _dccache

_dccache.install()
