"""The outbox page: ministry only; counts, reasons, and an audited, CSRF-protected retry."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from tests.support.factories import make_user
from tests.support.outbox import message, queue


def _dead(ids: list[int], reason: str = "rejected: HTTP 400 The from address does not match a verified Sender Identity.") -> None:
    for mid in ids:
        m = message(mid)
        m.status, m.attempts, m.last_error = "dead", 1, reason
        db.session.commit()


@pytest.mark.parametrize("role,where", [
    ("professional", {}), ("municipality", {"municipality_code": "131016"}),
    ("prefecture", {"prefecture_code": "13"}),
])
def test_only_the_ministry_sees_the_outbox(ctx, client, auth, role, where):
    assert client.get("/admin/outbox").status_code == 302  # anonymous: to the login page
    [mid] = queue(1)
    _dead([mid])
    auth.login(make_user(role, **where))
    assert client.get("/admin/outbox").status_code == 403
    assert client.post(f"/admin/outbox/messages/{mid}/retry").status_code == 403
    assert client.post("/admin/outbox/retry-dead").status_code == 403
    assert message(mid).status == "dead"


def test_the_ministry_sees_counts_and_reasons(ctx, client, auth):
    ids = queue(4)
    _dead(ids[:1])
    m = message(ids[1])
    m.status, m.attempts, m.last_error = "failed", 3, "server_error: HTTP 503 <script>alert(1)</script>"
    db.session.commit()
    auth.login(make_user("ministry"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "does not match a verified Sender Identity" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert re.search(r"<dt>[^<]+</dt><dd>2</dd>", page)  # two pending
    assert f'/admin/outbox/messages/{ids[0]}/retry' in page
    assert f'/admin/outbox/messages/{ids[1]}/retry' not in page  # failed mail retries by itself


def test_retrying_a_dead_message_is_audited(ctx, client, auth):
    ids = queue(2)
    _dead(ids)
    admin = make_user("ministry")
    auth.login(admin)
    resp = client.post(f"/admin/outbox/messages/{ids[0]}/retry")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/outbox")
    m = message(ids[0])
    assert (m.status, m.attempts) == ("pending", 0)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.retry"))
    assert audit.actor_id == admin.id and audit.object_id == str(ids[0])
    # Not dead (any more): refused with a message, nothing changes; unknown id: 404.
    page = client.post(f"/admin/outbox/messages/{ids[0]}/retry", follow_redirects=True).get_data(as_text=True)
    assert message(ids[0]).status == "pending"
    assert client.post("/admin/outbox/messages/999999/retry").status_code == 404
    assert page.count('class="notice error"') == 1
    # Retry everything that is dead.
    client.post("/admin/outbox/retry-dead")
    assert message(ids[1]).status == "pending"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.retry_all")).detail == {"count": 1}


def test_retry_needs_the_csrf_token(app, ctx, client, auth):
    [mid] = queue(1)
    _dead([mid])
    auth.login(make_user("ministry"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/admin/outbox/messages/{mid}/retry").status_code == 400
        assert client.post("/admin/outbox/retry-dead").status_code == 400
        assert message(mid).status == "dead"
        page = client.get("/admin/outbox").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        resp = client.post(f"/admin/outbox/messages/{mid}/retry", data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert resp.status_code == 302
    assert message(mid).status == "pending"
