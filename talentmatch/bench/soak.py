"""`flask bench soak`: a bounded load run in the production shape, watching for errors and
memory growth.

Builds a throwaway database — with --database a PostgreSQL URL, a schema of its own in that
database, dropped afterwards; without it a temporary SQLite file (a quick run) — holding the
master data and the demo world, plus, per virtual user, two municipality clerks (with their
second factor), a draft posting of their municipality and a few of the demo's professionals
who have not applied anywhere yet. Starts gunicorn (sync workers, default 4) and one
notification worker (`flask notify run`, file backend) on it, then lets the virtual users
loop for --duration seconds over a mix of:

- public reads (home, listing with filters and keywords, posting pages, API, Atom feed): 60 %;
- professionals: log in, open a posting, apply, later withdraw and apply again: 20 %;
- clerks: log in with password and TOTP code, edit their draft, move new applications to
  screening (each move mails the professional, so the worker sends mail throughout): 20 %.

Every object (a draft, a professional's application) belongs to one virtual user, so no two
requests act on the same object at the same time: the soak measures sustained load, not the
simultaneous-request races (those have their own tests). A TOTP code works once per 30-second
step and account, so a clerk logs in only with a step not used yet, and otherwise the virtual
user reads as a visitor meanwhile.

Reports requests, errors (every answer that was not the expected one, listed), p50/p99 per
kind of request, the gunicorn workers' RSS at start and end (and every 30 s), the mail sent,
and checks that the database recorded exactly the actions the virtual users completed. The
last line printed is JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from talentmatch.bench.http import (
    API_QUERY,
    LISTING_QUERY,
    Server,
    _drop_schema,
    _free_port,
    _pg_schema,
)
from talentmatch.bench.soak_users import Account, Pro, Stats, Team, VirtualUser
from talentmatch.config import ROOT, database_url

STAFF_PER_TEAM = 2


# --------------------------------------------------------------------------- data


def _app(uri: str):
    """The app on the soak's database (a throwaway one with the demo world), as a context."""
    from talentmatch.bench.throwaway import throwaway_app

    return throwaway_app(uri, migrate=False, ENV_NAME="development")


