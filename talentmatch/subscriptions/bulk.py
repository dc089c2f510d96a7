"""Set-based writes for fan-out and digests: many rows in one statement, idempotent.

PostgreSQL (production) and SQLite (development, tests) both speak INSERT … ON CONFLICT,
so a re-run handler or job inserts nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table

from talentmatch.extensions import db
from talentmatch.notifications import services as notifications
from talentmatch.notifications.models import PENDING, OutboxMessage

# Rows per statement: bounded memory and parameter lists on both databases.
CHUNK = 2_000


def _insert(table: Table):
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def insert_ignore(table: Table, rows: Sequence[dict], *, conflict: Sequence[str]) -> None:
    """INSERT … ON CONFLICT (conflict) DO NOTHING, in chunks, in the caller's transaction."""
    stmt = _insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    for i in range(0, len(rows), CHUNK):
        db.session.execute(stmt, list(rows[i:i + CHUNK]))


def upsert(table: Table, rows: Sequence[dict], *, conflict: Sequence[str],
           update: Sequence[str]) -> None:
    """INSERT … ON CONFLICT (conflict) DO UPDATE SET the `update` columns."""
    base = _insert(table)
    stmt = base.on_conflict_do_update(
        index_elements=list(conflict), set_={c: base.excluded[c] for c in update})
    for i in range(0, len(rows), CHUNK):
        db.session.execute(stmt, list(rows[i:i + CHUNK]))


def enqueue_messages(rows: Sequence[dict]) -> None:
    """Queue rendered mail (dicts of OutboxMessage columns), skipping any dedupe_key that is
    already queued. Uses the outbox's own bulk enqueue when it offers one."""
    if not rows:
        return
    enqueue_many = getattr(notifications, "enqueue_many", None)
    if enqueue_many is not None:
        enqueue_many(rows)
        return
    defaults = {"status": PENDING, "to_name": "", "headers": {}, "locale": "ja"}
    insert_ignore(OutboxMessage.__table__, [{**defaults, **r} for r in rows],
                  conflict=["dedupe_key"])
