"""The diary, read for the analysis: what ``calmcrown analyze``, the Insights page and
the clinician's report all start from. The analysis itself never touches the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calmcrown.catalog import Catalog
from calmcrown.diary.practice_plans import load_practice_plan
from calmcrown.diary.records import SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.analysis import Analysis, analyze, region_of_routines


@dataclass(frozen=True)
class Screening:
    """A check before a session that found something: when, the verdict, the answers."""

    date: dt.date
    verdict: str
    flags: list[str]
    questions: list[str]


def analyze_diary(
    store: DiaryStore,
    catalog: Catalog,
    *,
    now: dt.datetime,
    since: dt.date | None = None,
    until: dt.date | None = None,
    practice_start: dt.date | None = None,
) -> Analysis:
    plan = load_practice_plan(store)
    return analyze(
        [r.entry for r in store.days()],
        [r.entry for r in store.headaches()],
        [r.entry for r in store.sessions()],
        now=now,
        since=since,
        until=until,
        practice_start=practice_start,
        target_per_week=plan.sessions_per_week if plan else None,
        routine_regions=region_of_routines(catalog),
    )


def screenings_with_answers(
    sessions: tuple[SessionEntry, ...] | list[SessionEntry], catalog: Catalog
) -> list[Screening]:
    """Every check that had a yes answer, with the questions answered yes, newest first."""
    flags = catalog.safety.flags
    found = [
        Screening(
            s.date,
            s.verdict or "unknown",
            list(s.reasons),
            [flags[f].question if f in flags else f for f in s.reasons],
        )
        for s in sessions
        if s.reasons
    ]
    return sorted(found, key=lambda screening: screening.date, reverse=True)
