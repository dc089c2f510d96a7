"""The outbox: written with the change or not at all, unique per key, dropped for deleted people,
idempotent event expansion, leases, and the file and console backends."""

from __future__ import annotations

import email
import io
from datetime import timedelta
from email import policy as email_policy
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from talentmatch import signals
from talentmatch.accounts.models import User
from talentmatch.accounts.services import register_professional
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications import claims, events
from talentmatch.notifications.backends import ConsoleBackend, FileBackend
from talentmatch.notifications.models import OutboxEvent, OutboxMessage
from talentmatch.notifications.services import drop_pending_for, enqueue_mail, enqueue_many
from talentmatch.notifications.worker import run_once
from tests.support.factories import make_user
from tests.support.outbox import SENDER, fast_policy, message, queue, rows, states


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- atomicity (SECURITY.md 21) -----------------------------------------------------------------

def test_an_error_after_the_change_leaves_neither_change_nor_outbox_rows(ctx):
    user = make_user("professional", name="元の名前")
    try:
        user.display_name = "変更後の名前"
        enqueue_mail(to_email=user.email, template="already_registered", login_url="x", reset_url="y")
        events.emit("profile.renamed", {"user_id": user.id})
        db.session.flush()  # the rows reached the database inside the transaction
        assert _count(OutboxMessage) == 1 and _count(OutboxEvent) == 1
        raise RuntimeError("the use case fails after its state change")
    except RuntimeError:
        db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "元の名前"
    assert _count(OutboxMessage) == 0 and _count(OutboxEvent) == 0


def test_a_real_service_failing_at_commit_writes_no_account_and_no_mail(app):
    def crash(session):
        raise RuntimeError("database went away at commit")

    with app.test_request_context():
        sa_event.listen(db.session, "before_commit", crash)
        try:
            with pytest.raises(RuntimeError):
                register_professional(email="new@example.jp", password="a long enough passphrase 2026",
                                      display_name="新規 登録", consent=True)
        finally:
            sa_event.remove(db.session, "before_commit", crash)
        db.session.rollback()
        assert db.session.scalar(select(User).where(User.email == "new@example.jp")) is None
        assert _count(OutboxMessage) == 0
        # The same call without the failure writes both, in one transaction.
        register_professional(email="new@example.jp", password="a long enough passphrase 2026",
                              display_name="新規 登録", consent=True)
        assert _count(User) == 1 and _count(OutboxMessage) == 1
        db.session.remove()


# --- dedupe key ---------------------------------------------------------------------------------

def test_the_dedupe_key_is_unique(ctx):
    enqueue_mail(to_email="a@example.jp", template="already_registered", dedupe_key="sub:1:rev:2:ev:3",
                 login_url="x", reset_url="y")
    db.session.commit()
    enqueue_mail(to_email="a@example.jp", template="already_registered", dedupe_key="sub:1:rev:2:ev:3",
                 login_url="x", reset_url="y")
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _count(OutboxMessage) == 1


def test_enqueue_many_skips_repeats_and_inserts_in_bulk(ctx):
    assert enqueue_many(rows(20_000)) == 20_000
    db.session.commit()
    # A fan-out run again after a crash (half the rows again, plus new ones) adds only the new ones.
    assert enqueue_many(rows(10_000, start=15_000)) == 5_000
    db.session.commit()
    assert _count(OutboxMessage) == 25_000
    assert db.session.scalar(select(func.count(func.distinct(OutboxMessage.dedupe_key)))) == 25_000


def test_enqueue_many_refuses_unknown_columns_and_strips_crlf(ctx):
    with pytest.raises(ValueError, match="status"):
        enqueue_many([rows(1)[0] | {"status": "sent"}])
    row = rows(1)[0] | {"subject": "件名\r\nBcc: evil@example.com", "to_name": "名前\nX: y"}
    enqueue_many([row])
    db.session.commit()
    saved = db.session.scalar(select(OutboxMessage))
    assert "\n" not in saved.subject and "\r" not in saved.subject and "\n" not in saved.to_name


