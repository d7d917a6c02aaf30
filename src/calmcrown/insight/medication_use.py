"""Acute medication by name, for the clinician's report: on how many days each was taken.

The diary keeps medication as the person wrote it ("ibuprofen 400 mg; paracetamol 1 g").
Each entry is cut at ';', ',' or '+' into items; an item's name is its words before the
first number (the dose), compared without regard to case. Names are not checked against
any list of medicines: the report shows what was written, grouped, and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

_ITEMS = re.compile(r"[;,+\n]")
_DOSE = re.compile(r"\s*\d.*$")


@dataclass(frozen=True)
class MedicationUse:
    name: str
    """As first written, without its dose."""
    days: int
    doses: tuple[str, ...]
    """The doses written with it, in the order first seen ("400 mg")."""


def medication_use(entries: Iterable[tuple[dt.date, str | None]]) -> list[MedicationUse]:
    """Each medication named in ``entries`` (date, text as written) with the number of
    distinct days it was taken; most days first, then by name."""
    names: dict[str, str] = {}
    dates: dict[str, set[dt.date]] = {}
    doses: dict[str, list[str]] = {}
    for day, text in entries:
        for item in _ITEMS.split(text or ""):
            item = " ".join(item.split())
            name = _DOSE.sub("", item)
            if not name:
                continue
            key = name.casefold()
            names.setdefault(key, name)
            dates.setdefault(key, set()).add(day)
            dose = item[len(name) :].strip()
            if dose and dose not in doses.setdefault(key, []):
                doses[key].append(dose)
    found = [MedicationUse(names[key], len(dates[key]), tuple(doses.get(key, ()))) for key in names]
    return sorted(found, key=lambda use: (-use.days, use.name.casefold()))
