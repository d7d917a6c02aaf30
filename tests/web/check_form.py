"""The safety check's form as a person fills it: every group answered, yes or none."""

from __future__ import annotations

from collections.abc import Iterable

from calmcrown.catalog import load_catalog
from calmcrown.screening import question_groups

GROUPS = question_groups(load_catalog().safety)


def answered(
    flags: Iterable[str] = (), unanswered: Iterable[str] = (), **fields: object
) -> dict[str, object]:
    """Form fields with ``flags`` ticked and "None of these" for every other group but
    those named ``unanswered``."""
    yes = list(flags)
    none = [
        group.key
        for group in GROUPS
        if not {flag.id for flag in group.flags} & set(yes) and group.key not in unanswered
    ]
    return {"flag": yes, "none": none, **fields}