def _prepare(uri: str, users: int) -> tuple[list[Team], dict[str, list[str]], dict[str, Any]]:
    from flask_migrate import upgrade
    from sqlalchemy import exists, select

    from talentmatch import demo
    from talentmatch.accounts.models import MUNICIPALITY, PROFESSIONAL, User
    from talentmatch.accounts.services import hash_password, new_totp_secret
    from talentmatch.applications.models import Application
    from talentmatch.applications.services import is_open_for_applications
    from talentmatch.clock import today_jst
    from talentmatch.db import utcnow
    from talentmatch.extensions import db
    from talentmatch.geo.services import load_master
    from talentmatch.postings import services as postings
    from talentmatch.postings.models import Posting
    from talentmatch.professionals.models import Professional

    t0 = time.perf_counter()
    with _app(uri) as bench, bench.app.app_context():
        upgrade()
        load_master()
        demo.load()
        today = today_jst()
        open_postings = [p for p in db.session.scalars(
            select(Posting).where(Posting.status == "open", Posting.published_revision_id.is_not(None))
            .order_by(Posting.id)) if is_open_for_applications(p, today)]
        if not open_postings:
            raise SystemExit("the demo world has no posting open for applications")
        by_muni: dict[str, list[Posting]] = {}
        for p in open_postings:
            by_muni.setdefault(p.municipality_code, []).append(p)
        pros = db.session.scalars(
            select(User.email).join(Professional, Professional.user_id == User.id)
            .where(User.role == PROFESSIONAL, User.active.is_(True), User.email_confirmed_at.is_not(None),
                   User.password_hash != "",
                   ~exists().where(Application.professional_id == Professional.id))
            .order_by(User.id)).all()
        per = min(4, len(pros) // users)
        if per < 2:
            raise SystemExit(f"too many virtual users: the demo has {len(pros)} professionals to share")
        pw_hash, now = hash_password(demo.PASSWORD), utcnow()
        munis = sorted(by_muni)
        teams = []
        for i in range(users):
            code = munis[i % len(munis)]
            mine = by_muni[code]
            staff = [User(email=f"soak{i}-{k}@city.soak.talentmatch.jp", role=MUNICIPALITY,
                          display_name=f"負荷試験 担当 {i}-{k}", password_hash=pw_hash,
                          municipality_code=code, email_confirmed_at=now, password_changed_at=now,
                          totp_secret=new_totp_secret()) for k in range(STAFF_PER_TEAM)]
            db.session.add_all(staff)
            db.session.commit()
            values = postings.revision_values(mine[0].published_revision)
            draft = postings.create_draft(staff[0], values)
            teams.append(Team(
                municipality=code, draft_id=draft.id,
                staff=[Account(s.email, s.totp_secret) for s in staff],
                pros=[Pro(email, posting_id=mine[j % len(mine)].id)
                      for j, email in enumerate(pros[i * per:(i + 1) * per])]))
        public_ids = [p.id for p in open_postings]
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        dialect = db.engine.dialect.name
    public = {"entry": ["/", "/postings", f"/postings?{LISTING_QUERY}", "/postings?prefecture=13&sort=deadline",
                        "/postings?q=" + urllib.parse.quote("データ"), f"/api/v1/postings?{API_QUERY}",
                        "/feed.atom"],
              "postings": [*(f"/postings/{i}" for i in public_ids[:16]),
                           *(f"/api/v1/postings/{i}" for i in public_ids[:4])]}
    return teams, public, {"database": dialect, "open_postings": len(open_postings),
                           "professionals_per_user": per, "build_s": round(time.perf_counter() - t0, 1)}


# --------------------------------------------------------------------------- processes


class _Gunicorn(Server):
    """http.Server with its log in a file (a pipe nobody reads would fill up and stall it)."""

    def __init__(self, uri: str, workers: int, log: Path) -> None:
        self.port = _free_port()
        env = dict(os.environ, TALENTMATCH_DATABASE_URL=uri, TALENTMATCH_ENV="development",
                   TALENTMATCH_DEBUG="0", PYTHONDONTWRITEBYTECODE="1")
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
             "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "wsgi:app"], cwd=str(ROOT), env=env, start_new_session=True, stdout=self.log,
            stderr=subprocess.STDOUT)


