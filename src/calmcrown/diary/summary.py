"""What the diary says about a stretch of days, counted the way headache trials count.

A headache day is a date with a recorded intensity above 0 or covered by a headache
episode. A date with neither a day record nor an episode is unknown: it is never counted
as free of headache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from calmcrown.diary import queries
from calmcrown.diary.medication_overuse import medication_warning_text
from calmcrown.diary.records import (
    DayEntry,
    HeadacheEntry,
    SessionEntry,
    episode_dates,
    headache_tag,
)
from calmcrown.diary.store import DiaryStore, Recorded, Snapshot
from calmcrown.headache_kind import HeadacheTag


@dataclass(frozen=True)
class Episode:
    recorded: Recorded[HeadacheEntry]
    tag: HeadacheTag


@dataclass(frozen=True)
class DiarySummary:
    since: dt.date
    until: dt.date
    days: list[Recorded[DayEntry]]
    episodes: list[Episode]
    sessions: list[Recorded[SessionEntry]]
    headache_dates: frozenset[dt.date]
    known_dates: frozenset[dt.date]
    medication_days: int
    medication_warning: str | None

    @property
    def span(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def unknown_days(self) -> int:
        return self.span - len(self.known_dates)

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days_in_range": self.span,
            "days_recorded": len(self.known_dates),
            "days_unknown": self.unknown_days,
            "headache_days": len(self.headache_dates),
            "medication_days_last_30": self.medication_days,
            "medication_warning": self.medication_warning,
            "days": [_record_dict(day) for day in self.days],
            "headaches": [
                _record_dict(episode.recorded) | {"tag": episode.tag.value}
                for episode in self.episodes
            ],
            "sessions": [_record_dict(session) for session in self.sessions],
        }


def summarize(store: DiaryStore, since: dt.date, until: dt.date, now: dt.datetime) -> DiarySummary:
    return summary_of(store.snapshot(since, until), since, until, now, store.today())


def summary_of(
    snapshot: Snapshot, since: dt.date, until: dt.date, now: dt.datetime, today: dt.date
) -> DiarySummary:
    """The summary of the dates from a snapshot read up to ``until`` (its medication
    days are those of the 30 days up to it) from ``since`` or earlier: the Diary page
    reads one snapshot for its lists and its month. Only the dates' records count."""
    after, start = queries.day_after(until), queries.start_of(since)
    days = [d for d in snapshot.days if since <= d.entry.date <= until]
    headaches = [
        h  # the store's own test of overlapping the dates
        for h in snapshot.headaches
        if h.entry.started_at < after and (h.entry.ended_at is None or h.entry.ended_at >= start)
    ]
    known: set[dt.date] = {day.entry.date for day in days}
    with_headache: set[dt.date] = {day.entry.date for day in days if day.entry.intensity > 0}
    for episode in headaches:
        covered = set(episode_dates(episode.entry, now, since, until))
        known |= covered
        with_headache |= covered
    medication_days = snapshot.medication_days
    return DiarySummary(
        since=since,
        until=until,
        days=days,
        episodes=[Episode(episode, headache_tag(episode.entry, now)) for episode in headaches],
        sessions=[s for s in snapshot.sessions if since <= s.entry.date <= until],
        headache_dates=frozenset(with_headache),
        known_dates=frozenset(known),
        medication_days=medication_days,
        medication_warning=medication_warning_text(medication_days, until, today),
    )


def _record_dict(recorded: Recorded[Any]) -> dict[str, Any]:
    fields: dict[str, Any] = recorded.entry.model_dump(mode="json")
    return {"id": recorded.id, **fields}
