"""clearances may expire and may set conditions

Protocol 2026.2 (issue 11, C3): a clearance may say when it lapses (`expires`; without one the
protocol's default applies) and what it still asks of massage (`conditions`: a pressure cap,
techniques and regions to avoid). Existing clearances keep both null.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the clearances' expiry and conditions."""
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("conditions", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the clearances' expiry and conditions."""
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.drop_column("conditions")
        batch_op.drop_column("expires")
