"""The date written into generated office files (Word, Excel): fixed by the assessment date,
so the same answers give the same bytes."""

from __future__ import annotations

import datetime as _dt


def document_datetime(date: str | None) -> _dt.datetime:
    """Noon of the assessment date (its first ten characters, YYYY-MM-DD); 2000-01-01 when
    there is none or it is no date."""
    try:
        d = _dt.date.fromisoformat(str(date)[:10]) if date else _dt.date(2000, 1, 1)
    except ValueError:
        d = _dt.date(2000, 1, 1)
    return _dt.datetime(d.year, d.month, d.day, 12, 0, 0)
