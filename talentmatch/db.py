"""Declarative base with a constraint naming convention, a timestamp mixin, and
``transaction()``: the one way a use case commits its work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC; always returns aware datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class TransactionRolledBack(RuntimeError):
    """An inner use case failed and rolled back; the outer one went on as if it had not."""


_DEPTH = "talentmatch.transaction_depth"
_FAILED = "talentmatch.transaction_failed"


@contextmanager
def transaction() -> Iterator[None]:
    """One use case, one transaction: commit when the block ends, roll back on any error.

    Use cases call each other (declining an imported listing erases the person; the outbox
    worker runs a domain's handler). A block inside another joins it: only the outermost block commits, so an outer
    use case is never half committed by an inner one. An error in an inner block rolls the
    whole transaction back at once; if the outer block then carries on and ends normally, it
    commits nothing and raises ``TransactionRolledBack`` instead of saving half a use case.
    """
    # The app's Flask-SQLAlchemy session (talentmatch.extensions.db.session), found through
    # the app so that this module, which extensions imports for Base, imports nothing back.
    session = current_app.extensions["sqlalchemy"].session
    info = session.info
    depth = info.get(_DEPTH, 0)
    if depth == 0:
        info[_FAILED] = False
    info[_DEPTH] = depth + 1
    try:
        yield
    except BaseException:
        info[_FAILED] = True
        session.rollback()
        raise
    finally:
        info[_DEPTH] = depth
    if depth == 0:
        if info.get(_FAILED):
            session.rollback()
            raise TransactionRolledBack("an inner use case failed; nothing was committed")
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
