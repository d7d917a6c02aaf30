"""Personal trials: their designs, periods and amendments; sessions keep their period

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("arms", sa.JSON(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("generator", sa.String(40), nullable=False),
        sa.Column("algorithm", sa.String(60), nullable=False),
        sa.Column("period_days", sa.SmallInteger(), nullable=False),
        sa.Column("washout_days", sa.SmallInteger(), nullable=False),
        sa.Column("blocks", sa.SmallInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period_days >= 7 AND period_days <= 28", name=op.f("ck_trials_period_days_range")
        ),
        sa.CheckConstraint(
            "washout_days >= 0 AND washout_days <= 7", name=op.f("ck_trials_washout_days_range")
        ),
        sa.CheckConstraint("blocks >= 3", name=op.f("ck_trials_blocks_range")),
        sa.CheckConstraint("seed >= 0", name=op.f("ck_trials_seed_range")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_trials_profile_id_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trials")),
    )
    op.create_index(op.f("ix_trials_profile_id"), "trials", ["profile_id"])
    op.create_table(
        "trial_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.SmallInteger(), nullable=False),
        sa.Column("block", sa.SmallInteger(), nullable=False),
        sa.Column("arm", sa.String(8), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "end_date >= start_date", name=op.f("ck_trial_periods_ends_after_start")
        ),
        sa.CheckConstraint(
            "arm IN ('head', 'feet', 'none')", name=op.f("ck_trial_periods_arm_known")
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_periods_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_periods")),
        sa.UniqueConstraint("trial_id", "number", name="uq_trial_periods_trial_number"),
    )
    op.create_table(
        "trial_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=True),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('period_extended', 'ended_early')",
            name=op.f("ck_trial_amendments_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_amendments_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_amendments")),
    )
    op.create_index(op.f("ix_trial_amendments_trial_id"), "trial_amendments", ["trial_id"])
    # Sessions recorded before any trial belong to none: the column starts NULL.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("trial_period_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_sessions_trial_period_id_trial_periods"),
            "trial_periods",
            ["trial_period_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_sessions_trial_period_id"), ["trial_period_id"])


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_index(op.f("ix_sessions_trial_period_id"))
        batch.drop_constraint(op.f("fk_sessions_trial_period_id_trial_periods"), "foreignkey")
        batch.drop_column("trial_period_id")
    op.drop_index(op.f("ix_trial_amendments_trial_id"), "trial_amendments")
    op.drop_table("trial_amendments")
    op.drop_table("trial_periods")
    op.drop_index(op.f("ix_trials_profile_id"), "trials")
    op.drop_table("trials")
