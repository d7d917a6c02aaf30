"""The diary read for a trial's report: the safety check's stops within the trial's
dates, in the check's own words."""

from __future__ import annotations

import datetime as dt

from calmcrown.catalog import load_catalog
from calmcrown.diary.outcomes import SessionOutcome
from calmcrown.insight.trial.design import design
from calmcrown.trial_source import safety_stops

START = dt.date(2026, 1, 5)


def _session(date: dt.date, outcome: str, reasons: list[str]) -> SessionOutcome:
    return SessionOutcome(date, "evening", 0, None, None, 6, None, outcome, None, reasons, [])


def test_a_stop_within_the_trial_is_told_with_the_question_answered_yes() -> None:
    catalog = load_catalog()
    flag_id, flag = next(iter(catalog.safety.flags.items()))
    trial = design(["head", "none"], START, seed=1, period_days=7, blocks=3, washout_days=0)
    sessions = [
        _session(START - dt.timedelta(days=1), "stopped_by_screening", [flag_id]),
        _session(START + dt.timedelta(days=2), "stopped_by_screening", [flag_id]),
        _session(START + dt.timedelta(days=3), "completed", []),
        _session(trial.end + dt.timedelta(days=1), "stopped_by_screening", [flag_id]),
    ]
    [stop] = safety_stops(sessions, catalog, trial)
    assert stop.date == START + dt.timedelta(days=2)
    assert stop.reasons == (flag.question,)