def test_event_expansion_rerun_after_a_crash_does_not_duplicate(ctx):
    calls = {"n": 0}

    def fan_out(kind, event):
        calls["n"] += 1
        batch = rows(300, prefix=f"ev{event.id}-")
        enqueue_many(batch[:200])
        if calls["n"] == 1:
            db.session.commit()  # a long fan-out commits as it goes …
            raise RuntimeError("worker crashed half way")  # … and dies
        enqueue_many(batch)

    signals.outbox_event.connect(fan_out, sender="test.fanout")
    try:
        events.emit("test.fanout", {"posting_revision": 7})
        db.session.commit()
        first = run_once(ConsoleBackend(SENDER, stream=io.StringIO()), policy=fast_policy())
        assert first["events_failed"] == 1
        failed = db.session.scalar(select(OutboxEvent))
        assert failed.status == "pending" and failed.attempts == 1 and "worker crashed" in failed.last_error
        db.session.execute(OutboxEvent.__table__.update().values(lease_until=utcnow()))
        db.session.commit()
        backend = ConsoleBackend(SENDER, stream=io.StringIO())
        second = run_once(backend, policy=fast_policy())
        assert second["events"] == 1
    finally:
        signals.outbox_event.disconnect(fan_out)
    db.session.expire_all()
    assert db.session.scalar(select(OutboxEvent)).status == "done"
    assert _count(OutboxMessage) == 300
    assert states() == {"sent": 300}


def test_an_event_without_a_handler_is_kept_and_finally_dead_letters(ctx):
    events.emit("nobody.listens", {})
    db.session.commit()
    policy = fast_policy(max_attempts=2)
    run_once(ConsoleBackend(SENDER, stream=io.StringIO()), policy=policy)
    ev = db.session.scalar(select(OutboxEvent))
    db.session.refresh(ev)
    assert (ev.status, ev.attempts) == ("pending", 1)
    assert ev.last_error.startswith("no_handler:")
    db.session.execute(OutboxEvent.__table__.update().values(lease_until=utcnow()))
    db.session.commit()
    run_once(ConsoleBackend(SENDER, stream=io.StringIO()), policy=policy)
    db.session.refresh(ev)
    assert (ev.status, ev.attempts) == ("dead", 2)


# --- deleted people ------------------------------------------------------------------------------

def test_drop_pending_for_a_deleted_person(ctx):
    queue(1, prefix="alice")  # alice0@example.jp, pending
    enqueue_many([rows(1, prefix="alice", start=1)[0] | {"to_email": "Alice0@Example.JP"}])
    bob = queue(1, prefix="bob")[0]
    db.session.commit()
    alice_ids = list(db.session.scalars(select(OutboxMessage.id).where(
        func.lower(OutboxMessage.to_email) == "alice0@example.jp")))
    message(alice_ids[1]).status = "sent"  # an earlier mail that went out
    db.session.commit()

    assert drop_pending_for("ALICE0@example.jp") == 1
    db.session.commit()

    dropped, sent = message(alice_ids[0]), message(alice_ids[1])
    assert dropped.status == "dropped" and sent.status == "sent"
    for m in (dropped, sent):
        assert (m.to_email, m.to_name, m.subject, m.text_body, m.html_body, m.headers) == ("", "", "", "", "", {})
    assert message(bob).to_email == "bob0@example.jp"
    out = io.StringIO()
    run_once(ConsoleBackend(SENDER, stream=out), policy=fast_policy())
    assert "bob0@example.jp" in out.getvalue() and "alice" not in out.getvalue().lower()
    assert message(bob).status == "sent" and message(alice_ids[0]).status == "dropped"


# --- leases --------------------------------------------------------------------------------------

