"""Which arms a new trial can offer this person: ``head`` and ``feet`` only when at least
one of their routines fits what the last safety check said lasts (a clot history leaves
out the feet, say) and suits who gives the massage; ``none`` always fits.

Used by the Trial page; the safety check still runs before every session of the trial.
"""

from __future__ import annotations

import datetime as dt

from calmcrown.catalog import Audience, Catalog
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.trial.arms import routines_of_arm
from calmcrown.insight.trial.design import ARMS
from calmcrown.planner import fitting_routines
from calmcrown.screening import Adaptations, answers_from_flags, read_doctor_checks, screen

REMEMBERED_DAYS = 365
"""As the check page: the lasting answers of the last check of the past year."""


def lasting_adaptations(store: DiaryStore, catalog: Catalog, today: dt.date) -> Adaptations:
    """What every session must change for the lasting conditions answered yes at the
    last safety check (the ones the check page asks "still true?" about)."""
    last = store.latest_checked_session(today - dt.timedelta(days=REMEMBERED_DAYS))
    if last is None:
        return Adaptations()
    flags = catalog.safety.flags
    kept = [f for f in last.entry.reasons if f in flags and flags[f].lasting]
    checks = {
        flag: day
        for flag, day in read_doctor_checks(last.entry.doctor_checks).items()
        if flag in kept
    }
    return screen(catalog.safety, answers_from_flags(kept, None, checks), today).adaptations


def fitting_arms(
    catalog: Catalog, adaptations: Adaptations, audiences: frozenset[Audience]
) -> list[str]:
    """The arms, in their usual order, that have a routine to offer: ``none`` always."""
    fitting: list[str] = []
    for arm in ARMS:
        if arm == "none":
            fitting.append(arm)
            continue
        for routine_id in routines_of_arm(catalog, arm):
            routine = catalog.routines[routine_id]
            if routine.audience in audiences and routine_id in fitting_routines(
                catalog, routine.minutes, adaptations, audiences
            ):
                fitting.append(arm)
                break
    return fitting
