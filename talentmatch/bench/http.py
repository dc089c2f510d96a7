"""`flask bench http`: the public pages over real HTTP at national scale.

Builds a database of national size (a temporary SQLite file; with --database a PostgreSQL
URL, a schema of its own in that database, dropped afterwards; or an SQLite URL, which must
hold no postings or professionals and is emptied of them afterwards):
the master data, 20,000 postings from the listing benchmark's generator and 100,000
professionals from the matching benchmark's generator, in bulk inserts. Starts gunicorn (2
sync workers on 127.0.0.1, a free port) on it, warms it up, then loads each route for a
fixed time with a fixed number of keep-alive connections — wrk when it is installed, else a
Python load generator — and stops everything it started, always. The last line printed is
JSON: per route requests/s, p50 and p99 in ms, errors, and the ratio to /healthz (the
cost of HTTP, gunicorn, Flask and the security headers with no database work).

Besides the rendered pages it loads the listing as a browser revalidates it (If-None-Match
with its ETag: a 304 answered before rendering) and, when Debian's nginx is installed, the
same gunicorn behind nginx with the deploy configuration (TLS, proxy_cache): /healthz and
the listing through it, the listing's ratio taken to /healthz through the same nginx.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talentmatch.config import ROOT, database_url

# The routes loaded, each for --duration seconds. The listing is read with filters and a
# Japanese keyword, as people search it.
LISTING_QUERY = "q=" + urllib.parse.quote("セキュリティ") + "&remote=partial&sort=newest"
API_QUERY = "prefecture=13&q=" + urllib.parse.quote("データ分析")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- data


def populate_professionals(n: int, seed: int = 3) -> int:
    """n professionals with profiles from the matching benchmark's generator (Core bulk
    inserts: users first, then their profiles)."""
    from sqlalchemy import func, insert, select

    from talentmatch.accounts.models import User
    from talentmatch.bench.match import _Synth
    from talentmatch.extensions import db
    from talentmatch.professionals.models import Professional
    from talentmatch.professionals.vocabulary import load_vocabulary

    synth = _Synth(load_vocabulary(), seed)
    now = datetime.now(UTC)
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    batch = 5000
    for first in range(0, n, batch):
        users, profiles = [], []
        for i in range(first, min(n, first + batch)):
            uid = start + i
            p = synth.profile(uid)
            users.append({"id": uid, "email": f"bench-pro-{uid}@example.jp", "role": "professional",
                          "display_name": p.display_name, "password_hash": "!", "locale": "ja",
                          "active": True, "email_confirmed_at": now, "created_at": now,
                          "updated_at": now})
            profiles.append({
                "user_id": uid, "kind": "individual", "headline": p.experience[:60],
                "skills": [], "free_skills": p.skills, "focus_areas": p.focus_areas,
                "experience": p.experience, "qualifications": p.qualifications,
                "public_sector_experience": p.public_sector_experience,
                "preferred_prefectures": p.preferred_prefectures,
                "remote_preference": p.remote_preference,
                "available_days_per_month": p.available_days,
                "accepted_employment_types": p.accepted_employment_types,
                "discoverable": p.discoverable, "source": "self", "confirmed_at": now,
                "created_at": now, "updated_at": now})
        db.session.execute(insert(User), users)
        db.session.execute(insert(Professional), profiles)
    db.session.commit()
    return n


def _build(uri: str, postings: int, professionals: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from talentmatch.bench.listing import populate
    from talentmatch.bench.throwaway import throwaway_app
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting
    from talentmatch.professionals.models import Professional

    t0 = time.perf_counter()
    with throwaway_app(uri) as bench, bench.app.app_context():
        if db.session.scalar(select(func.count()).select_from(Posting)) or db.session.scalar(
                select(func.count()).select_from(Professional)):
            raise SystemExit("refused: the database already holds postings or professionals; "
                             "benchmark an empty database")
        counts = populate(postings)
        counts["professionals"] = populate_professionals(professionals)
        dialect = db.engine.dialect.name
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        public = db.session.scalars(
            select(Posting.id).where(Posting.status == "open",
                                     Posting.published_revision_id.is_not(None))
            .order_by(Posting.id).limit(1)).first()
    return {**counts, "database": dialect, "build_s": round(time.perf_counter() - t0, 1),
            "posting_id": public}


def _empty(uri: str) -> None:
    """Remove what the benchmark added to a configured database."""
    from sqlalchemy import delete, update

    from talentmatch.accounts.models import User
    from talentmatch.bench.throwaway import throwaway_app
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.professionals.models import Professional

    with throwaway_app(uri, migrate=False) as bench, bench.app.app_context():
        db.session.execute(update(Posting).values(current_revision_id=None, published_revision_id=None))
        db.session.execute(delete(PostingRevision))
        db.session.execute(delete(Posting))
        db.session.execute(delete(Professional))
        db.session.execute(delete(User).where(User.email.like("bench-pro-%@example.jp")))
        db.session.commit()


def _pg_schema(base: str) -> tuple[str, tuple[Any, str]]:
    from sqlalchemy import create_engine, text

    name = f"tm_bench_http_{os.getpid()}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{name}", (engine, name)


def _drop_schema(engine, name: str) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


# --------------------------------------------------------------------------- server


class Server:
    """gunicorn with sync workers in its own process group, stopped by stop()."""

    def __init__(self, uri: str, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        env = dict(os.environ, TALENTMATCH_DATABASE_URL=uri, TALENTMATCH_ENV="development",
                   TALENTMATCH_DEBUG="0", PYTHONDONTWRITEBYTECODE="1", **(env or {}))
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "--workers", str(workers), "--worker-class", "sync", "--preload",
             "--limit-request-line", "8190", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=str(ROOT), env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"gunicorn exited: {err[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


# --------------------------------------------------------------------------- load


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def run_wrk(url: str, duration: int, connections: int, headers: dict[str, str] | None = None
            ) -> dict[str, float]:
    threads = max(1, min(2, connections))
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
         "--timeout", "5s", *extra, url], capture_output=True, text=True, timeout=duration + 60,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"requests": requests, "rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def run_python(url: str, duration: int, connections: int, headers: dict[str, str] | None = None
               ) -> dict[str, float]:
    """The same measurement without wrk: one keep-alive connection per thread."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")

    def connect() -> http.client.HTTPConnection:
        if parts.scheme == "https":  # nginx's self-signed certificate: load, not trust
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=5,
                                               context=ssl._create_unverified_context())  # noqa: S323
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)

    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.perf_counter() + duration

    def worker(i: int) -> None:
        conn = connect()
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = connect()
                continue
            latencies[i].append((time.perf_counter() - t) * 1000)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for lat in latencies for x in lat)
    if not flat:
        return {"requests": 0, "rps": 0.0, "p50_ms": float("nan"), "p99_ms": float("nan"),
                "errors": sum(errors)}
    return {"requests": len(flat), "rps": len(flat) / elapsed, "p50_ms": statistics.median(flat),
            "p99_ms": flat[min(len(flat) - 1, int(0.99 * len(flat)))], "errors": sum(errors)}


