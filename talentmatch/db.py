"""Declarative base with a constraint naming convention, a timestamp mixin, and
``transaction()``: the one way a use case commits its work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from flask import current_app
from sqlalchemy import DateTime, Integer, MetaData
from sqlalchemy.exc import DBAPIError, IntegrityError
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


class VersionedMixin:
    """An editable record: ``version`` counts the saves of what people edit in a form.

    The form carries the version it was read at (a hidden field); a service saving it calls
    ``check_version`` under the row's lock and ``bump`` when it saves, so a save from a form
    read before someone else's save is refused instead of silently undoing theirs. Changes
    nobody types (a state change, a digest sent) leave the version alone."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)


class StaleEdit(Exception):
    """The record was saved by someone else after the form was read; nothing was saved."""

    def __init__(self, record: object) -> None:
        super().__init__(f"stale edit of {type(record).__name__}")
        self.record = record
        self.version = getattr(record, "version", None)
        self.updated_at = getattr(record, "updated_at", None)


def parse_version(value: object) -> int | None:
    """The version a form was read at; None when the request carries none (API, CLI)."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def check_version(record: object, submitted: object) -> None:
    """Refuse (StaleEdit) a save from a form read at another version than the record's."""
    version = parse_version(submitted)
    if version is not None and version != record.version:  # type: ignore[attr-defined]
        raise StaleEdit(record)


def bump(record: object) -> None:
    record.version = (record.version or 0) + 1  # type: ignore[attr-defined]


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


# --------------------------------------------------------------------------- concurrency

M = TypeVar("M")


def _session():
    return current_app.extensions["sqlalchemy"].session


def lock(model: type[M], ident: object) -> M | None:
    """Lock one row (SELECT … FOR UPDATE of that table only), then read everything afresh.

    Call it first in a use case's transaction, before reading the state the use case checks:
    everything the session read earlier in the request (a view's look at the posting, its
    revisions, an application's events) is forgotten, so the checks that follow see what the
    request that held the lock before committed. Concurrent moves on one row run one at a
    time and the second sees the first's result, exactly as a sequential repeat would.
    (SQLite has no row locks: its single writer serialises the transactions instead.)
    """
    session = _session()
    session.flush()
    session.expire_all()
    return session.get(model, ident, with_for_update={"of": model}, populate_existing=True)


_UNIQUE_SQLSTATE = "23505"
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def is_unique_violation(exc: BaseException) -> bool:
    """Whether a database error is a unique constraint refusing a second equal row."""
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _UNIQUE_SQLSTATE:
        return True
    return "UNIQUE constraint failed" in str(orig)


def is_concurrency_conflict(exc: BaseException) -> bool:
    """A unique race, a deadlock or a serialization failure: the request lost a race and
    can simply be repeated (it is never the user's input that is wrong)."""
    if is_unique_violation(exc):
        return True
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES


@contextmanager
def unique_or(refusal: Callable[[], Exception]) -> Iterator[None]:
    """Add rows inside the block; if a unique constraint refuses them because a concurrent
    request added the same row first, raise ``refusal()`` (the answer a sequential repeat
    gets) instead of a database error. The enclosing ``transaction()`` then rolls back."""
    session = _session()
    try:
        yield
        session.flush()
    except IntegrityError as exc:
        if is_unique_violation(exc):
            raise refusal() from exc
        raise
