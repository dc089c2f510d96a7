"""Several workers on PostgreSQL (SECURITY.md 22): 4 worker processes deliver 10,000 messages
through the fake SendGrid while it injects 429, 5xx, timeouts, dropped connections and refused
addresses; a worker killed while holding a lease loses nothing and duplicates nothing.

Runs only with TALENTMATCH_TEST_DATABASE_URL (SQLite ignores FOR UPDATE SKIP LOCKED).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from talentmatch.config import ROOT
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.notifications.services import enqueue_many
from talentmatch.notifications.worker import run_once
from tests.support.fake_sendgrid import FakeSendGrid, Reply, bad_request, rate_limited
from tests.support.outbox import fast_policy, queue, rows, sendgrid, states

pytestmark = pytest.mark.skipif(not os.environ.get("TALENTMATCH_TEST_DATABASE_URL"),
                                reason="needs PostgreSQL (TALENTMATCH_TEST_DATABASE_URL)")

FIGURES = ROOT / "test-artifacts" / "notifications"


@pytest.fixture
def fake():
    server = FakeSendGrid().start()
    yield server
    server.stop()


def _worker_env(app, fake, **extra) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "TALENTMATCH_ENV": "development",
        "TALENTMATCH_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "TALENTMATCH_MAIL_BACKEND": "sendgrid",
        "TALENTMATCH_SENDGRID_API_KEY": "SG.fake-key",
        "TALENTMATCH_SENDGRID_HOST": fake.url,
        "TALENTMATCH_SENDGRID_TIMEOUT": "2",
        "TALENTMATCH_NOTIFY_BATCH": "100",
        "TALENTMATCH_NOTIFY_LEASE_SECONDS": "10",
        "TALENTMATCH_NOTIFY_BACKOFF_BASE": "0.2",
        "TALENTMATCH_NOTIFY_BACKOFF_CAP": "1",
        "TALENTMATCH_NOTIFY_MAX_ATTEMPTS": "8",
    })
    env.update(extra)
    return env


def _spawn(args: list[str], env: dict[str, str], log_path) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "notify", "run", *args],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _unfinished() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_(("pending", "failed", "sending"))))


def test_four_workers_send_10000_messages_exactly_once_under_injected_faults(app, fake, tmp_path):
    total = 10_000
    rng = random.Random(2026)
    bad = set(rng.sample(range(total), 12))
    injected = Counter()

    def decide(n, body):
        emails = [p["to"][0]["email"] for p in body["personalizations"]]
        refused = [i for i, e in enumerate(emails) if "." not in e.split("@")[1]]
        if refused:
            injected["400 refused address"] += 1
            return bad_request(field=f"personalizations.{refused[0]}.to.0.email")
        r = rng.random()
        if r < 0.05:
            injected["500"] += 1
            return Reply(500, {"errors": [{"message": "internal error"}]})
        if r < 0.08:
            injected["429"] += 1
            return rate_limited(1)
        if r < 0.10:
            injected["timeout"] += 1
            return Reply(503, delay=3.0)  # the client (2 s timeout) gives up first
        if r < 0.11:
            injected["connection dropped"] += 1
            return Reply(drop=True)
        return None

    fake.decide = decide
    started = time.monotonic()
    env = _worker_env(app, fake)
    # The workers start (and find nothing) while the fan-outs are being queued.
    workers = [_spawn(["--interval", "0.2"], env, tmp_path / f"worker{i}.log") for i in range(4)]
    try:
        with app.app_context():
            # Fan-outs of assorted sizes: some mail is unique, some shares its content with hundreds.
            sizes, start, batch = [1, 3, 25, 71, 150, 400, 2], 0, []
            while start < total:
                n = min(sizes[len(batch) % len(sizes)], total - start)
                batch.append(rows(n, start=start, prefix="w", bad=bad, content=f"fan-out {start}"))
                start += n
            assert enqueue_many(row for chunk in batch for row in chunk) == total
            db.session.commit()
            ids = list(db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))
            # Generous for a loaded CI machine; on an idle one delivery takes about 10 s.
            deadline = time.monotonic() + 150
            while _unfinished() and time.monotonic() < deadline:
                time.sleep(1)
            left = _unfinished()
        elapsed = time.monotonic() - started
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        codes = [w.wait(timeout=15) for w in workers]
    logs = "\n".join((tmp_path / f"worker{i}.log").read_text(errors="replace")[-2000:] for i in range(4))
    assert left == 0, logs
    assert codes == [0, 0, 0, 0], logs  # SIGTERM: a clean exit

    with app.app_context():
        by_status = states()
        dead = {m.id: m.last_error for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "dead"))}
        bad_ids = {ids[i] for i in bad}
        max_attempts = db.session.scalar(select(func.max(OutboxMessage.attempts)))
    duplicates = fake.duplicates()
    lost = set(ids) - bad_ids - set(fake.accepted)
    figures = {
        "messages": total, "workers": 4, "seconds": round(elapsed, 1),
        "seconds_first_to_last_request": round(fake.requests[-1].at - fake.requests[0].at, 1),
        "requests": len(fake.requests),
        "slowest_answer_seconds": round(max(r.answered - r.at for r in fake.requests if r.answered and r.status != 503), 2),
        "responses": {str(k): v for k, v in sorted(fake.statuses.items(), key=str)},
        "injected": dict(injected), "sent": by_status["sent"], "lost": len(lost),
        "duplicated": len(duplicates), "dead": len(dead),
        "dead_reasons": dict(Counter(r.split(" (")[0] for r in dead.values())),
        "max_attempts_used": max_attempts,
    }
    FIGURES.mkdir(parents=True, exist_ok=True)
    (FIGURES / "workers-fault-injection.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(json.dumps(figures, ensure_ascii=False))
    assert not duplicates and not lost
    assert set(dead) == bad_ids
    assert all(r.startswith("rejected: HTTP 400 The to email does not contain a valid address.")
               for r in dead.values())
    assert by_status == {"sent": total - len(bad), "dead": len(bad)}
    assert set(fake.accepted) == set(ids) - bad_ids
    assert injected["500"] and injected["429"] and injected["timeout"] and injected["connection dropped"]


def test_a_killed_workers_lease_expires_and_its_mail_is_sent_once(app, fake, tmp_path):
    with app.app_context():
        ids = queue(100, group=25, prefix="k")
    hold = threading.Event()
    # Requests 0 and 1 are accepted; request 2 hangs until the worker is dead, and a request
    # whose connection died before SendGrid accepted it is not delivered.
    fake.decide = lambda n, body: Reply(503, hold=hold) if n == 2 else None
    lease = 8  # long enough that the checks below run inside it even on a loaded machine
    worker = _spawn(["--once"], _worker_env(app, fake, TALENTMATCH_NOTIFY_LEASE_SECONDS=str(lease)),
                    tmp_path / "killed.log")
    try:
        assert fake.held.wait(30), (tmp_path / "killed.log").read_text()
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        hold.set()
    with app.app_context():
        assert states() == {"sent": 50, "sending": 50}
        held = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending")).all()
        lease_ends = max(m.lease_until for m in held)
        assert {m.claimed_by for m in held} != {""}

        # Another worker leaves the leased mail alone while the lease lasts …
        backend = sendgrid(fake, timeout=2)
        assert run_once(backend, policy=fast_policy(lease=lease))["sent"] == 0
        # … and sends it once the lease has expired.
        time.sleep(max(0.0, lease_ends.timestamp() - time.time()) + 0.2)
        assert run_once(backend, policy=fast_policy(lease=lease))["sent"] == 50
        assert states() == {"sent": 100}
    assert sorted(fake.accepted) == sorted(ids) and not fake.duplicates()


def _delivered(mail_dir) -> set[int]:
    """Outbox ids of the complete messages in a file-backend mailbox."""
    return {int(p.stem) for p in mail_dir.glob("*.eml") if p.stem.isdigit()}


def test_a_worker_killed_mid_batch_resends_at_most_one_file_message(app, tmp_path):
    """At least once, duplicates bounded by the one message in flight (README "Mail delivery
    guarantee"): each file-backend message is marked sent as soon as it is written."""
    total, lease = 2000, 5
    with app.app_context():
        ids = queue(total, prefix="f")
    mailbox = tmp_path / "mail"
    env = dict(os.environ, TALENTMATCH_ENV="development",
               TALENTMATCH_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               TALENTMATCH_MAIL_BACKEND="file", TALENTMATCH_MAIL_DIR=str(mailbox),
               TALENTMATCH_NOTIFY_BATCH="500", TALENTMATCH_NOTIFY_LEASE_SECONDS=str(lease))
    worker = _spawn(["--once"], env, tmp_path / "file-worker.log")
    try:
        deadline = time.monotonic() + 60
        # Killed once it is well into its first batch of 500.
        while len(_delivered(mailbox)) < 150 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        code = worker.wait(timeout=10)
    assert code == -signal.SIGKILL, (tmp_path / "file-worker.log").read_text(errors="replace")
    before_kill = mailbox.rename(tmp_path / "delivered-before-the-kill")
    first = _delivered(before_kill)
    with app.app_context():
        at_kill = states()
        marked = set(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "sent")))
        lease_ends = db.session.scalar(select(func.max(OutboxMessage.lease_until)))
    # The kill came mid-batch: some mail was out, some still held by the dead worker.
    assert len(first) >= 150 and at_kill["sent"] > 0 and at_kill["sending"] > 0, at_kill
    assert marked <= first  # nothing is marked sent before it is written
    assert len(first - marked) <= 1  # written but unmarked: only the message in flight

    with app.app_context():
        # Another worker takes the dead one's mail over once its lease has run out.
        time.sleep(max(0.0, lease_ends.timestamp() - time.time()) + 0.2)
        from talentmatch.notifications.backends import FileBackend

        result = run_once(FileBackend(str(mailbox), "TalentMatch <no-reply@talentmatch.example.jp>"),
                          policy=fast_policy(lease=lease))
        assert states() == {"sent": total}
    second = _delivered(mailbox)
    assert result["sent"] == len(second) == total - len(marked)
    duplicated = first & second
    lost = set(ids) - first - second
    print(json.dumps({"messages": total, "sent_before_kill": len(marked),
                      "written_before_kill": len(first), "duplicated": len(duplicated),
                      "lost": len(lost)}))
    assert len(duplicated) <= 1 and not lost
