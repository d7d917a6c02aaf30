"""Sessions keep the date a doctor checked each lasting condition answered yes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every earlier session had no such answer: an empty list, not "unknown".
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("doctor_checks", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("doctor_checks")