def _mail_worker(uri: str, mail_dir: Path, log: Path) -> subprocess.Popen:
    env = dict(os.environ, TALENTMATCH_DATABASE_URL=uri, TALENTMATCH_ENV="development",
               TALENTMATCH_MAIL_BACKEND="file", TALENTMATCH_MAIL_DIR=str(mail_dir))
    return subprocess.Popen([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "notify",
                             "run", "--interval", "1"], cwd=str(ROOT), env=env, start_new_session=True,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> int | None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    return proc.returncode


def _children(pid: int) -> list[int]:
    try:
        return sorted(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return []


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _memory(master: int, worker: int) -> dict[str, Any]:
    pids = _children(master)
    return {"gunicorn_workers": {str(p): _rss_mb(p) for p in pids},
            "gunicorn_workers_total": round(sum(_rss_mb(p) for p in pids), 1),
            "gunicorn_master": _rss_mb(master), "notify_worker": _rss_mb(worker)}


# --------------------------------------------------------------------------- checks


def _outbox(uri: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from talentmatch.extensions import db
    from talentmatch.notifications.models import OutboxMessage

    with _app(uri) as bench, bench.app.app_context():
        out = dict(db.session.execute(select(OutboxMessage.status, func.count())
                                      .group_by(OutboxMessage.status)).all())
    return out


def _consistency(uri: str, teams: list[Team], stats: Stats) -> dict[str, Any]:
    """What the database recorded against what the virtual users completed."""
    from sqlalchemy import func, select

    from talentmatch.accounts.models import User
    from talentmatch.applications.models import Application, ApplicationEvent
    from talentmatch.extensions import db
    from talentmatch.notifications.models import OutboxMessage
    from talentmatch.postings.models import Posting
    from talentmatch.professionals.models import Professional

    emails = [p.email for t in teams for p in t.pros]
    with _app(uri) as bench, bench.app.app_context():
        events = dict(db.session.execute(
            select(ApplicationEvent.to_status, func.count())
            .join(Application, Application.id == ApplicationEvent.application_id)
            .join(Professional, Professional.id == Application.professional_id)
            .join(User, User.id == Professional.user_id)
            .where(User.email.in_(emails)).group_by(ApplicationEvent.to_status)).all())
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "application_status", OutboxMessage.to_email.in_(emails)))
        drafts_kept = sum(
            1 for t in teams if not t.last_edit
            or db.session.get(Posting, t.draft_id).current_revision.hours_note == t.last_edit)
    done = stats.done
    recorded = {"received": events.get("received", 0), "withdrawn": events.get("withdrawn", 0),
                "screening": events.get("screening", 0), "status mails": mails or 0,
                "drafts holding their last edit": drafts_kept}
    expected = {"received": done["apply"] + done["apply again"], "withdrawn": done["withdraw"],
                "screening": done["move to screening"], "status mails": done["move to screening"],
                "drafts holding their last edit": len(teams)}
    return {"recorded": recorded, "expected": expected, "ok": recorded == expected}


# --------------------------------------------------------------------------- run


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 1) if s else float("nan")


