"""The practice plan a profile keeps: sessions a week, preferred days, time and routine."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update

from calmcrown.diary import tables
from calmcrown.diary.engine import read_connection
from calmcrown.diary.store import DiaryStore
from calmcrown.practice_calendar import PracticePlan, validate_plan


def save_practice_plan(store: DiaryStore, plan: PracticePlan) -> None:
    """Save the profile's one practice plan, replacing any earlier one, after checking it."""
    validate_plan(plan)
    table = tables.practice_plans
    values = {
        "sessions_per_week": plan.sessions_per_week,
        "days": list(plan.days),
        "time": plan.time,
        "minutes": plan.minutes,
        "routine": plan.routine,
        "reminder_minutes": plan.reminder_minutes,
        "updated_at": dt.datetime.now(dt.UTC),
    }
    mine = table.c.profile_id == store.profile_id
    with store.writing() as conn:
        if not conn.execute(update(table).where(mine).values(**values)).rowcount:
            conn.execute(insert(table).values(profile_id=store.profile_id, **values))


def load_practice_plan(store: DiaryStore) -> PracticePlan | None:
    table = tables.practice_plans
    with read_connection(store.engine) as conn:
        row = (
            conn.execute(select(table).where(table.c.profile_id == store.profile_id))
            .mappings()
            .first()
        )
    if row is None:
        return None
    return PracticePlan(
        sessions_per_week=row["sessions_per_week"],
        days=tuple(row["days"]),
        time=row["time"],
        minutes=row["minutes"],
        routine=row["routine"],
        reminder_minutes=row["reminder_minutes"],
    )
