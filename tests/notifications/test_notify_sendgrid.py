"""SendGrid through the real ``sendgrid`` library against a local fake server (SECURITY.md 23–24)."""

from __future__ import annotations

import logging
import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications.backends import DeliveryStopped
from talentmatch.notifications.models import OutboxMessage
from talentmatch.notifications.sendgrid_backend import SendGridBackend
from talentmatch.notifications.worker import make_backend, run_once
from tests.support.fake_sendgrid import FakeSendGrid, Reply, bad_request, rate_limited
from tests.support.outbox import fast_policy, message, queue, sendgrid, states


@pytest.fixture
def fake():
    server = FakeSendGrid().start()
    yield server
    server.stop()


def _make_due() -> None:
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.status.in_(("pending", "failed")))
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


# --- request shape -------------------------------------------------------------------------------

def test_batches_hold_at_most_1000_recipients_one_per_personalization(ctx, fake):
    ids = queue(2345, group=10_000)  # one fan-out: identical subject and bodies
    singles = queue(3, prefix="solo")  # individually rendered mail: one request each
    result = run_once(sendgrid(fake), policy=fast_policy(batch=5000))
    assert result["sent"] == 2348 and states() == {"sent": 2348}
    sizes = sorted(len(r.body["personalizations"]) for r in fake.requests)
    assert sizes == [1, 1, 1, 345, 1000, 1000]
    for req in fake.requests:
        assert req.headers["Authorization"] == "Bearer SG.test-key"
        assert "mail_settings" not in req.body
        for p in req.body["personalizations"]:
            assert len(p["to"]) == 1 and "cc" not in p and "bcc" not in p
            n = p["to"][0]["email"].split("@")[0]
            assert p["headers"]["List-Unsubscribe"] == f"<https://talentmatch.example.jp/unsubscribe/{n}>"
            assert p["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # custom_args carries each recipient's own outbox id; every id went out exactly once.
    by_email = dict(db.session.execute(select(OutboxMessage.to_email, OutboxMessage.id)).all())
    for req in fake.requests:
        for p in req.body["personalizations"]:
            assert int(p["custom_args"]["outbox_id"]) == by_email[p["to"][0]["email"]]
    assert sorted(fake.accepted) == sorted(ids + singles) and not fake.duplicates()


def test_subjects_and_names_lose_cr_lf(ctx, fake):
    db.session.add(OutboxMessage(kind="t", to_email="taro@example.jp", to_name="太郎\r\nBcc: x@example.com",
                                 subject="件名\r\nBcc: x@example.com", text_body="本文", html_body="",
                                 headers={"List-Unsubscribe": "<https://e.jp/u>\r\nX-Evil: 1"}))
    db.session.commit()
    run_once(sendgrid(fake), policy=fast_policy())
    body = fake.requests[0].body
    assert body["subject"] == "件名 Bcc: x@example.com"
    assert body["personalizations"][0]["to"] == [{"email": "taro@example.jp", "name": "太郎 Bcc: x@example.com"}]
    assert body["personalizations"][0]["headers"] == {"List-Unsubscribe": "<https://e.jp/u> X-Evil: 1"}
    assert body["content"] == [{"type": "text/plain", "value": "本文"}]
    assert body["from"] == {"email": "no-reply@talentmatch.example.jp", "name": "TalentMatch"}


def test_sandbox_mode_and_timeout_come_from_the_configuration(app, ctx, fake):
    saved = dict(app.config)
    app.config.update(MAIL_BACKEND="sendgrid", SENDGRID_API_KEY="SG.from-config", SENDGRID_HOST=fake.url,
                      SENDGRID_SANDBOX=True, SENDGRID_TIMEOUT=3.5)
    try:
        backend = make_backend()
    finally:
        app.config.clear()
        app.config.update(saved)
    assert isinstance(backend, SendGridBackend)
    # The library sets no timeout by default; ours is on the client every request uses.
    assert backend.api.client.timeout == 3.5
    assert backend.api.client.mail.send.timeout == 3.5
    queue(2)
    fake.push(Reply(200))  # the sandbox validates and answers 200
    run_once(backend, policy=fast_policy())
    assert fake.requests[0].body["mail_settings"] == {"sandbox_mode": {"enable": True}}
    assert fake.requests[0].headers["Authorization"] == "Bearer SG.from-config"
    assert states() == {"sent": 2}


# --- outcomes ------------------------------------------------------------------------------------

def test_rate_limit_waits_until_the_reset_time_and_pauses_the_batch(ctx, fake):
    ids = queue(6, group=2)  # three requests' worth
    reply = rate_limited(seconds=120)
    fake.push(reply)
    result = run_once(sendgrid(fake), policy=fast_policy())
    assert len(fake.requests) == 1  # the rest of the batch was not even tried
    assert result["sent"] == 0 and result["released"] == 6
    reset = int(reply.headers["X-RateLimit-Reset"])
    for m in db.session.scalars(select(OutboxMessage)):
        assert m.status == "pending" and m.attempts == 0  # a rate limit is not the message's fault
        assert abs(m.next_attempt_at.timestamp() - reset) < 3
    assert message(ids[0]).last_error.startswith("rate_limited: HTTP 429")
    assert message(ids[5]).last_error == ""  # not tried: no error of its own
    assert run_once(sendgrid(fake), policy=fast_policy())["sent"] == 0  # not due before the reset
    _make_due()
    assert run_once(sendgrid(fake), policy=fast_policy())["sent"] == 6
    assert sorted(fake.accepted.values()) == [1] * 6


def test_server_errors_back_off_exponentially_then_dead_letter(ctx, fake):
    [mid] = queue(1)
    fake.decide = lambda n, body: Reply(500, {"errors": [{"message": "internal error"}]})
    policy = fast_policy(max_attempts=4, backoff_base=10, backoff_cap=30)
    delays = []
    for attempt in range(1, 5):
        before = utcnow()
        run_once(sendgrid(fake), policy=policy)
        m = message(mid)
        assert m.attempts == attempt
        if attempt < 4:
            assert m.status == "failed" and m.last_error.startswith("server_error: HTTP 500 internal error")
            delays.append((m.next_attempt_at - before).total_seconds())
            _make_due()
    # Equal jitter: between half and all of min(cap, base·2^(n-1)).
    assert 5 <= delays[0] <= 10.5 and 10 <= delays[1] <= 20.5 and 15 <= delays[2] <= 30.5
    assert m.status == "dead"
    assert m.last_error == "gave_up: after 4 attempts; last: server_error: HTTP 500 internal error"
    assert len(fake.requests) == 4 and not fake.accepted


def test_a_timeout_is_retried(ctx, fake):
    [mid] = queue(1)
    fake.push(Reply(503, delay=1.5))  # answers only after the client gave up
    started = time.monotonic()
    run_once(sendgrid(fake, timeout=0.3), policy=fast_policy())
    assert time.monotonic() - started < 1.4
    m = message(mid)
    assert (m.status, m.attempts) == ("failed", 1) and m.last_error.startswith("timeout:")
    _make_due()
    run_once(sendgrid(fake, timeout=0.3), policy=fast_policy())
    assert message(mid).status == "sent" and fake.accepted[mid] == 1


def test_a_network_error_is_retried(ctx):
    [mid] = queue(1)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    backend = SendGridBackend("SG.x", "a@example.jp", host=f"http://127.0.0.1:{port}", timeout=1)
    run_once(backend, policy=fast_policy())
    m = message(mid)
    assert (m.status, m.attempts) == ("failed", 1) and m.last_error.startswith("network_error:")


def test_a_refused_request_dead_letters_at_once_with_sendgrids_reason(ctx, fake):
    [mid] = queue(1)
    fake.push(bad_request("The subject is required.", "subject"))
    run_once(sendgrid(fake), policy=fast_policy())
    m = message(mid)
    assert (m.status, m.attempts) == ("dead", 1)
    assert m.last_error == "rejected: HTTP 400 The subject is required. (subject)"
    fake.push(Reply(413, "payload too large"))
    [big] = queue(1, prefix="big")
    run_once(sendgrid(fake), policy=fast_policy())
    assert message(big).status == "dead" and message(big).last_error.startswith("too_large: HTTP 413")


def test_one_bad_address_does_not_dead_letter_its_batch(ctx, fake):
    ids = queue(40, group=40, bad={17})

    def decide(n, body):
        emails = [p["to"][0]["email"] for p in body["personalizations"]]
        bad = [i for i, e in enumerate(emails) if "." not in e.split("@")[1]]
        return bad_request(field=f"personalizations.{bad[0]}.to.0.email") if bad else None

    fake.decide = decide
    run_once(sendgrid(fake), policy=fast_policy())
    assert states() == {"sent": 39, "dead": 1}
    assert message(ids[17]).status == "dead"
    assert "does not contain a valid address" in message(ids[17]).last_error
    assert len(fake.accepted) == 39 and not fake.duplicates()
    assert len(fake.requests) <= 1 + 2 * 6  # halving finds it in log2(40) rounds


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_stop_the_worker_and_keep_mail_pending(ctx, fake, caplog, status):
    # Alembic's fileConfig (run by the app fixture's upgrade) disables loggers that existed.
    logging.getLogger("talentmatch.notify").disabled = False
    queue(5, group=1)
    fake.push(Reply(202), Reply(status, {"errors": [{"message": "The provided authorization grant is invalid"}]}))
    with caplog.at_level(logging.CRITICAL, logger="talentmatch.notify"), pytest.raises(DeliveryStopped) as info:
        run_once(sendgrid(fake), policy=fast_policy())
    assert f"HTTP {status}" in info.value.reason and info.value.summary["sent"] == 1
    assert any(r.levelno == logging.CRITICAL and "STOPPED" in r.getMessage() for r in caplog.records)
    assert len(fake.requests) == 2
    assert states() == {"sent": 1, "pending": 4}
    for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")):
        assert m.attempts == 0 and m.lease_until is None


def test_the_command_exits_non_zero_when_credentials_are_refused(app, fake, runner):
    with app.app_context():
        queue(2)
    fake.push(Reply(401, {"errors": [{"message": "bad key"}]}))
    saved = dict(app.config)
    app.config.update(MAIL_BACKEND="sendgrid", SENDGRID_API_KEY="SG.revoked", SENDGRID_HOST=fake.url)
    try:
        result = runner.invoke(args=["notify", "run", "--once"])
    finally:
        app.config.clear()
        app.config.update(saved)
    assert result.exit_code == 3
    assert "delivery stopped: unauthorized: HTTP 401 bad key" in result.output
    with app.app_context():
        assert states() == {"pending": 2}
