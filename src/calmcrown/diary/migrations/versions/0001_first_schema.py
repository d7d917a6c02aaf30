"""The first diary schema: profiles, days, headaches, sessions, practice plans

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_profiles_name")),
    )
    op.create_table(
        "days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("intensity", sa.SmallInteger(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("medication", sa.Text(), nullable=True),
        sa.Column("sleep", sa.SmallInteger(), nullable=True),
        sa.Column("stress", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "hours IS NULL OR (hours >= 0 AND hours <= 24)", name=op.f("ck_days_hours_range")
        ),
        sa.CheckConstraint(
            "intensity IS NULL OR (intensity >= 0 AND intensity <= 10)",
            name=op.f("ck_days_intensity_range"),
        ),
        sa.CheckConstraint(
            "sleep IS NULL OR (sleep >= 0 AND sleep <= 10)", name=op.f("ck_days_sleep_range")
        ),
        sa.CheckConstraint(
            "stress IS NULL OR (stress >= 0 AND stress <= 10)", name=op.f("ck_days_stress_range")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_days_profile_id_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_days")),
        sa.UniqueConstraint("profile_id", "date", name="uq_days_profile_date"),
    )
    op.create_table(
        "headaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("peak", sa.SmallInteger(), nullable=True),
        sa.Column("side", sa.String(length=5), nullable=True),
        sa.Column("quality", sa.String(length=10), nullable=True),
        sa.Column("worse_with_activity", sa.Boolean(), nullable=True),
        sa.Column("nausea", sa.Boolean(), nullable=True),
        sa.Column("vomiting", sa.Boolean(), nullable=True),
        sa.Column("light_sensitivity", sa.Boolean(), nullable=True),
        sa.Column("sound_sensitivity", sa.Boolean(), nullable=True),
        sa.Column("aura", sa.Boolean(), nullable=True),
        sa.Column("location", sa.JSON(), nullable=False),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("medication", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= started_at", name=op.f("ck_headaches_ends_after_start")
        ),
        sa.CheckConstraint(
            "peak IS NULL OR (peak >= 1 AND peak <= 10)", name=op.f("ck_headaches_peak_range")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_headaches_profile_id_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_headaches")),
    )
    with op.batch_alter_table("headaches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_headaches_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "practice_plans",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("sessions_per_week", sa.SmallInteger(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("time", sa.Time(), nullable=False),
        sa.Column("minutes", sa.SmallInteger(), nullable=False),
        sa.Column("routine", sa.String(length=60), nullable=False),
        sa.Column("reminder_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_practice_plans_profile_id_profiles")
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_practice_plans")),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("time", sa.Time(), nullable=True),
        sa.Column("routine", sa.String(length=60), nullable=False),
        sa.Column("given_by", sa.String(length=12), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("planned_settle_s", sa.Integer(), nullable=True),
        sa.Column("planned_practice_s", sa.Integer(), nullable=True),
        sa.Column("planned_after_s", sa.Integer(), nullable=True),
        sa.Column("actual_settle_s", sa.Integer(), nullable=True),
        sa.Column("actual_practice_s", sa.Integer(), nullable=True),
        sa.Column("actual_after_s", sa.Integer(), nullable=True),
        sa.Column("pressure", sa.String(length=8), nullable=True),
        sa.Column("oil", sa.Boolean(), nullable=True),
        sa.Column("pain_before", sa.SmallInteger(), nullable=True),
        sa.Column("pain_after", sa.SmallInteger(), nullable=True),
        sa.Column("tension_before", sa.SmallInteger(), nullable=True),
        sa.Column("tension_after", sa.SmallInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("verdict", sa.String(length=12), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "pain_after IS NULL OR (pain_after >= 0 AND pain_after <= 10)",
            name=op.f("ck_sessions_pain_after_range"),
        ),
        sa.CheckConstraint(
            "pain_before IS NULL OR (pain_before >= 0 AND pain_before <= 10)",
            name=op.f("ck_sessions_pain_before_range"),
        ),
        sa.CheckConstraint(
            "seconds >= 0 AND seconds <= 14400", name=op.f("ck_sessions_seconds_range")
        ),
        sa.CheckConstraint(
            "tension_after IS NULL OR (tension_after >= 0 AND tension_after <= 10)",
            name=op.f("ck_sessions_tension_after_range"),
        ),
        sa.CheckConstraint(
            "tension_before IS NULL OR (tension_before >= 0 AND tension_before <= 10)",
            name=op.f("ck_sessions_tension_before_range"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_sessions_profile_id_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_profile_id"), ["profile_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_profile_id"))

    op.drop_table("sessions")
    op.drop_table("practice_plans")
    with op.batch_alter_table("headaches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_headaches_profile_id"))

    op.drop_table("headaches")
    op.drop_table("days")
    op.drop_table("profiles")