BASELINES = ("/healthz", "/healthz via nginx")


def _add(results: dict[str, dict], name: str, r: dict[str, float]) -> None:
    """Sum one slice's load into the route's totals (requests/s = requests / seconds)."""
    total = results.setdefault(name, {"requests": 0, "seconds": 0.0, "errors": 0,
                                      "p50s": [], "p99s": []})
    total["requests"] += r["requests"]
    total["seconds"] += r["requests"] / r["rps"] if r["rps"] else 0.0
    total["errors"] += r["errors"]
    total["p50s"].append(r["p50_ms"])
    total["p99s"].append(r["p99_ms"])


def _etag(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", f"{parts.path}?{parts.query}")
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.headers["ETag"]


def _start_nginx(upstream_port: int):
    """nginx with the deploy configuration in front of gunicorn, when Debian's nginx is
    installed (else the nginx routes are left out)."""
    from talentmatch.assets import Fingerprints, build
    from talentmatch.bench.proxy import NGINX, Nginx

    if not os.path.exists(NGINX):
        return None, None
    folder = tempfile.TemporaryDirectory(prefix="tm-bench-nginx-")
    build(Path(folder.name) / "public", Fingerprints(str(ROOT / "static")))
    return Nginx(Path(folder.name), upstream_port, Path(folder.name) / "public"), folder


def run(*, postings: int = 20_000, professionals: int = 100_000, duration: int = 10,
        connections: int = 16, database: str | None = None, workers: int = 2) -> dict[str, Any]:
    tmp: tempfile.TemporaryDirectory | None = None
    schema: tuple[Any, str] | None = None
    if database and database_url(database).startswith("postgresql"):
        # A schema of its own, dropped at the end: nothing already in the database is read
        # or touched, and cleaning up is one statement (deleting 100,000 accounts row by row
        # would check every table that refers to them).
        uri, schema = _pg_schema(database_url(database))
    elif database:
        uri = database_url(database)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="tm-bench-http-")
        uri = f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    server: Server | None = None
    proxy = proxy_dir = None
    built = False
    try:
        info = _build(uri, postings, professionals)
        built = True
        listing = f"/postings?{LISTING_QUERY}"
        routes: dict[str, tuple[str, dict[str, str]]] = {
            "/healthz": ("/healthz", {}),
            "listing": (listing, {}),
            "posting": (f"/postings/{info.pop('posting_id')}", {}),
            "api listing": (f"/api/v1/postings?{API_QUERY}", {}),
        }
        server = Server(uri, workers)
        server.wait_ready()
        base = f"http://127.0.0.1:{server.port}"
        # The listing as a browser revalidates it: If-None-Match with its ETag → 304.
        routes["listing 304"] = (listing, {"If-None-Match": _etag(base + listing)})
        bases = dict.fromkeys(routes, base)
        proxy, proxy_dir = _start_nginx(server.port)
        if proxy is not None:
            # The same gunicorn behind nginx (deploy/nginx, TLS): the listing from its cache.
            routes["/healthz via nginx"] = ("/healthz", {})
            routes["listing via nginx"] = (listing, {})
            bases.update({"/healthz via nginx": proxy.base, "listing via nginx": proxy.base})
        tool = "wrk" if shutil.which("wrk") else "python"
        load = run_wrk if tool == "wrk" else run_python
        for name, (path, headers) in routes.items():  # warm up: caches, lexicon, pools
            load(bases[name] + path, 1, 2, headers)
        # Each route in slices alternating with its baseline (/healthz, or /healthz through
        # the same nginx), so the ratio compares moments of the same machine load.
        results: dict[str, dict[str, float]] = {}
        slices = max(1, duration // 2)
        for name in routes:
            if name in BASELINES:
                continue
            baseline = "/healthz via nginx" if "nginx" in name else "/healthz"
            for _ in range(slices):
                for which in (baseline, name):
                    path, headers = routes[which]
                    _add(results, which, load(bases[which] + path, max(1, duration // slices),
                                              connections, headers))
        # Latency without queueing: one connection per worker (with 16 connections on 2
        # workers a request waits for ~8 others, so its p99 is mostly queue).
        light = {name: load(bases[name] + path, max(2, duration // 2), workers, headers)
                 for name, (path, headers) in routes.items()}
        for r in results.values():
            r["rps"] = r["requests"] / r["seconds"] if r["seconds"] else 0.0
        base_rps = results["/healthz"]["rps"] or 1.0
        nginx_rps = results.get("/healthz via nginx", {}).get("rps") or 1.0
        table = {
            name: {"path": routes[name][0], "rps": round(r["rps"], 1),
                   "p50_ms": round(statistics.median(r["p50s"]), 2),
                   "p99_ms": round(max(r["p99s"]), 2),
                   "errors": int(r["errors"] + light[name]["errors"]),
                   "requests": int(r["requests"]),
                   "ratio": round(r["rps"] / (nginx_rps if "nginx" in name else base_rps), 3),
                   "p50_ms_unqueued": round(light[name]["p50_ms"], 2),
                   "p99_ms_unqueued": round(light[name]["p99_ms"], 2)}
            for name, r in ((n, results[n]) for n in routes)
        }
        return {"benchmark": "http", **info, "tool": tool, "workers": workers,
                "connections": connections, "duration_s": duration,
                "nginx": proxy is not None, "load_average_1m": round(os.getloadavg()[0], 2),
                "routes": table}
    finally:
        if proxy is not None:
            proxy.stop()
        if proxy_dir is not None:
            proxy_dir.cleanup()
        if server is not None:
            server.stop()
        if schema is not None:
            _drop_schema(*schema)
        elif database and built:
            _empty(uri)
        if tmp is not None:
            tmp.cleanup()


def print_table(result: dict[str, Any], echo) -> None:
    echo(f"{'route':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'ratio':>8}"
         f"{'p99 ms, 1 conn/worker':>24}")
    for name, r in result["routes"].items():
        echo(f"{name:<20}{r['rps']:>10}{r['p50_ms']:>10}{r['p99_ms']:>10}{r['errors']:>8}"
             f"{r['ratio']:>8}{r['p99_ms_unqueued']:>24}")
    echo(json.dumps(result, ensure_ascii=False))
