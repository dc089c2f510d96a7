"""db.transaction(): the one way a use case commits (DESIGN.md §9: services own their
transactions). Checked against the real database, through a second connection that sees only
what was committed."""

import pytest
from sqlalchemy import func, select

from talentmatch.audit.models import AuditEvent
from talentmatch.audit.services import record
from talentmatch.db import TransactionRolledBack, transaction
from talentmatch.extensions import db


def committed(action: str) -> int:
    """Rows of ``action`` that another connection sees (only committed ones)."""
    with db.engine.connect() as conn:
        return conn.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_a_block_commits_when_it_ends_and_rolls_back_on_an_error(ctx):
    with transaction():
        record("tx.kept")
    assert committed("tx.kept") == 1

    with pytest.raises(ValueError), transaction():
        record("tx.dropped")
        db.session.flush()
        raise ValueError("bad input")
    assert committed("tx.dropped") == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "tx.dropped")) == 0


def test_an_inner_block_joins_the_outer_one(ctx):
    with transaction():
        record("tx.outer")
        with transaction():
            record("tx.inner")
        db.session.flush()
        # The inner block ended, but only the outermost commits.
        assert committed("tx.outer") == 0
        assert committed("tx.inner") == 0
    assert committed("tx.outer") == 1
    assert committed("tx.inner") == 1


def test_an_error_inside_rolls_back_the_whole_use_case(ctx):
    with pytest.raises(KeyError), transaction():
        record("tx.before")
        with transaction():
            record("tx.failing")
            raise KeyError("inner")
    assert committed("tx.before") == 0
    assert committed("tx.failing") == 0


def test_an_outer_block_that_swallows_an_inner_error_commits_nothing(ctx):
    with pytest.raises(TransactionRolledBack), transaction():
        record("tx.half")
        try:
            with transaction():
                record("tx.inner_failed")
                raise RuntimeError("inner")
        except RuntimeError:
            pass
        record("tx.after")
    for action in ("tx.half", "tx.inner_failed", "tx.after"):
        assert committed(action) == 0
    # The next use case starts afresh.
    with transaction():
        record("tx.next")
    assert committed("tx.next") == 1


def test_returning_from_inside_a_block_still_commits(ctx):
    def use_case() -> str:
        with transaction():
            record("tx.returned")
            return "done"

    assert use_case() == "done"
    assert committed("tx.returned") == 1