def run(*, duration: int = 300, workers: int = 4, users: int = 12, think: float = 0.05,
        database: str | None = None, drain: int = 60, seed: int = 2026) -> dict[str, Any]:
    tmp = tempfile.TemporaryDirectory(prefix="tm-bench-soak-")
    schema = None
    if database:
        if not database_url(database).startswith("postgresql"):
            raise SystemExit("--database takes a PostgreSQL URL (without it: a temporary SQLite file)")
        uri, schema = _pg_schema(database_url(database))
    else:
        uri = f"sqlite:///{Path(tmp.name) / 'soak.db'}"
    server = mailer = None
    try:
        teams, public, info = _prepare(uri, users)
        mail_dir = Path(tmp.name) / "mail"
        server = _Gunicorn(uri, workers, Path(tmp.name) / "gunicorn.log")
        server.wait_ready()
        mailer = _mail_worker(uri, mail_dir, Path(tmp.name) / "notify.log")
        warm = VirtualUser(-1, server.port, teams[0], public, "", Stats(), 0, 0, seed)
        for path in (public["entry"] + public["postings"]) * workers * 2:
            warm.request(None, "GET", path, "warm-up")
        outbox_before = _outbox(uri)
        memory = {"start": _memory(server.proc.pid, mailer.pid)}
        timeline = [(0, memory["start"]["gunicorn_workers_total"])]
        load_start = os.getloadavg()[0]
        stats = Stats()
        started = time.monotonic()
        stop_at = started + duration
        from talentmatch.demo import PASSWORD

        vus = [VirtualUser(i, server.port, team, public, PASSWORD, stats, stop_at, think, seed + i)
               for i, team in enumerate(teams)]
        threads = [threading.Thread(target=vu.run, daemon=True) for vu in vus]
        for t in threads:
            t.start()
        while (left := stop_at - time.monotonic()) > 0:
            time.sleep(min(30.0, left))
            timeline.append((round(time.monotonic() - started),
                             _memory(server.proc.pid, mailer.pid)["gunicorn_workers_total"]))
        for t in threads:
            t.join(60)
        elapsed = time.monotonic() - started
        memory["end"] = _memory(server.proc.pid, mailer.pid)
        load_end = os.getloadavg()[0]
        # The worker sends what is still queued, then stops (SIGTERM: it finishes its request).
        drain_until = time.monotonic() + drain
        while time.monotonic() < drain_until:
            unsent = sum(n for s, n in _outbox(uri).items() if s in ("pending", "sending", "failed"))
            if not unsent:
                break
            time.sleep(1)
        mailer_rc = _stop(mailer)
        outbox = _outbox(uri)
        server_log = (Path(tmp.name) / "gunicorn.log").read_text(errors="replace")
        check = _consistency(uri, teams, stats)
    finally:
        for proc in (mailer, server.proc if server else None):
            if proc is not None:
                _stop(proc)
        if schema is not None:
            _drop_schema(*schema)
        files = len(list((Path(tmp.name) / "mail").glob("*.eml")))
        tmp.cleanup()
    latencies = [x for v in stats.latency.values() for x in v]
    kinds = {k: {"requests": len(v), "p50_ms": _pct(v, 0.5), "p99_ms": _pct(v, 0.99),
                 "errors": sum(n for e, n in stats.errors.items() if e[0] == k)}
             for k, v in sorted(stats.latency.items(), key=lambda kv: -len(kv[1]))}
    errors = [{"request": f"{e[1]} {e[2]}", "kind": e[0], "answer": e[3], "count": n,
               "sample": stats.samples.get(e, "")} for e, n in stats.errors.most_common()]
    return {
        "benchmark": "soak", **info, "gunicorn_workers": workers, "virtual_users": users,
        "think_s": think, "duration_s": round(elapsed, 1), "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1), "errors": sum(stats.errors.values()),
        "error_list": errors, "p50_ms": _pct(latencies, 0.5), "p99_ms": _pct(latencies, 0.99),
        "actions": dict(stats.done), "kinds": kinds,
        "memory_mb": {"start": memory["start"], "end": memory["end"],
                      "workers_total_timeline": timeline,
                      "workers_replaced": sorted(set(memory["start"]["gunicorn_workers"])
                                                 ^ set(memory["end"]["gunicorn_workers"]))},
        "mail": {"sent_during_soak": outbox.get("sent", 0) - outbox_before.get("sent", 0),
                 "outbox_before": outbox_before, "outbox_after": outbox, "eml_files": files,
                 "worker_exit": mailer_rc},
        "consistency": check,
        "server_log_tracebacks": server_log.count("Traceback"),
        "load_average_1m": {"start": round(load_start, 2), "end": round(load_end, 2)},
    }


def print_report(result: dict[str, Any], echo) -> None:
    echo(f"{result['requests']} requests in {result['duration_s']} s ({result['rps']}/s), "
         f"errors {result['errors']}, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
         f"({result['database']}, {result['gunicorn_workers']} gunicorn workers, "
         f"{result['virtual_users']} virtual users)")
    echo(f"{'request':<30}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, k in result["kinds"].items():
        echo(f"{name[:30]:<30}{k['requests']:>8}{k['p50_ms']:>10}{k['p99_ms']:>10}{k['errors']:>8}")
    for e in result["error_list"]:
        echo(f"ERROR {e['count']}x {e['request']} -> {e['answer']}: {e['sample'][:160]}")
    mem = result["memory_mb"]
    echo(f"gunicorn workers RSS total: {mem['start']['gunicorn_workers_total']} MB at start, "
         f"{mem['end']['gunicorn_workers_total']} MB at end; timeline {mem['workers_total_timeline']}")
    echo(f"actions: {result['actions']}")
    echo(f"mail: {result['mail']['sent_during_soak']} sent during the soak; outbox after it "
         f"{result['mail']['outbox_after']} ({result['mail']['eml_files']} .eml files)")
    echo(f"consistency {'ok' if result['consistency']['ok'] else 'MISMATCH'}: "
         f"{result['consistency']['recorded']}")
    echo(json.dumps(result, ensure_ascii=False))
