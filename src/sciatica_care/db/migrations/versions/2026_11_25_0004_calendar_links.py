"""calendar links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "calendar_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_calendar_links_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_calendar_links_created_by_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_links_token_hash")),
    )
    with op.batch_alter_table("calendar_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_links_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calendar_links_created_by"), ["created_by"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calendar_links_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("calendar_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_links_user_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_links_created_by"))
        batch_op.drop_index(batch_op.f("ix_calendar_links_client_id"))

    op.drop_table("calendar_links")
