from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from talentmatch.accounts.models import Invitation, OneTimeToken, User, UserSession
from talentmatch.db import utcnow
from talentmatch.extensions import db
from tests.support.factories import PASSWORD, login, make_user
from tests.support.mail import body, links, mailbox

NEW_PW = "新しいパスフレーズ です 2026"


def _path(url: str) -> str:
    return urlsplit(url).path


def test_registration_needs_consent_and_saves_nothing_without_it(client, ctx):
    r = client.post("/register", data={"display_name": "山田 花子", "email": "hanako@example.jp",
                                       "password": "とても長い日本語のパスフレーズ"})
    assert r.status_code == 200
    assert "purposes of use" in r.get_data(as_text=True) or "利用目的" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_registration_refuses_weak_passwords_naming_the_field(client, ctx):
    r = client.post("/register", data={"display_name": "A", "email": "a@example.jp", "password": "password",
                                       "consent": "y"})
    page = r.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_register_confirm_and_log_in(app, client, auth, ctx):
    r = client.post("/register", data={"display_name": "山田 花子", "email": "Hanako@Example.jp",
                                       "password": "とても長い日本語のパスフレーズ", "consent": "y"})
    assert r.status_code == 200
    user = db.session.scalar(select(User))
    assert user.email == "hanako@example.jp" and user.consent_version and user.consent_at
    assert user.email_confirmed_at is None
    [msg] = mailbox(app)
    assert msg["To"].addresses[0].addr_spec == "hanako@example.jp"
    [link] = links(msg, "/confirm/")
    assert client.get(_path(link)).status_code == 200  # GET only shows a button
    db.session.refresh(user)
    assert user.email_confirmed_at is None
    assert client.post(_path(link)).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert client.post(_path(link)).status_code == 400  # single use
    auth.login(user, "とても長い日本語のパスフレーズ")


def test_registering_an_existing_address_reveals_nothing(app, client, ctx):
    make_user("professional", email="taken@example.jp")
    r = client.post("/register", data={"display_name": "X", "email": "taken@example.jp",
                                       "password": "another long passphrase", "consent": "y"})
    assert r.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    [msg] = mailbox(app)
    assert "already" in body(msg) or "既に" in body(msg)


def test_password_reset_is_single_use_and_ends_every_session(app, ctx):
    user = make_user("professional")
    other_device = app.test_client()
    login(other_device, user)
    client = app.test_client()
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    assert client.post("/password/forgot", data={"email": "nobody@example.jp"}).status_code == 200
    [msg] = mailbox(app)
    [link] = links(msg, "/password/reset/")
    assert client.post(_path(link), data={"password": NEW_PW}).status_code == 302
    assert other_device.get("/home").status_code == 302  # every session ended
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert client.post(_path(link), data={"password": "yet another passphrase"}).status_code == 400
    login(client, user, NEW_PW)


