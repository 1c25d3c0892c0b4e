"""neurological examinations

Protocol 2026.2 (issue 11, E4): MRC power by myotome, knee and ankle reflexes, sensation by
dermatome, and the straight leg raise, crossed SLR and femoral stretch tests, each by side; each
map is a JSON object keyed as in history@1 `examinations[]`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAPS = ("power", "reflexes", "sensation", "slr", "crossed_slr", "femoral_stretch")


def upgrade() -> None:
    """Add the examinations table."""
    op.create_table(
        "examinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        *(sa.Column(name, sa.JSON(), nullable=False) for name in MAPS),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_examinations_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examinations")),
    )
    with op.batch_alter_table("examinations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_examinations_client_id"), ["client_id"], unique=False)


def downgrade() -> None:
    """Drop the examinations table."""
    with op.batch_alter_table("examinations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_examinations_client_id"))
    op.drop_table("examinations")
