from datetime import timedelta

import pyotp
from sqlalchemy import select

from talentmatch.accounts.models import User, UserSession
from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from tests.support.factories import PASSWORD, make_user, next_code


def test_professional_logs_in_and_out(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    assert client.get("/home").status_code == 200
    cookie = client.get_cookie("tm_session")
    auth.logout()
    assert client.get("/home").status_code == 302
    # A replayed session cookie after logout is refused (server-side session deleted).
    client.set_cookie("tm_session", cookie.value)
    assert client.get("/home").status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_answer(client, ctx):
    make_user("professional", email="known@example.jp")
    a = client.post("/login", data={"email": "known@example.jp", "password": "wrong password!"})
    b = client.post("/login", data={"email": "nobody@example.jp", "password": "wrong password!"})
    assert a.status_code == b.status_code == 200
    strip = lambda r: r.get_data(as_text=True).replace("known@example.jp", "X").replace("nobody@example.jp", "X")  # noqa: E731
    assert strip(a) == strip(b)
    actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions.count("login.failed") == 2


def test_unconfirmed_professional_cannot_log_in(client, ctx):
    user = make_user("professional", confirmed=False)
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 200 and client.get("/home").status_code == 302


def test_staff_need_the_second_factor(client, ctx):
    staff = make_user("municipality", municipality_code="011002")
    r = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert r.headers["Location"].endswith("/login/mfa")
    assert client.get("/home").status_code == 302  # not logged in yet
    r = client.post("/login/mfa", data={"code": "000000"})
    assert r.status_code == 200 and client.get("/home").status_code == 302
    r = client.post("/login/mfa", data={"code": next_code(staff)})
    assert r.status_code == 302 and client.get("/home").status_code == 200


def test_a_used_code_cannot_be_replayed(app, ctx):
    staff = make_user("prefecture", prefecture_code="01")
    code = next_code(staff)
    c1, c2 = app.test_client(), app.test_client()
    for c in (c1, c2):
        c.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert c1.post("/login/mfa", data={"code": code}).status_code == 302
    assert c2.post("/login/mfa", data={"code": code}).status_code == 200  # refused
    assert c2.get("/home").status_code == 302


def test_first_login_sets_up_the_authenticator(client, ctx):
    staff = make_user("ministry")
    staff.totp_secret = None
    db.session.commit()
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    page = client.get("/login/mfa").get_data(as_text=True)
    assert "<svg" in page
    with client.session_transaction() as s:
        secret = s["mfa_setup_secret"]
    assert secret in page
    r = client.post("/login/mfa", data={"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302
    db.session.refresh(staff)
    assert staff.totp_secret == secret


def test_session_id_changes_at_each_login(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    first = {s.id for s in db.session.scalars(select(UserSession))}
    auth.logout()
    auth.login(user)
    second = {s.id for s in db.session.scalars(select(UserSession))}
    assert first and second and not (first & second)


def test_idle_and_absolute_timeouts(client, auth, ctx, app):
    user = make_user("professional")
    auth.login(user)
    sess = db.session.scalar(select(UserSession))
    sess.last_seen_at = sess.last_seen_at - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert client.get("/home").status_code == 302
    auth.login(user)
    sess = db.session.scalar(select(UserSession))
    sess.created_at = sess.created_at - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"] + 1)
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_disabling_an_account_takes_effect_on_the_next_request(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    assert client.get("/home").status_code == 200
    db.session.get(User, user.id).active = False
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_role_change_takes_effect_on_the_next_request(client, auth, ctx):
    coord = make_user("prefecture", prefecture_code="01")
    auth.login(coord)
    assert client.get("/admin/users").status_code == 200
    u = db.session.get(User, coord.id)
    u.role, u.prefecture_code, u.municipality_code = "municipality", None, "011002"
    db.session.commit()
    assert client.get("/admin/users").status_code == 403


def test_login_is_throttled_per_account(client, ctx):
    user = make_user("professional")
    codes = [client.post("/login", data={"email": user.email, "password": "not the password"}).status_code
             for _ in range(7)]
    assert codes[:5] == [200] * 5 and 429 in codes[5:]
    # Even the right password is refused while the account is throttled.
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 429


def test_login_is_throttled_per_client_across_accounts(app, ctx):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = "8 per 10 minutes"
    try:
        client = app.test_client()
        codes = [client.post("/login", data={"email": f"x{i}@example.jp", "password": "nope nope"}).status_code
                 for i in range(10)]
    finally:
        app.config["LOGIN_LIMIT_PER_CLIENT"] = "30 per 10 minutes"
    assert codes[:8] == [200] * 8 and codes[8:] == [429, 429]


def test_open_redirect_is_refused(client, ctx):
    user = make_user("professional")
    r = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/home"


def test_session_cookie_flags(client, auth, ctx):
    user = make_user("professional")
    r = auth.login(user)
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
