"""A professional's saved searches are part of their data: exported, and deleted with the
account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.subscriptions.models import Subscription
from tests.support.subscriptions import guest, professional, saved

privacy = pytest.importorskip("talentmatch.professionals.privacy")


def test_export_lists_the_persons_saved_searches_only(ctx):
    x, y = professional(), professional()
    saved(x, q="セキュリティ", prefecture=["01"], frequency="weekly")
    saved(y, q="よその検索")
    data = privacy.export_data(x)
    assert [(s["q"], s["prefectures"], s["frequency"]) for s in data["subscriptions"]] == [
        ("セキュリティ", ["01"], "weekly")]


def test_account_deletion_deletes_the_saved_searches(ctx):
    x, y = professional(), professional()
    saved(x, q="セキュリティ")
    keep = saved(y)
    other = guest("visitor@example.jp")
    privacy.erase_person(x, reason="self")
    remaining = {s.id for s in db.session.scalars(select(Subscription))}
    assert remaining == {keep.id, other.id}
