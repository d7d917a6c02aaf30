"""Recorded days, and the two periods compared: before the practice and since.

Only recorded days count. A date is recorded when it has a day entry or a headache
episode covers it; every other date is unknown and is never counted as free of headache.
A date is a headache day when its intensity is above 0 or an episode covers it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from calmcrown.diary.medication_overuse import took_medication
from calmcrown.diary.records import LONG_EPISODE_DAYS, HeadacheEntry, episode_dates
from calmcrown.insight.inputs import DayFacts

DAYS_PER_PERIOD_UNIT = 28  # headache trials count frequency per 28 days
MAX_EPISODE_DAYS = LONG_EPISODE_DAYS
"""The most dates one episode counts for: the length the diary asks to be confirmed."""


class DayRecord(NamedTuple):  # a tuple: ten years of them are built for every analysis
    date: dt.date
    headache: bool
    intensity: int | None
    """The worst intensity known for the date (the day's, or an episode's peak)."""
    medication: bool
    medication_text: str | None = None


def day_records(
    days: Iterable[DayFacts], headaches: Iterable[HeadacheEntry], now: dt.datetime
) -> list[DayRecord]:
    """One record per recorded date, in date order."""
    by_date: dict[dt.date, DayRecord] = {}
    for day in days:
        taken = took_medication(day.medication)
        by_date[day.date] = DayRecord(
            day.date, day.intensity > 0, day.intensity, taken, day.medication if taken else None
        )
    for episode in headaches:
        first = episode.started_at.date()
        # No more than a month of any one headache: one whose end was never recorded
        # (an ongoing one dated 1900) would otherwise fill decades with headache days.
        last = min(now.date(), first + dt.timedelta(days=MAX_EPISODE_DAYS - 1))
        for date in episode_dates(episode, now, first, last):
            known = by_date.get(date)
            peaks = [v for v in (known and known.intensity, episode.peak) if v]
            medication = took_medication(episode.medication) and date == first
            by_date[date] = DayRecord(
                date,
                headache=True,
                intensity=max(peaks) if peaks else None,
                medication=medication or bool(known and known.medication),
                medication_text=(known and known.medication_text)
                or (episode.medication if medication else None),
            )
    return [by_date[date] for date in sorted(by_date)]


class LongHeadache(NamedTuple):
    """An episode that covers more dates than the analysis counts of it."""

    started: dt.date
    days: int
    """The dates it covers, up to now while it goes on."""
    ongoing: bool


def long_headaches(
    headaches: Iterable[HeadacheEntry], now: dt.datetime, since: dt.date | None, until: dt.date
) -> list[LongHeadache]:
    """The episodes reaching into ``since``..``until`` that ``day_records`` counted only
    ``MAX_EPISODE_DAYS`` of, oldest first."""
    found = []
    for episode in headaches:
        dates = episode_dates(episode, now, episode.started_at.date(), now.date())
        if (
            len(dates) > MAX_EPISODE_DAYS
            and dates[0] <= until
            and (since is None or dates[-1] >= since)
        ):
            found.append(LongHeadache(dates[0], len(dates), episode.ended_at is None))
    return sorted(found)


WEEK = 7


@dataclass(frozen=True)
class WeeklyCounts:
    counts: np.ndarray
    exposure: np.ndarray
    """Recorded days in each week (weeks with none are left out)."""

    @property
    def weeks(self) -> int:
        return len(self.counts)


@dataclass(frozen=True)
class Period:
    """A stretch of dates and the records inside it."""

    name: str
    start: dt.date | None
    end: dt.date | None
    records: tuple[DayRecord, ...]

    @property
    def span_days(self) -> int:
        if self.start is None or self.end is None or self.end < self.start:
            return 0
        return (self.end - self.start).days + 1

    @functools.cached_property
    def weekly(self) -> WeeklyCounts:
        """Headache days and recorded days in each 7-day block from the period's start.
        Kept once made: the interval and both planning figures ask for them."""
        if self.start is None or not self.records:
            return WeeklyCounts(np.zeros(0), np.zeros(0))
        first = self.start.toordinal()
        blocks = (self.span_days + WEEK - 1) // WEEK
        block = np.fromiter(
            ((r.date.toordinal() - first) // WEEK for r in self.records), int, len(self.records)
        )
        headache = np.fromiter((r.headache for r in self.records), float, len(self.records))
        exposure = np.bincount(block, minlength=blocks).astype(float)
        counts = np.bincount(block, weights=headache, minlength=blocks)
        kept = exposure > 0
        return WeeklyCounts(counts[kept], exposure[kept])

    @property
    def recorded_days(self) -> int:
        return len(self.records)

    @property
    def headache_days(self) -> int:
        return sum(record.headache for record in self.records)

    @property
    def medication_days(self) -> int:
        return sum(record.medication for record in self.records)

    @property
    def coverage(self) -> float | None:
        """The share of the period's dates that were recorded."""
        return self.recorded_days / self.span_days if self.span_days else None

    def per_28(self, count: int) -> float | None:
        """``count`` per 28 recorded days."""
        if not self.recorded_days:
            return None
        return count / self.recorded_days * DAYS_PER_PERIOD_UNIT

    @property
    def headache_days_per_28(self) -> float | None:
        return self.per_28(self.headache_days)

    @property
    def mean_intensity(self) -> float | None:
        """Mean worst intensity on headache days with a known intensity."""
        values = [r.intensity for r in self.records if r.headache and r.intensity]
        return sum(values) / len(values) if values else None

    @property
    def medications(self) -> frozenset[str]:
        """The medicines named, lower-cased, as written."""
        return frozenset(self._medicine_days())

    @property
    def regular_medicines(self) -> frozenset[str]:
        """Medicines named on two or more days (one mention may be a slip)."""
        return frozenset(name for name, days in self._medicine_days().items() if days >= 2)

    @property
    def treated_share(self) -> float | None:
        """The share of headache days with acute medication."""
        headache = [r for r in self.records if r.headache]
        return sum(r.medication for r in headache) / len(headache) if headache else None

    def _medicine_days(self) -> Counter[str]:
        return Counter(r.medication_text.strip().lower() for r in self.records if r.medication_text)


def split_periods(
    records: Sequence[DayRecord],
    practice_start: dt.date | None,
    since: dt.date | None,
    until: dt.date,
) -> tuple[Period, Period]:
    """Baseline (before ``practice_start``) and practice (from it to ``until``), both
    inside ``since``..``until``.

    The baseline begins at ``since`` or at the first recorded date. Without a practice
    start inside the dates, every recorded day is baseline and the practice is empty.
    """
    inside = tuple(r for r in records if (since is None or r.date >= since) and r.date <= until)
    first = since or (inside[0].date if inside else None)
    empty = Period("practice", None, None, ())
    if first is None or first > until:
        return Period("baseline", None, None, ()), empty
    if practice_start is None or practice_start > until:
        return Period("baseline", first, until, inside), empty
    practice_first = max(practice_start, first)
    before = tuple(r for r in inside if r.date < practice_first)
    after = tuple(r for r in inside if r.date >= practice_first)
    if practice_first == first:
        baseline = Period("baseline", None, None, ())
    else:
        baseline = Period("baseline", first, practice_first - dt.timedelta(days=1), before)
    return baseline, Period("practice", practice_first, until, after)
