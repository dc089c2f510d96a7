"""The notification worker: expands events, claims due mail with a lease and sends it.

Several workers may run against one PostgreSQL database (see ``claims``). Each request's
outcome is committed as soon as the backend answers, so a crash can resend at most the one
request that was in flight: the provider may have accepted it before the worker died, and
nothing on our side can know. That window is the limit of exactly-once delivery (at least
once, duplicates bounded by one request): one message for the file and console backends, one
HTTP request (≤ 1,000 recipients of one grouped mail) for SendGrid, where a timeout has the
same ambiguity.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.notifications import claims, events
from talentmatch.notifications.backends import (
    ConsoleBackend,
    DeliveryStopped,
    FileBackend,
    MailBackend,
    Outcome,
    plan_requests,
    split,
)
from talentmatch.notifications.models import DEAD, FAILED, OutboxEvent

log = logging.getLogger("talentmatch.notify")
_rng = secrets.SystemRandom()


@dataclass
class Policy:
    batch: int = 500
    lease: float = 60.0
    max_attempts: int = 8
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0
    # Transient failures in a row after which the rest of a batch waits (the provider is down).
    max_consecutive_failures: int = 3

    @classmethod
    def from_config(cls, cfg) -> Policy:
        return cls(batch=int(cfg.get("NOTIFY_BATCH", 500)), lease=float(cfg.get("NOTIFY_LEASE_SECONDS", 60)),
                   max_attempts=int(cfg.get("NOTIFY_MAX_ATTEMPTS", 8)),
                   backoff_base=float(cfg.get("NOTIFY_BACKOFF_BASE", 30)),
                   backoff_cap=float(cfg.get("NOTIFY_BACKOFF_CAP", 3600)))

    @property
    def event_lease(self) -> float:
        return self.lease * 5

    def backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter: half fixed, half random ("equal jitter")."""
        delay = min(self.backoff_cap, self.backoff_base * 2 ** max(attempt - 1, 0))
        return delay / 2 + _rng.uniform(0, delay / 2)


@dataclass
class Summary:
    events: int = 0
    events_failed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0
    requests: int = 0
    batches: int = 0

    def add(self, other: Summary) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def make_backend() -> MailBackend:
    cfg = current_app.config
    kind = cfg["MAIL_BACKEND"]
    if kind == "console":
        return ConsoleBackend(cfg["MAIL_FROM"])
    if kind == "sendgrid":
        from talentmatch.notifications.sendgrid_backend import SendGridBackend

        return SendGridBackend.from_config(cfg)
    return FileBackend(cfg["MAIL_DIR"], cfg["MAIL_FROM"])


