"""a session note kept while massage was on hold, and a coded reason for an override

Issue 12 (the safety workflow, 4): a session note written while the plan held massage keeps the
clinical reason the therapist confirmed (`on_hold_reason`, a code of `domain.holds.HOLD_REASONS`)
and their words (`on_hold_note`). An override of a precaution keeps its coded reason
(`reason_code`, of `OVERRIDE_REASONS`) beside the words it always had. Rows written before keep
both null: they were saved under the rules of their day.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add a held session's reason and an override's reason code."""
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_hold_reason", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("on_hold_note", sa.Text(), nullable=True))
    with op.batch_alter_table("technique_overrides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=40), nullable=True))


def downgrade() -> None:
    """Drop a held session's reason and an override's reason code."""
    with op.batch_alter_table("technique_overrides", schema=None) as batch_op:
        batch_op.drop_column("reason_code")
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.drop_column("on_hold_note")
        batch_op.drop_column("on_hold_reason")
