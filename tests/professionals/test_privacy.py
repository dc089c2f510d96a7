"""Download my data and delete my account (SECURITY.md 20)."""

from __future__ import annotations

import json

from sqlalchemy import JSON, String, Text, select

from talentmatch import signals
from talentmatch.accounts.models import User
from talentmatch.audit.models import AuditEvent
from talentmatch.audit.services import record
from talentmatch.extensions import db
from talentmatch.notifications.models import DROPPED, SENT, OutboxMessage
from talentmatch.notifications.services import enqueue_mail
from talentmatch.professionals import services
from tests.support.factories import PASSWORD, login, make_user
from tests.support.professionals import make_professional

NAME = "削除 太郎テスト"
EMAIL = "delete.me.taro@example.jp"


def _tables_holding(*needles: str) -> list[str]:
    """Every text or JSON column of every table, searched for the strings."""
    found = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not cols:
                continue
            for row in conn.execute(select(*cols)):
                for col, value in zip(cols, row, strict=True):
                    text = (
                        json.dumps(value, ensure_ascii=False)
                        if not isinstance(value, str)
                        else value
                    )
                    if any(n in (text or "") for n in needles):
                        found.append(f"{table.name}.{col.name}")
    return found


def _person_with_history(app, client):
    prof = make_professional(name=NAME, email=EMAIL, headline="自治体DXの支援")
    user = db.session.get(User, prof.user_id)
    login(client, user)
    # Mail already sent and mail still waiting, both naming the person.
    sent = enqueue_mail(
        to_email=EMAIL,
        to_name=NAME,
        template="confirm_email",
        locale="ja",
        link="http://x/",
        hours=1,
    )
    sent.status = SENT
    enqueue_mail(
        to_email=EMAIL,
        to_name=NAME,
        template="confirm_email",
        locale="ja",
        link="http://x/",
        hours=1,
    )
    # Audit rows written carelessly with personal data in the detail.
    record(
        "test.note",
        actor=user,
        object_type="user",
        object_id=user.id,
        detail={"email": EMAIL, "name": NAME},
    )
    db.session.commit()
    return prof, user


def test_download_contains_everything_about_the_person_and_nothing_of_others(app, client, ctx):
    other = make_professional(
        name="他人 花子", email="other.person@example.jp", headline="他人のヘッドライン"
    )
    prof, user = _person_with_history(app, client)
    staff = make_user("municipality", municipality_code="131130")
    services.view_profile(staff, prof.id)
    r = client.post("/profile/export")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    assert data["account"]["email"] == EMAIL and data["account"]["display_name"] == NAME
    assert data["account"]["consent_version"] is None or isinstance(
        data["account"]["consent_version"], str
    )
    assert "password_hash" not in json.dumps(data) and "totp" not in json.dumps(data)
    assert data["profile"]["headline"] == "自治体DXの支援"
    assert data["profile"]["skills"] == ["information_security"]
    assert data["profile"]["skill_labels"][0]["en"] == "Information security"
    assert len(data["sessions"]) == 1
    assert {m["status"] for m in data["mail"]} == {"pending", "sent"}
    actions = [a["action"] for a in data["activity"]]
    assert "login.success" in actions and "profile.viewed" in actions
    viewed = next(a for a in data["activity"] if a["action"] == "profile.viewed")
    assert "client_ip" not in viewed and "detail" not in viewed  # the staff member's data is theirs
    text = json.dumps(data, ensure_ascii=False)
    assert "other.person@example.jp" not in text and "他人" not in text and staff.email not in text
    assert other.id != prof.id


def test_other_domains_contribute_to_export_and_deletion(app, client, ctx):
    prof, user = _person_with_history(app, client)
    calls = []

    def delete_step(u):
        calls.append(u.id)

    def export_step(u):
        return "test_section", {"user": u.id, "things": [1, 2]}

    signals.personal_data_export.connect(export_step)
    signals.personal_data_deletion.connect(delete_step)
    try:
        data = json.loads(client.post("/profile/export").get_data(as_text=True))
        assert data["test_section"] == {"user": user.id, "things": [1, 2]}
        uid = user.id
        assert client.post("/profile/delete", data={"password": PASSWORD}).status_code == 302
        assert calls == [uid]
    finally:
        signals.personal_data_export.disconnect(export_step)
        signals.personal_data_deletion.disconnect(delete_step)


def test_deletion_leaves_no_name_or_email_anywhere(app, client, ctx):
    prof, user = _person_with_history(app, client)
    uid = user.id
    # Mail to someone else that names the person (e.g. a municipality told of an application).
    enqueue_mail(
        to_email="staff@city.example.jp",
        template="confirm_email",
        locale="ja",
        link=f"http://x/{NAME}",
        hours=1,
    )
    db.session.commit()
    to_person = {
        m.id: m.status
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == EMAIL))
    }
    assert sorted(to_person.values()) == ["pending", "sent"]
    assert _tables_holding(EMAIL, NAME)  # the scan finds them before deletion
    r = client.post("/profile/delete", data={"password": PASSWORD})
    assert r.status_code == 302
    db.session.expire_all()
    assert _tables_holding(EMAIL, NAME) == []
    assert db.session.get(User, uid) is None
    assert services.find_profile(user) is None
    # Pending mail is dropped; nothing is left to send to the address.
    after = {i: db.session.get(OutboxMessage, i) for i in to_person}
    assert sorted(m.status for m in after.values()) == sorted([DROPPED, SENT])
    assert all(m.text_body == "" and m.subject == "" for m in after.values())
    # Audit rows remain under the pseudonym only.
    rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == uid)))
    assert rows and {r.actor_label for r in rows} == {f"user#{uid}"}
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
        is not None
    )
    # The session is over.
    assert client.get("/profile").status_code == 302


def test_deletion_needs_the_password_and_changes_nothing_without_it(app, client, ctx):
    prof, user = _person_with_history(app, client)
    page = client.get("/profile/delete").get_data(as_text=True)
    assert 'name="password"' in page
    r = client.post("/profile/delete", data={"password": "wrong password here"})
    assert r.status_code == 200 and 'id="password-error"' in r.get_data(as_text=True)
    assert db.session.get(User, user.id) is not None
    assert services.find_profile(user) is not None
    assert client.get("/profile/delete").status_code == 200  # still logged in


def test_export_and_delete_refuse_get_and_other_roles(app, client, auth, ctx):
    auth.login(make_user("professional"))
    assert client.get("/profile/export").status_code == 405
    client2 = app.test_client()
    login(client2, make_user("prefecture", prefecture_code="13"))
    assert client2.post("/profile/delete", data={"password": PASSWORD}).status_code == 403


def test_deletion_and_export_refuse_a_missing_csrf_token(app, client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/profile/delete", data={"password": PASSWORD}).status_code == 400
        assert client.post("/profile/export").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(User, user.id) is not None
