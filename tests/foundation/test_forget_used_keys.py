"""`flask db forget-used-keys`: the daily job drops one-time form keys used more than a month
ago (no open page can send them back by then) and keeps the recent ones, so a form sent twice
today is still recorded once."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.submissions.models import SubmissionKey
from tests.support.factories import make_user


def _keys() -> set[str]:
    return set(db.session.scalars(select(SubmissionKey.key)))


def test_old_keys_are_forgotten_and_recent_ones_kept(ctx, runner):
    user = make_user("municipality", municipality_code="011002")
    now = utcnow()
    for key, age in (("a" * 20, 31), ("b" * 20, 29), ("c" * 20, 0)):
        db.session.add(SubmissionKey(key=key, user_id=user.id, used_at=now - timedelta(days=age)))
    db.session.commit()

    out = runner.invoke(args=["db", "forget-used-keys"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"forgotten": 1, "days": 30}
    db.session.expire_all()
    assert _keys() == {"b" * 20, "c" * 20}

    out = runner.invoke(args=["db", "forget-used-keys", "--days", "7"])
    assert json.loads(out.output) == {"forgotten": 1, "days": 7}
    db.session.expire_all()
    assert _keys() == {"c" * 20}


def test_a_nonsense_number_of_days_is_refused_by_name(ctx, runner):
    out = runner.invoke(args=["db", "forget-used-keys", "--days", "0"])
    assert out.exit_code == 2 and "--days" in out.output