def test_a_dead_workers_lease_expires_and_its_mail_is_sent_once(ctx):
    ids = queue(5)
    claimed, _ = claims.claim_messages("ghost-worker", 3, lease_seconds=60)
    assert [c.id for c in claimed] == ids[:3]
    out = io.StringIO()
    run_once(ConsoleBackend(SENDER, stream=out), policy=fast_policy())
    assert states() == {"sending": 3, "sent": 2}  # the lease still holds
    # The ghost's lease runs out.
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.status == "sending")
                       .values(lease_until=utcnow() - timedelta(seconds=1),
                               next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    run_once(ConsoleBackend(SENDER, stream=out), policy=fast_policy())
    assert states() == {"sent": 5}
    assert sum(out.getvalue().count(f"p{i}@example.jp") for i in range(5)) == 5
    # The ghost wakes up late: its failure report cannot overwrite the real outcome.
    claims.record_failures("ghost-worker", [{"mid": ids[0], "st": "dead", "err": "late", "at": utcnow()}])
    db.session.commit()
    assert message(ids[0]).status == "sent"


# --- file and console backends -------------------------------------------------------------------

def test_file_backend_writes_eml_with_headers_and_no_crlf_injection(app, ctx):
    db.session.add(OutboxMessage(
        kind="test", to_email="taro@example.jp", to_name="山田 太郎\r\nBcc: evil@example.com",
        subject="新着の募集: CIO補佐官\r\nBcc: evil@example.com", text_body="本文です。\n",
        html_body="<p>本文です。</p>",
        headers={"List-Unsubscribe": "<https://talentmatch.example.jp/u/abc>\r\nBcc: evil@example.com",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Bad Name:": "x"}))
    db.session.commit()
    result = run_once(FileBackend(app.config["MAIL_DIR"], SENDER), policy=fast_policy())
    assert result["sent"] == 1
    [path] = Path(app.config["MAIL_DIR"]).glob("*.eml")
    raw = path.read_bytes()
    header_lines = raw.split(b"\n\n", 1)[0].splitlines()
    assert not [line for line in header_lines if line.lower().startswith(b"bcc")]
    msg = email.message_from_bytes(raw, policy=email_policy.default)
    assert msg["Subject"] == "新着の募集: CIO補佐官 Bcc: evil@example.com"
    assert msg["To"].addresses[0].addr_spec == "taro@example.jp"
    assert msg["To"].addresses[0].display_name == "山田 太郎 Bcc: evil@example.com"
    assert msg["From"].addresses[0].addr_spec == "no-reply@talentmatch.example.jp"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["List-Unsubscribe"].startswith("<https://talentmatch.example.jp/u/abc>")
    assert msg["Bcc"] is None and msg["Bad Name"] is None and msg["Date"] and msg["Message-ID"]
    assert msg.get_body(("plain",)).get_content() == "本文です。\n"
    assert "本文です。" in msg.get_body(("html",)).get_content()


def test_console_backend_prints_each_mail(ctx):
    ids = queue(3)
    out = io.StringIO()
    result = run_once(ConsoleBackend(SENDER, stream=out), policy=fast_policy())
    assert result["sent"] == 3 and states() == {"sent": 3}
    printed = out.getvalue()
    for i in range(3):
        assert f"p{i}@example.jp" in printed
    assert printed.count("X-TalentMatch-Outbox-Id") == 3 and str(ids[2]) in printed


def test_a_shared_body_refuses_substitution_values_that_could_carry_markup(app, ctx):
    from talentmatch.notifications.services import enqueue_many, store_body

    body = store_body("test:shared", "件名", "停止: {{tok}}", "<a href='/u/{{tok}}'>停止</a>")
    assert store_body("test:shared", "件名", "other", "") == body  # stored once per key
    row = {"to_email": "a@example.jp", "subject": "件名", "body_id": body, "dedupe_key": "t:1",
           "substitutions": {"{{tok}}": "x\"><script>"}}
    with pytest.raises(ValueError, match="tok"):
        enqueue_many([row])
    enqueue_many([{**row, "substitutions": {"{{tok}}": "abc.DEF_1"}}])
    db.session.commit()
    msg = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "t:1")).one()
    assert msg.content()[:2] == ("停止: abc.DEF_1", "<a href='/u/abc.DEF_1'>停止</a>")
