"""The diary, read for the analysis: what ``calmcrown analyze``, the Insights page and
the clinician's report all start from. The analysis itself never touches the store."""

from __future__ import annotations

import datetime as dt

from calmcrown.catalog import Catalog
from calmcrown.diary.medication_overuse import medication_warning_text
from calmcrown.diary.outcomes import read_outcomes
from calmcrown.diary.practice_plans import load_practice_plan
from calmcrown.diary.records import headache_features, headache_tag
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.analysis import Analysis, analyze, region_of_routines
from calmcrown.insight.attack_summary import summarize_attacks
from calmcrown.insight.medication_use import medication_use
from calmcrown.insight.report import ReportContext, screenings_with_answers


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
    diary = read_outcomes(store)
    return analyze(
        diary.days,
        diary.headaches,
        diary.sessions,
        now=now,
        since=since,
        until=until,
        practice_start=practice_start,
        target_per_week=plan.sessions_per_week if plan else None,
        routine_regions=region_of_routines(catalog),
    )


def report_context(
    store: DiaryStore, catalog: Catalog, result: Analysis, who: str, now: dt.datetime
) -> ReportContext:
    """What the clinician's report says besides the analysis, for its last date: the
    medication days (counted once, the warning made from that count) and the checks."""
    end = result.end or now.date()
    first = result.baseline.start or result.practice.start or end
    count = store.medication_days(end)
    days = store.days(first, end)
    headaches = [h.entry for h in store.headaches(first, end)]
    taken = [(d.entry.date, d.entry.medication) for d in days] + [
        (h.started_at.date(), h.medication) for h in headaches
    ]
    attacks = [(headache_tag(h, now), headache_features(h, now)) for h in headaches]
    return ReportContext(
        who=who,
        medication_days=count,
        medication_warning=medication_warning_text(count, end, store.today()),
        screenings=screenings_with_answers(result.sessions, catalog),
        generated=now.date(),
        medication=medication_use(taken),
        attacks=summarize_attacks(attacks, [h.medication_helped for h in headaches]),
    )