def worker_id() -> str:
    """Unique per process (a random part, since pids repeat across containers)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{secrets.token_hex(3)}"


def _never() -> bool:
    return False


# --- events ------------------------------------------------------------------------------------

def process_events(policy: Policy, worker: str, should_stop: Callable[[], bool] = _never,
                   cutoff: datetime | None = None) -> tuple[int, int]:
    """Expand due events through their handlers; returns (done, failed).

    A handler and the event's "done" mark commit together. Handlers must be idempotent (insert
    with a dedupe key through ``services.enqueue_many``): a worker that dies mid-expansion, or
    whose lease runs out, leaves the event to be run again, and the unique key drops repeats.
    """
    cutoff = cutoff or utcnow()
    done = failed = 0
    while not should_stop():
        event_id = claims.claim_event(worker, policy.event_lease, cutoff)
        if event_id is None:
            break
        event = db.session.get(OutboxEvent, event_id)
        handler = events.handler_for(event.kind)
        try:
            with transaction():  # the handler's inserts and the event marked done, together
                if handler is None:
                    raise LookupError(f"no handler registered for {event.kind!r}")
                handler(event)
                claims.finish_event(event_id)
            done += 1
        except Exception as exc:  # rolled back: the event stays for a later run; the worker goes on
            code = "no_handler" if isinstance(exc, LookupError) and handler is None else "handler_error"
            attempts = (event.attempts or 0) + 1
            status = claims.fail_event(event_id, worker, f"{code}: {type(exc).__name__}: {exc}",
                                       utcnow() + timedelta(seconds=policy.backoff(attempts)),
                                       policy.max_attempts)
            log.exception("event %s (%s) failed; now %s", event_id, event.kind, status)
            failed += 1
    return done, failed


# --- messages ----------------------------------------------------------------------------------

def send_batch(backend: MailBackend, policy: Policy, worker: str, cutoff: datetime | None = None,
               should_stop: Callable[[], bool] = _never) -> Summary | None:
    """Claim one batch and send it request by request; None when nothing was due."""
    claimed, lease_until = claims.claim_messages(worker, policy.batch, policy.lease, cutoff)
    if not claimed:
        return None
    summary = Summary(batches=1)
    by_id = {c.id: c for c in claimed}
    queue = plan_requests(backend, [c.mail for c in claimed])
    send = getattr(backend, "send_request", None) or backend.send  # one request per call
    failures_in_row = 0
    try:
        while queue:
            if should_stop():
                break
            if (lease_until - utcnow()).total_seconds() < policy.lease / 2:
                held, lease_until = claims.extend_lease(worker, _ids(queue), policy.lease)
                queue = [kept for group in queue if (kept := [m for m in group if m.outbox_id in held])]
                if not queue:
                    break
            group = queue.pop(0)
            outcomes = send(group)
            summary.requests += 1
            if any(o.status == "split" for o in outcomes.values()):
                queue[0:0] = split(group)
                continue
            halt = _record(group, outcomes, by_id, policy, worker, summary)
            if halt is not None and halt.status == "stop":
                with transaction():
                    claims.release(worker, _ids(queue))
                summary.released += len(_ids(queue))
                queue = []
                log.critical("mail delivery STOPPED by the provider (%s). Messages stay pending; "
                             "check TALENTMATCH_SENDGRID_API_KEY and restart the worker.", halt.reason)
                raise DeliveryStopped(halt.reason, summary.as_dict())
            if halt is not None:  # rate limited: the rest waits for the reset time
                _release_rest(worker, queue, summary, halt.retry_after or policy.backoff(1))
                queue = []
                break
            transient = any(o.status == "retry" for o in outcomes.values())
            failures_in_row = failures_in_row + 1 if transient else 0
            if failures_in_row >= policy.max_consecutive_failures:
                _release_rest(worker, queue, summary, policy.backoff(1))
                queue = []
    finally:
        if queue:  # stopping (SIGTERM) or an error: hand the rest back at once
            try:
                with transaction():
                    claims.release(worker, _ids(queue))
                summary.released += len(_ids(queue))
            except SQLAlchemyError:
                pass  # rolled back: the lease will expire instead
    return summary


def _ids(groups: list[list]) -> list[int]:
    return [m.outbox_id for group in groups for m in group]


def _release_rest(worker: str, queue: list[list], summary: Summary, delay: float) -> None:
    ids = _ids(queue)
    with transaction():
        claims.release(worker, ids, utcnow() + timedelta(seconds=delay))
    summary.released += len(ids)


def _record(group, outcomes: dict[int, Outcome], by_id, policy: Policy, worker: str,
            summary: Summary) -> Outcome | None:
    """Commit one request's outcomes right away; returns the outcome that halts the batch."""
    now = utcnow()
    sent, failures, untouched = [], [], []
    halt: Outcome | None = None
    for mail in group:
        outcome = outcomes.get(mail.outbox_id) or Outcome("retry", "no_outcome: the backend gave no answer")
        if outcome.status == "sent":
            sent.append(mail.outbox_id)
        elif outcome.status == "stop" or outcome.throttled:
            untouched.append(mail.outbox_id)
            halt = halt or outcome
        elif outcome.status == "retry" and by_id[mail.outbox_id].attempts + 1 < policy.max_attempts:
            attempts = by_id[mail.outbox_id].attempts + 1
            delay = outcome.retry_after if outcome.retry_after is not None else policy.backoff(attempts)
            failures.append({"mid": mail.outbox_id, "st": FAILED, "err": outcome.reason,
                             "at": now + timedelta(seconds=delay)})
            summary.retried += 1
        else:
            reason = outcome.reason or "dead: no reason given"
            if outcome.status == "retry":
                reason = f"gave_up: after {policy.max_attempts} attempts; last: {reason}"
            failures.append({"mid": mail.outbox_id, "st": DEAD, "err": reason[:1000], "at": now})
            summary.dead += 1
    with transaction():
        claims.record_sent(sent)
        claims.record_failures(worker, failures)
        if untouched:
            not_before = now + timedelta(seconds=halt.retry_after or 0) if halt.throttled else now
            claims.release(worker, untouched, not_before, halt.reason)
            summary.released += len(untouched)
    summary.sent += len(sent)
    return halt


# --- loops -------------------------------------------------------------------------------------

def run_once(backend: MailBackend | None = None, *, policy: Policy | None = None,
             should_stop: Callable[[], bool] = _never, worker: str | None = None) -> dict[str, int]:
    """Expand due events, then send due mail batch by batch until none is due."""
    policy = policy or Policy.from_config(current_app.config)
    worker = worker or worker_id()
    summary = Summary()
    summary.events, summary.events_failed = process_events(policy, worker, should_stop)
    backend = backend or make_backend()
    # Mail that fails now is due again only after this point: one run never loops on it.
    cutoff = utcnow()
    try:
        while not should_stop():
            result = send_batch(backend, policy, worker, cutoff, should_stop)
            if result is None:
                break
            summary.add(result)
    except DeliveryStopped as exc:
        partial = Summary(**exc.summary) if exc.summary else Summary()
        summary.add(partial)
        raise DeliveryStopped(exc.reason, summary.as_dict()) from exc
    return summary.as_dict()


def run_forever(interval: float = 5.0, backend: MailBackend | None = None, *,
                policy: Policy | None = None) -> None:
    """Poll until SIGTERM/SIGINT; the batch in hand is finished or handed back first."""
    stop = threading.Event()
    worker = worker_id()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        def _on_signal(signum, _frame):
            log.info("notification worker %s: signal %s, stopping", worker, signum)
            stop.set()

        previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    backend = backend or make_backend()
    log.info("notification worker %s started", worker)
    try:
        while not stop.is_set():
            try:
                result = run_once(backend, policy=policy, should_stop=stop.is_set, worker=worker)
            except SQLAlchemyError:
                log.exception("notification worker %s: database error, will retry", worker)
                db.session.rollback()
                result = {}
            if not any(result.get(k) for k in ("events", "sent", "retried", "dead", "events_failed")):
                stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        db.session.remove()
        log.info("notification worker %s stopped", worker)
