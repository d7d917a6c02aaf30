"""The diary, read for a personal trial: what ``calmcrown trial analyze``, the Trial page
and the trial's report start from. The trial's analysis itself never touches the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from calmcrown.catalog import Catalog
from calmcrown.diary.outcomes import Outcomes, SessionOutcome, read_outcomes
from calmcrown.diary.practice_plans import load_practice_plan
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.periods import day_records
from calmcrown.insight.trial.analysis import (
    PLANNED_PER_WEEK,
    TrialAnalysis,
    TrialDay,
    TrialSession,
    analyze_trial,
    trial_days,
)
from calmcrown.insight.trial.arms import STOPPED_BY_SCREENING, arm_of_routines, trial_sessions
from calmcrown.insight.trial.design import TrialDesign
from calmcrown.insight.trial.page_context import SafetyStop
from calmcrown.insight.trial.power import HeadacheChain, PowerRow, fit_chain, power_table


def trial_inputs(
    store: DiaryStore, catalog: Catalog, now: dt.datetime
) -> tuple[list[TrialDay], list[TrialSession]]:
    """The diary's days (headache days by the same rule as Insights) and sessions."""
    return _inputs_of(read_outcomes(store), catalog, now)


def _inputs_of(
    diary: Outcomes, catalog: Catalog, now: dt.datetime
) -> tuple[list[TrialDay], list[TrialSession]]:
    days = trial_days(day_records(diary.days, diary.headaches, now))
    return days, trial_sessions(diary.sessions, arm_of_routines(catalog))


def analyze_stored_trial(
    store: DiaryStore, catalog: Catalog, trial: TrialDesign, now: dt.datetime
) -> TrialAnalysis:
    return _analyze(store, trial, *trial_inputs(store, catalog, now))


def trial_results(
    store: DiaryStore, catalog: Catalog, trial: TrialDesign, now: dt.datetime
) -> tuple[TrialAnalysis, list[SafetyStop]]:
    """The trial's analysis and its safety stops, from one reading of the diary: what the
    Trial page's result shows."""
    diary = read_outcomes(store)
    analysis = _analyze(store, trial, *_inputs_of(diary, catalog, now))
    return analysis, safety_stops(diary.sessions, catalog, trial)


def _analyze(
    store: DiaryStore, trial: TrialDesign, days: list[TrialDay], sessions: list[TrialSession]
) -> TrialAnalysis:
    plan = load_practice_plan(store)
    per_week = plan.sessions_per_week if plan else PLANNED_PER_WEEK
    return analyze_trial(trial, days, sessions, store.today(), planned_per_week=per_week)


BASELINE_DAYS = 84
"""The diary behind the power figures: the last twelve weeks before the design."""


def baseline_chain(days: list[TrialDay], before: dt.date) -> HeadacheChain:
    """The person's headache chain from the recorded days of the twelve weeks before
    ``before``; the typical chain when there are too few."""
    first = before - dt.timedelta(days=BASELINE_DAYS)
    return fit_chain(
        (d.date, d.headache) for d in days if first <= d.date < before and d.headache is not None
    )


def design_power(
    store: DiaryStore, catalog: Catalog, trial: TrialDesign, now: dt.datetime
) -> tuple[HeadacheChain, list[PowerRow]]:
    """What ``trial``'s arms, period and washout can find for 3 to 6 blocks, simulated
    from this diary's own baseline."""
    days, _ = trial_inputs(store, catalog, now)
    return _power_from(days, trial)


def _power_from(days: list[TrialDay], trial: TrialDesign) -> tuple[HeadacheChain, list[PowerRow]]:
    chain = baseline_chain(days, trial.start)
    return chain, power_table(chain, trial.arms, trial.period_days, trial.washout_days)


def safety_stops(
    sessions: Sequence[SessionOutcome], catalog: Catalog, trial: TrialDesign
) -> list[SafetyStop]:
    """The sessions of ``trial``'s dates that the safety check stopped, each with the
    questions answered yes, in the check's own words: the report counts them as harms."""
    flags = catalog.safety.flags
    return [
        SafetyStop(s.date, tuple(flags[r].question if r in flags else r for r in s.reasons))
        for s in sessions
        if s.outcome == STOPPED_BY_SCREENING and trial.start <= s.date <= trial.end
    ]


def trial_report_pdf(
    store: DiaryStore, catalog: Catalog, trial: TrialDesign, who: str, now: dt.datetime
) -> bytes:
    """The trial's report for a clinician (CENT 2015, at most three pages), its power
    simulated again from the same twelve weeks before the start the design was shown.
    The diary is read once for the analysis, the power and the stops."""
    from calmcrown.insight.report import report_pdf
    from calmcrown.insight.trial.report import TrialReportContext, trial_report_html

    diary = read_outcomes(store)
    days, sessions = _inputs_of(diary, catalog, now)
    _, power = _power_from(days, trial)
    context = TrialReportContext(
        who=who, generated=now.date(), stops=safety_stops(diary.sessions, catalog, trial)
    )
    analysis = _analyze(store, trial, days, sessions)
    return report_pdf(trial_report_html(analysis, power, context))
