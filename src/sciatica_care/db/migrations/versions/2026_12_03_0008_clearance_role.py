"""clearances name the clinician's role

Protocol 2026.2 (issue 11, C1): a clearance names the clinician and their role; one without a
name clears nothing. Existing clearances keep a null role (the plan warns that it is missing).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.drop_column("role")
