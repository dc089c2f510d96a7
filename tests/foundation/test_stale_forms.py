"""A form read before a colleague's (or another tab's) save, sent afterwards, through the
pages people use, on SQLite and PostgreSQL: nothing of it is saved, the page comes back with
what was typed kept, each field the colleague changed marked with their value, and the saved
version, so that saving again after a look goes through. (Posting drafts and profiles:
test_concurrency_answers; the same at one instant against gunicorn: test_concurrency.)"""

from __future__ import annotations

import re

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.pool import services as pool
from talentmatch.pool.models import TalentPoolEntry
from talentmatch.subscriptions.models import Subscription
from tests.support.factories import login, make_user
from tests.support.matching import make_pro
from tests.support.subscriptions import saved


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _version(html: str, name: str = "version") -> str:
    return re.search(rf'name="{name}" type="hidden" value="(\d+)"', html).group(1)


def test_a_pool_entry_saved_by_a_colleague_comes_back_with_what_was_typed(ctx, app):
    coords = [make_user("prefecture", prefecture_code="01") for _ in range(2)]
    pro = make_pro("プール 四郎")
    entry = pool.add_to_pool(coords[0], "01", [pro.id], tags=["OB"], note="最初のメモ")[0]
    db.session.commit()
    a, b = app.test_client(), app.test_client()
    login(a, coords[0])
    login(b, coords[1])
    path = f"/pool/entries/{entry.id}"
    read_a, read_b = _version(_text(a.get(path)), "entry-version"), _version(_text(b.get(path)),
                                                                             "entry-version")
    assert read_a == read_b == "1"
    assert a.post(path, data={"entry-tags": "OB", "entry-note": "Aさんのメモ",
                              "entry-version": read_a}).status_code == 302
    late = b.post(path, data={"entry-tags": "OB、自治体DX", "entry-note": "Bさんのメモ",
                              "entry-version": read_b})
    assert late.status_code == 409
    page = _text(late)
    assert "Bさんのメモ" in page and "自治体DX" in page  # what B typed
    assert "他の方が保存した内容：「Aさんのメモ」" in page  # what A saved, at the field
    db.session.expire_all()
    row = db.session.get(TalentPoolEntry, entry.id)
    assert (row.note, row.tags, row.version) == ("Aさんのメモ", ["OB"], 2)
    # B has seen A's note; the form came back with the saved version: B's save now stands.
    assert _version(page, "entry-version") == "2"
    assert b.post(path, data={"entry-tags": "OB、自治体DX", "entry-note": "Bさんのメモ",
                              "entry-version": "2"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentPoolEntry, entry.id).note == "Bさんのメモ"


def test_a_saved_search_changed_in_another_tab_comes_back_with_what_was_typed(ctx, app):
    user = make_user("professional")
    sub = saved(user, q="クラウド", frequency="daily", locale="ja")
    a, b = app.test_client(), app.test_client()
    login(a, user)
    login(b, user)
    path = f"/subscriptions/{sub.id}/edit"
    read_a, read_b = _version(_text(a.get(path))), _version(_text(b.get(path)))
    assert read_a == read_b == "1"
    assert a.post(path, data={"q": "データ活用", "frequency": "daily", "locale": "ja",
                              "version": read_a}).status_code == 302
    late = b.post(path, data={"q": "セキュリティ", "frequency": "weekly", "locale": "ja",
                              "version": read_b})
    assert late.status_code == 200  # the form again, the refusal in its error summary
    page = _text(late)
    assert "セキュリティ" in page and "他の方が保存した内容：「データ活用」" in page
    db.session.expire_all()
    row = db.session.scalar(select(Subscription).where(Subscription.id == sub.id))
    assert (row.q, row.frequency, row.version) == ("データ活用", "daily", 2)
