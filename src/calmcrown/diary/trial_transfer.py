"""Trials in the JSON export: every trial of the profile as its design (seed, generator,
algorithm, periods and amendments) and each session's period as trial id and period
number, since row ids mean nothing in another diary.

On import a trial must parse and its allocation must re-derive from its seed: a file
whose order was edited by hand would otherwise become a trial nobody drew. A session's
period must be the one its date falls in, as the diary would link it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import all_trials, session_periods
from calmcrown.insight.trial.design import (
    DesignParseError,
    TrialDesign,
    design_dict,
    design_from_dict,
    rederive,
)

LINK_KEY = "trial_period"
"""The key of a session's trial period in the JSON export: {"trial": "t1", "period": 2}."""


def exported_trials(store: DiaryStore) -> list[dict[str, Any]]:
    """Every trial of the profile, oldest first, as ``design_dict`` writes it (without
    power, which is worked out from the diary and not part of the design)."""
    return [
        {key: value for key, value in design_dict(trial).items() if key != "power"}
        for trial in all_trials(store)
    ]


def session_links(store: DiaryStore) -> dict[str, dict[str, Any]]:
    """The trial period of each linked session, by session id, as the export writes it."""
    return {
        session: {"trial": trial, "period": period}
        for session, (trial, period) in session_periods(store).items()
    }


def _label(index: int, data: Any) -> str:
    ident = data.get("id") if isinstance(data, Mapping) else None
    return f"trials[{index}]" + (f" ({ident})" if isinstance(ident, str) else "")


def read_trials(records: Any) -> tuple[list[tuple[str, TrialDesign]], list[str]]:
    """The file's trials, each labelled ``trials[i] (t1)``, and the problems found:
    each names the trial and the key at fault."""
    if not isinstance(records, list):
        return [], ["trials: must be a list"]
    labelled: list[tuple[str, TrialDesign]] = []
    problems: list[str] = []
    ids: set[str] = set()
    for index, data in enumerate(records):
        label = _label(index, data)
        try:
            trial = design_from_dict(data)
        except DesignParseError as error:
            problems.append(f"{label}, key {error.key}: {str(error).split(': ', 1)[1]}")
            continue
        if trial.id is None:
            problems.append(f"{label}, key id: missing (sessions name their trial by it)")
            continue
        if trial.id in ids:
            problems.append(f"{label}, key id: {trial.id} appears twice")
            continue
        ids.add(trial.id)
        if not rederive(trial):
            problems.append(
                f"{label}, key periods: the arms do not re-derive from the seed with "
                f"{trial.generator} and {trial.algorithm}; the allocation was changed "
                "after it was drawn"
            )
            continue
        labelled.append((label, trial))
    return labelled, problems


def link_problem(link: Any, date: dt.date, trials: Sequence[tuple[str, TrialDesign]]) -> str | None:
    """Why a session's recorded period is not the one its date falls in, or None."""
    by_date = next(((t, p) for _, t in trials for p in t.periods if p.contains(date)), None)
    if link is None:
        if by_date is None:
            return None
        trial, period = by_date
        return f"none given, but {date} falls in {trial.id} period {period.index}"
    if (
        not isinstance(link, Mapping)
        or set(link) != {"trial", "period"}
        or not isinstance(link["trial"], str)
        or isinstance(link["period"], bool)
        or not isinstance(link["period"], int)
    ):
        return 'must be {"trial": "t1", "period": 2} or null'
    if not any(t.id == link["trial"] for _, t in trials):
        return f"trial {link['trial']} is not among the file's trials"
    if by_date is None or (by_date[0].id, by_date[1].index) != (link["trial"], link["period"]):
        where = (
            "no trial period" if by_date is None else f"{by_date[0].id} period {by_date[1].index}"
        )
        return f"{link['trial']} period {link['period']} does not hold {date} (it falls in {where})"
    return None
