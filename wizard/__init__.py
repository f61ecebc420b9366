"""Zelfscan: a self-assessment on the local approach to radicalisation and extremism."""

__version__ = "0.1.0"
