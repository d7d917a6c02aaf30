"""Dates in a page's address (?since=, ?until=): read, checked, kept within the diary."""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)  # the diary refuses earlier dates, so none is asked for


def query_date(name: str, text: str | None, problems: list[str]) -> dt.date | None:
    """The date, or None with a problem naming ``name`` added; never after today, since
    the diary holds nothing later (a future day would only count as unknown)."""
    if not text:
        return None
    today = dt.date.today()
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{name}: {text!r} is not a date like {today}")
        return None
    if value < EARLIEST:
        problems.append(f"{name}: {value} is before 1900")
        return None
    return min(value, today)


def query_month(name: str, text: str | None, problems: list[str]) -> dt.date | None:
    """The first day of the month written ``2026-11``, or None with a problem naming
    ``name``; never after this month, as ``query_date`` is never after today."""
    if not text:
        return None
    this_month = dt.date.today().replace(day=1)
    try:
        value = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        problems.append(f"{name}: {text!r} is not a month like {this_month:%Y-%m}")
        return None
    if value < EARLIEST:
        problems.append(f"{name}: {text} is before 1900")
        return None
    return min(value, this_month)
