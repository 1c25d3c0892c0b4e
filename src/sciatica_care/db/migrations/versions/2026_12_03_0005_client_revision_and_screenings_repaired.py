"""client revision; screenings whose findings multiplied are repaired; over-long texts cut

Every write to a client's records now bumps `clients.revision` in its own transaction, which the
plan cache keys on (issue 17, section 1).

Check-ins that reported a sign copied every finding of every screening of the latest day into the
new screening, so the list doubled with each one (issue 17, section 2). Each such row keeps every
distinct finding once, its regions merged in order and its distinct notes kept; each repair is
audited (ids and counts only).

Free text now has length limits (issue 17, section 2); a stored text over its limit would make the
client's records unplannable, so it is cut to the limit, and each cut is audited.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from sciatica_care.clock import Clock

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0005"
REASON = "repeated findings merged: each finding once, its regions merged"
SHORTENED = "free text cut to its new length limit; the whole text is kept in kept_texts"
FINDING_NOTE = 2_000
# The free-text columns a history@1 document carries, and their limits (domain.history).
TEXT_LIMITS = {
    "clients": {"sex": 40},
    "screenings": {"note": 10_000},
    "clearances": {"by": 200, "note": 10_000},
    "assessments": {"note": 10_000},
    "session_notes": {"note": 10_000},
    "diary_entries": {"note": 10_000},
}

screenings = sa.table(
    "screenings",
    sa.column("id", sa.Integer()),
    sa.column("client_id", sa.Integer()),
    sa.column("findings", sa.JSON()),
)
clients = sa.table("clients", sa.column("id", sa.Integer()), sa.column("revision", sa.Integer()))
kept_texts = sa.table(
    "kept_texts",
    sa.column("client_id", sa.Integer()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("field", sa.String()),
    sa.column("text", sa.Text()),
    sa.column("kept_at", sa.DateTime(timezone=True)),
)
audit_log = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("client_id", sa.Integer()),
    sa.column("changes", sa.JSON()),
    sa.column("reason", sa.Text()),
)


def merged(findings: list[Any]) -> list[Any]:
    """The findings with each code once: regions merged in order, distinct notes kept."""
    regions: dict[str, dict[str, None]] = {}
    notes: dict[str, dict[str, None]] = {}
    for finding in findings:
        given = {"code": finding} if isinstance(finding, str) else finding
        code = given["code"]
        regions.setdefault(code, {}).update(dict.fromkeys(given.get("regions", [])))
        notes.setdefault(code, {}).update(
            dict.fromkeys([given["note"]] if given.get("note") else [])
        )
    out: list[Any] = []
    for code, found in regions.items():
        one: dict[str, Any] = {"code": code}
        if found:
            one["regions"] = list(found)
        if notes[code]:
            one["note"] = "\n".join(notes[code])[:FINDING_NOTE]
        out.append(code if len(one) == 1 else one)
    return out


def _screening_ids(connection: sa.Connection) -> Iterator[int]:
    """Every screening id (read first, so a huge row is only ever loaded alone)."""
    yield from connection.scalars(sa.select(screenings.c.id).order_by(screenings.c.id)).all()


def repair_screenings(connection: sa.Connection, now: datetime) -> int:
    """Merges the repeated findings of every screening, one row at a time; returns how many."""
    repaired = 0
    for screening_id in _screening_ids(connection):
        row = connection.execute(
            sa.select(screenings.c.client_id, screenings.c.findings).where(
                screenings.c.id == screening_id
            )
        ).one()
        findings = row.findings or []
        fixed = merged(findings)
        if fixed == findings:
            continue
        connection.execute(
            screenings.update().where(screenings.c.id == screening_id).values(findings=fixed)
        )
        changes = {"findings": {"before": len(findings), "after": len(fixed)}}
        _audited(connection, now, "repair", "screenings", screening_id, row.client_id, changes)
        repaired += 1
    return repaired


def shorten_texts(connection: sa.Connection, now: datetime) -> int:
    """Cuts every stored text longer than its new limit to that limit; returns how many."""
    shortened = 0
    for name, limits in TEXT_LIMITS.items():
        for column, limit in limits.items():
            owner = "id" if name == "clients" else "client_id"
            table = sa.table(name, sa.column("id"), sa.column(owner), sa.column(column))
            length = sa.func.length(table.c[column])
            long = sa.select(table.c.id, table.c[owner], length).where(length > limit)
            for row_id, client_id, before in connection.execute(long).all():
                whole = sa.select(table.c[column]).where(table.c.id == row_id).scalar_subquery()
                kept = {"client_id": client_id, "entity": name, "entity_id": row_id}
                connection.execute(
                    kept_texts.insert().values(**kept, field=column, text=whole, kept_at=now)
                )
                cut = sa.func.substr(table.c[column], 1, limit)
                connection.execute(table.update().where(table.c.id == row_id).values({column: cut}))
                changes = {column: {"before": before, "after": limit}}
                _audited(connection, now, "shorten", name, row_id, client_id, changes)
                shortened += 1
    return shortened


def _audited(
    connection: sa.Connection,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int,
    client_id: int,
    changes: dict[str, Any],
) -> None:
    """An audit entry for a row changed here (ids and counts only); the client's revision moves."""
    connection.execute(
        clients.update().where(clients.c.id == client_id).values(revision=clients.c.revision + 1)
    )
    connection.execute(
        audit_log.insert().values(
            at=now,
            actor=ACTOR,
            action=action,
            entity=entity,
            entity_id=entity_id,
            client_id=client_id,
            changes=changes,
            reason=REASON if action == "repair" else SHORTENED,
        )
    )


def _create_kept_texts() -> None:
    op.create_table(
        "kept_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_kept_texts_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_texts")),
    )
    with op.batch_alter_table("kept_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_texts_client_id"), ["client_id"], unique=False)


def upgrade() -> None:
    """Add the revision counter, repair the multiplied screenings, cut over-long texts (kept)."""
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    _create_kept_texts()
    now = Clock().now()
    repair_screenings(op.get_bind(), now)
    shorten_texts(op.get_bind(), now)


def downgrade() -> None:
    """Drop the revision counter and the kept texts (the repaired rows stay repaired)."""
    with op.batch_alter_table("kept_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_texts_client_id"))
    op.drop_table("kept_texts")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("revision")
