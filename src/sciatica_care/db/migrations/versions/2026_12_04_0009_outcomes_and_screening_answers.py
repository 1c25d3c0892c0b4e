"""outcomes of red flags; screenings record their no answers, their source and who asked

Protocol 2026.2 (issue 11, A1 and B1): an emergency or urgent finding stays open until a named
clinician records its outcome (the new `outcomes` table). A screening records the items answered
no (`negatives`; null for every screening stored before, which listed its yes answers only),
whether it was a full screening or signs reported at a check-in (`source`), and who asked (`by`).
Existing screenings become `source = 'screening'`: before this revision a check-in's signs were
stored as a whole screening carried forward, so that is what they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the outcomes table and the screenings' answer columns."""
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("finding", sa.String(length=40), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_outcomes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_client_id"), ["client_id"], unique=False)
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("negatives", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(length=20), server_default="screening", nullable=False)
        )
        batch_op.add_column(sa.Column("by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Drop the outcomes table and the screenings' answer columns."""
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_column("by")
        batch_op.drop_column("source")
        batch_op.drop_column("negatives")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_client_id"))
    op.drop_table("outcomes")
