"""Shared test settings."""

from __future__ import annotations

import os

from hypothesis import settings

# In CI the property tests draw the same examples every run, so a red build is reproducible
# and never depends on luck; locally they explore new examples each run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
