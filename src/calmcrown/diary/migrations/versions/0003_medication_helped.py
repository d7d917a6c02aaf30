"""Headache episodes keep whether the medication helped after two hours

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nobody was asked before: every earlier episode has it "not recorded" (NULL).
    with op.batch_alter_table("headaches") as batch:
        batch.add_column(sa.Column("medication_helped", sa.String(6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("headaches") as batch:
        batch.drop_column("medication_helped")
