"""A headache attack started with one tap: a new episode, unless one is already going.

A tired person may tap "A headache started now" twice, or on two devices at once. The
look for an episode still going and the insert happen in one write transaction, in which
the profile's writers take turns (``DiaryStore.writing``), so the second tap finds the
first tap's episode instead of starting another.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert

from calmcrown.diary import queries, tables
from calmcrown.diary.records import HeadacheEntry
from calmcrown.diary.store import DiaryStore, Recorded, entry_from_row

_GOING = (
    queries.live(tables.headaches, HeadacheEntry)
    .where(
        tables.headaches.c.ended_at.is_(None),
        tables.headaches.c.started_at < bindparam("starts_before"),
    )
    .order_by(tables.headaches.c.started_at.desc(), tables.headaches.c.id.desc())
    .limit(1)
)


def start_attack(store: DiaryStore, now: dt.datetime) -> tuple[Recorded[HeadacheEntry], bool]:
    """The episode still going, or a new one started at ``now`` (to the minute); the flag
    says whether it was started now."""
    started_at = now.replace(second=0, microsecond=0)
    entry = store.validate(HeadacheEntry, {"started_at": started_at})
    headaches = tables.headaches
    with store.writing() as conn:
        # The same episodes Today shows as still going: begun by the end of today.
        params = {"owner": store.profile_id, "starts_before": queries.day_after(store.today())}
        going = conn.execute(_GOING, params).mappings().first()
        if going is not None:
            return Recorded(f"h{going['id']}", entry_from_row(HeadacheEntry, going)), False
        stamp = store.now()
        row_id = conn.execute(
            insert(headaches)
            .values(
                profile_id=store.profile_id,
                created_at=stamp,
                updated_at=stamp,
                **entry.model_dump(),
            )
            .returning(headaches.c.id)
        ).scalar_one()
    return Recorded(f"h{row_id}", entry), True