def test_password_reset_link_expires(app, client, ctx):
    user = make_user("professional")
    client.post("/password/forgot", data={"email": user.email})
    [msg] = mailbox(app)
    [link] = links(msg, "/password/reset/")
    token = db.session.scalar(select(OneTimeToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(_path(link)).status_code == 400
    assert client.post(_path(link), data={"password": NEW_PW}).status_code == 400


def test_forged_reset_link_is_refused(client, ctx):
    assert client.get("/password/reset/not-a-real-token").status_code == 400


def test_ministry_invites_a_coordinator_who_joins_once(app, ctx):
    admin = make_user("ministry")
    c = app.test_client()
    login(c, admin)
    r = c.post("/admin/invitations/new", data={"email": "coord@pref.example.jp", "role": "prefecture",
                                               "prefecture_code": "04", "locale": "ja"})
    assert r.status_code == 302
    [msg] = mailbox(app)
    [link] = links(msg, "/invitations/")
    guest = app.test_client()
    assert guest.get(_path(link)).status_code == 200
    r = guest.post(_path(link), data={"display_name": "宮城 調整担当", "password": "coordinator passphrase"})
    assert r.status_code == 302
    coord = db.session.scalar(select(User).where(User.email == "coord@pref.example.jp"))
    assert coord.role == "prefecture" and coord.prefecture_code == "04" and coord.municipality_code is None
    # single use
    assert guest.get(_path(link)).status_code == 400


def test_invitation_expires(app, ctx):
    admin = make_user("ministry")
    c = app.test_client()
    login(c, admin)
    c.post("/admin/invitations/new", data={"email": "late@pref.example.jp", "role": "prefecture",
                                           "prefecture_code": "04", "locale": "ja"})
    [msg] = mailbox(app)
    [link] = links(msg, "/invitations/")
    inv = db.session.scalar(select(Invitation))
    inv.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(_path(link)).status_code == 400


def test_coordinator_invites_staff_only_in_their_own_prefecture(app, ctx):
    coord = make_user("prefecture", prefecture_code="01")
    c = app.test_client()
    login(c, coord)
    ok = c.post("/admin/invitations/new", data={"email": "staff@sapporo.example.jp", "role": "municipality",
                                                "municipality_code": "011002", "locale": "ja"})
    assert ok.status_code == 302
    other = c.post("/admin/invitations/new", data={"email": "staff@sendai.example.jp", "role": "municipality",
                                                   "municipality_code": "041009", "locale": "ja"})
    assert other.status_code in (200, 403)
    # Mass assignment: a coordinator cannot invite a coordinator or ministry staff.
    c.post("/admin/invitations/new", data={"email": "boss@example.jp", "role": "ministry", "locale": "ja"})
    emails = set(db.session.scalars(select(Invitation.email)))
    assert emails == {"staff@sapporo.example.jp"}


def test_municipality_staff_and_professionals_cannot_invite(app, ctx):
    for user in (make_user("municipality", municipality_code="011002"), make_user("professional")):
        c = app.test_client()
        login(c, user)
        assert c.get("/admin/invitations/new").status_code == 403
        assert c.post("/admin/invitations/new", data={"email": "x@example.jp", "role": "municipality",
                                                      "municipality_code": "011002"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_coordinator_disables_only_own_prefecture_staff(app, ctx):
    coord = make_user("prefecture", prefecture_code="01")
    mine = make_user("municipality", municipality_code="011002")
    theirs = make_user("municipality", municipality_code="041009")
    c = app.test_client()
    login(c, coord)
    page = c.get("/admin/users").get_data(as_text=True)
    assert mine.email in page and theirs.email not in page
    assert c.post(f"/admin/users/{theirs.id}/disable").status_code == 403
    assert c.post(f"/admin/users/{mine.id}/disable").status_code == 302
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.active is False and theirs.active is True


def test_change_password_logs_out_everywhere(app, ctx):
    user = make_user("professional")
    a, b = app.test_client(), app.test_client()
    login(a, user)
    login(b, user)
    r = a.post("/account", data={"pw-current_password": PASSWORD, "pw-new_password": NEW_PW})
    assert r.status_code == 302
    assert a.get("/home").status_code == 302 and b.get("/home").status_code == 302
    login(a, user, NEW_PW)


def test_create_admin_command(runner, ctx):
    r = runner.invoke(args=["users", "create-admin", "--email", "root@mic.example.jp", "--name", "MIC"],
                      input="admin passphrase 2026\nadmin passphrase 2026\n")
    assert r.exit_code == 0, r.output
    assert db.session.scalar(select(User).where(User.email == "root@mic.example.jp")).role == "ministry"
    r = runner.invoke(args=["users", "create-admin", "--email", "weak@mic.example.jp"], input="password\npassword\n")
    assert r.exit_code == 2


def test_otp_command_prints_the_current_code(runner, ctx):
    import pyotp

    staff = make_user("prefecture", prefecture_code="01")
    r = runner.invoke(args=["users", "otp", staff.email])
    assert r.exit_code == 0 and pyotp.TOTP(staff.totp_secret).verify(r.output.strip(), valid_window=1)


def test_no_accounts_exist_after_migrations(ctx):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
