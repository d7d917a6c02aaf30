"""The diary's tables (SQLAlchemy Core). Alembic migrations build and evolve them.

Every record belongs to a profile, and every query filters by it. Deleting is soft
(``deleted_at``) so that ``undo`` can bring a record back; nothing acknowledged is lost.
Check constraints repeat the input rules as a last line of defence.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _stamps() -> list[Column[object]]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("deleted_at", DateTime(timezone=True)),
    ]


def _score(column: str, low: int = 0, high: int = 10) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= {low} AND {column} <= {high})", name=f"{column}_range"
    )


profiles = Table(
    "profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

days = Table(
    "days",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", ForeignKey("profiles.id"), nullable=False),
    Column("date", Date, nullable=False),
    Column("intensity", SmallInteger, nullable=False),
    Column("hours", Float),
    Column("medication", Text),
    Column("sleep", SmallInteger),
    Column("stress", SmallInteger),
    Column("notes", Text),
    *_stamps(),
    UniqueConstraint("profile_id", "date", name="uq_days_profile_date"),
    _score("intensity"),
    _score("sleep"),
    _score("stress"),
    CheckConstraint("hours IS NULL OR (hours >= 0 AND hours <= 24)", name="hours_range"),
)

headaches = Table(
    "headaches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", ForeignKey("profiles.id"), nullable=False, index=True),
    # Local wall-clock times, as the person lived them; no time zone is implied.
    Column("started_at", DateTime(timezone=False), nullable=False),
    Column("ended_at", DateTime(timezone=False)),
    Column("peak", SmallInteger),
    Column("side", String(5)),
    Column("quality", String(10)),
    Column("worse_with_activity", Boolean),
    Column("nausea", Boolean),
    Column("vomiting", Boolean),
    Column("light_sensitivity", Boolean),
    Column("sound_sensitivity", Boolean),
    Column("aura", Boolean),
    Column("location", JSON, nullable=False),
    Column("triggers", JSON, nullable=False),
    Column("medication", Text),
    Column("medication_helped", String(6)),
    Column("notes", Text),
    *_stamps(),
    _score("peak", 1, 10),
    CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", ForeignKey("profiles.id"), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("time", Time),
    Column("routine", String(60), nullable=False),
    Column("given_by", String(12), nullable=False),
    Column("seconds", Integer, nullable=False),
    Column("planned_settle_s", Integer),
    Column("planned_practice_s", Integer),
    Column("planned_after_s", Integer),
    Column("actual_settle_s", Integer),
    Column("actual_practice_s", Integer),
    Column("actual_after_s", Integer),
    Column("pressure", String(8)),
    Column("oil", Boolean),
    Column("pain_before", SmallInteger),
    Column("pain_after", SmallInteger),
    Column("tension_before", SmallInteger),
    Column("tension_after", SmallInteger),
    Column("outcome", String(24), nullable=False),
    Column("verdict", String(12)),
    Column("reasons", JSON, nullable=False),
    # The lasting conditions among the reasons a doctor had checked: ["flag:YYYY-MM-DD"].
    Column("doctor_checks", JSON, nullable=False, server_default=text("'[]'")),
    Column("notes", Text),
    *_stamps(),
    # The trial period the session's date fell in when it was recorded (or when a trial
    # was designed or amended over it); NULL outside any trial.
    Column("trial_period_id", ForeignKey("trial_periods.id"), index=True),
    _score("pain_before"),
    _score("pain_after"),
    _score("tension_before"),
    _score("tension_after"),
    CheckConstraint("seconds >= 0 AND seconds <= 14400", name="seconds_range"),
)

practice_plans = Table(
    "practice_plans",
    metadata,
    Column("profile_id", ForeignKey("profiles.id"), primary_key=True),
    Column("sessions_per_week", SmallInteger, nullable=False),
    Column("days", JSON, nullable=False),
    Column("time", Time, nullable=False),
    Column("minutes", SmallInteger, nullable=False),
    Column("routine", String(60), nullable=False),
    Column("reminder_minutes", SmallInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A personal trial (issue 12): its design as drawn, once, before it started. The seed,
# generator and algorithm are kept so that anyone can draw the allocation again.
trials = Table(
    "trials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", ForeignKey("profiles.id"), nullable=False, index=True),
    Column("arms", JSON, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("generator", String(40), nullable=False),
    Column("algorithm", String(60), nullable=False),
    Column("period_days", SmallInteger, nullable=False),
    Column("washout_days", SmallInteger, nullable=False),
    Column("blocks", SmallInteger, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("period_days >= 7 AND period_days <= 28", name="period_days_range"),
    CheckConstraint("washout_days >= 0 AND washout_days <= 7", name="washout_days_range"),
    CheckConstraint("blocks >= 3", name="blocks_range"),
    CheckConstraint("seed >= 0", name="seed_range"),
)

trial_periods = Table(
    "trial_periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trial_id", ForeignKey("trials.id"), nullable=False),
    Column("number", SmallInteger, nullable=False),
    Column("block", SmallInteger, nullable=False),
    Column("arm", String(8), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    UniqueConstraint("trial_id", "number", name="uq_trial_periods_trial_number"),
    CheckConstraint("end_date >= start_date", name="ends_after_start"),
    CheckConstraint("arm IN ('head', 'feet', 'none')", name="arm_known"),
)

# Amendments change dates only, never the allocation; each keeps its date and reason.
trial_amendments = Table(
    "trial_amendments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trial_id", ForeignKey("trials.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("period", SmallInteger),
    Column("days", SmallInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('period_extended', 'ended_early')", name="kind_known"),
)
