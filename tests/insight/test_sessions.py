from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from calmcrown.diary.records import SessionEntry
from calmcrown.insight.sessions import (
    adherence,
    change_by_routine,
    cut_short,
    immediate_change,
    is_meaningful_drop,
)

MONDAY = dt.date(2026, 3, 2)


def _session(offset: int, before: int | None, after: int | None, **extra: Any) -> SessionEntry:
    fields: dict[str, Any] = {"routine": "evening", "seconds": 600, **extra}
    return SessionEntry(
        date=MONDAY + dt.timedelta(days=offset), pain_before=before, pain_after=after, **fields
    )


def test_mean_change_and_its_interval_match_scipy() -> None:
    sessions = [_session(0, 6, 4), _session(1, 5, 4), _session(2, 3, 3), _session(3, 7, 4),
                _session(4, 2, 1), _session(5, 4, None)]  # fmt: skip
    change = immediate_change(sessions)
    assert change.sessions == 5, "a session without an after rating is left out"
    # scipy.stats.t.interval(0.95, 4, loc=-1.4, scale=scipy.stats.sem([-2, -1, 0, -3, -1]))
    assert change.mean_change == pytest.approx(-1.4)
    assert change.ci_low == pytest.approx(-2.815714776982272)
    assert change.ci_high == pytest.approx(0.015714776982272305)
    # 6->4 (2 points), 7->4 (3 points), 2->1 (50%) are meaningful; 5->4 (20%), 3->3 not.
    assert change.share_meaningful == pytest.approx(3 / 5)


def test_meaningful_means_two_points_or_thirty_percent() -> None:
    assert is_meaningful_drop(9, 7) and is_meaningful_drop(3, 2)
    assert not is_meaningful_drop(9, 8) and not is_meaningful_drop(0, 0)


def test_a_safety_stop_is_not_practice() -> None:
    stopped = _session(0, 6, None, seconds=0, outcome="stopped_by_screening")
    assert immediate_change([stopped]).sessions == 0
    assert adherence([stopped], MONDAY, MONDAY + dt.timedelta(6), 3).sessions == 0


def test_adherence_counts_sessions_a_week_and_weeks_with_three() -> None:
    offsets = [0, 2, 4, 8, 15, 16, 17, 18]
    result = adherence([_session(o, None, None) for o in offsets], MONDAY,
                       MONDAY + dt.timedelta(days=20), 3)  # fmt: skip
    assert result.weeks == 3 and result.sessions == 8
    assert result.sessions_per_week == pytest.approx(8 / 3)
    assert result.weeks_with_three == 2 and result.target_per_week == 3


def test_sessions_cut_short_are_counted_by_kind() -> None:
    sessions = [
        _session(0, None, None, seconds=120, outcome="ended_early", planned_after_s=120,
                 actual_after_s=0),
        _session(1, None, None, seconds=180),
        _session(2, None, None, planned_after_s=90, actual_after_s=90),
    ]  # fmt: skip
    result = cut_short(sessions)
    assert (result.ended_early, result.short, result.no_after_phase) == (1, 2, 1)


def test_change_by_routine_lists_every_routine() -> None:
    sessions = [_session(0, 6, 4), _session(1, 5, 5, routine="feet"), _session(2, 4, None)]
    assert [(r.routine, r.sessions, r.mean_change) for r in change_by_routine(sessions)] == [
        ("evening", 2, -2.0),
        ("feet", 1, 0.0),
    ]


def test_the_same_change_every_time_has_no_interval() -> None:
    change = immediate_change([_session(0, 6, 4), _session(1, 5, 3)])
    assert change.mean_change == -2 and (change.ci_low, change.ci_high) == (None, None)
