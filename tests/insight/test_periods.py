from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.diary.records import DayEntry, HeadacheEntry
from calmcrown.insight.periods import LongHeadache, day_records, long_headaches, split_periods

D = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 31, 21, 0)


def _day(offset: int, intensity: int, medication: str | None = None) -> DayEntry:
    return DayEntry(date=D + dt.timedelta(days=offset), intensity=intensity, medication=medication)


def test_an_episode_makes_every_date_it_covers_a_recorded_headache_day() -> None:
    episode = HeadacheEntry(
        started_at=dt.datetime(2026, 3, 4, 22, 0),
        ended_at=dt.datetime(2026, 3, 6, 8, 0),
        peak=7,
        medication="sumatriptan 50 mg",
    )
    records = day_records([_day(0, 0), _day(3, 2)], [episode], NOW)
    by_date = {r.date.day: r for r in records}
    assert sorted(by_date) == [2, 4, 5, 6], "unrecorded dates are simply absent"
    assert [by_date[d].headache for d in (2, 4, 5, 6)] == [False, True, True, True]
    assert by_date[5].intensity == 7, "the episode's peak beats the day's 2"
    assert by_date[4].medication and not by_date[5].medication, "medication on the first day"


def test_an_ongoing_episode_runs_to_now() -> None:
    ongoing = HeadacheEntry(started_at=dt.datetime(2026, 3, 29, 9, 0))
    assert [r.date.day for r in day_records([], [ongoing], NOW)] == [29, 30, 31]


def test_periods_split_at_the_practice_start_and_count_per_28_recorded_days() -> None:
    days = [_day(i, 5 if i % 4 == 0 else 0, "ibuprofen" if i % 8 == 0 else None) for i in range(56)]
    days = [d for d in days if d.date.day != 20]  # one date not recorded
    start = D + dt.timedelta(days=28)
    baseline, practice = split_periods(
        day_records(days, [], NOW), start, None, D + dt.timedelta(55)
    )
    assert (baseline.start, baseline.end) == (D, start - dt.timedelta(days=1))
    assert (practice.start, practice.end) == (start, D + dt.timedelta(55))
    assert baseline.recorded_days == 27 and baseline.coverage == pytest.approx(27 / 28)
    assert baseline.headache_days == 7
    assert baseline.headache_days_per_28 == pytest.approx(7 / 27 * 28)
    assert practice.medication_days == 3 and practice.medications == {"ibuprofen"}
    assert practice.mean_intensity == 5


def test_without_a_practice_everything_is_baseline() -> None:
    baseline, practice = split_periods(day_records([_day(0, 3)], [], NOW), None, None, NOW.date())
    assert baseline.recorded_days == 1 and practice.recorded_days == 0
    assert practice.headache_days_per_28 is None and practice.coverage is None


def test_an_episode_ending_at_midnight_stays_on_its_own_date() -> None:
    late = HeadacheEntry(
        started_at=dt.datetime(2026, 3, 10, 22, 0), ended_at=dt.datetime(2026, 3, 11, 0, 0)
    )
    assert [r.date.day for r in day_records([], [late], NOW)] == [10]


def test_one_headache_counts_for_at_most_31_days_however_long_it_is_recorded() -> None:
    now = dt.datetime(2026, 11, 30, 12, 0)
    forgotten = HeadacheEntry(started_at=dt.datetime(1900, 1, 1, 8, 0))
    records = day_records([], [forgotten], now)
    assert len(records) == 31 and all(record.headache for record in records)
    assert (records[0].date, records[-1].date) == (dt.date(1900, 1, 1), dt.date(1900, 1, 31))
    [long] = long_headaches([forgotten], now, None, now.date())
    assert long == LongHeadache(dt.date(1900, 1, 1), 46_355, ongoing=True)
    month = HeadacheEntry(
        started_at=dt.datetime(2026, 10, 1, 8), ended_at=dt.datetime(2026, 10, 31, 20)
    )
    assert len(day_records([], [month], now)) == 31
    assert long_headaches([month], now, None, now.date()) == [], "31 dates: counted whole"
