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

import http.client
import json
import os
import shutil
import statistics
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talentmatch.bench.gunicorn import Server
from talentmatch.bench.load import run_python, run_wrk
from talentmatch.bench.throwaway import drop_schema, pg_schema
from talentmatch.config import ROOT, database_url

# The routes loaded, each for --duration seconds. The listing is read with filters and a
# Japanese keyword, as people search it.
LISTING_QUERY = "q=" + urllib.parse.quote("セキュリティ") + "&remote=partial&sort=newest"
API_QUERY = "prefecture=13&q=" + urllib.parse.quote("データ分析")


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
        # Bulk inserts skip the save hook: store the compiled rows as `flask match recompile`
        # does after an upgrade, so the server's master builds its index as production does.
        from talentmatch.matching.stored_rows import recompile

        recompile()
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


BASELINES = ("/healthz", "/healthz via nginx")
METHODS = {"view beacon": "POST"}
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


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
        uri, schema = pg_schema(database_url(database))
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
            "posting": (f"/postings/{info['posting_id']}", {}),
            # What a reader's browser sends after the posting page loads: one upsert of the
            # posting's counter for the day (insights/views.py).
            "view beacon": (f"/postings/{info.pop('posting_id')}/view",
                            {"User-Agent": BROWSER_UA}),
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
            load(bases[name] + path, 1, 2, headers, method=METHODS.get(name, "GET"))
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
                                              connections, headers,
                                              method=METHODS.get(which, "GET")))
        # Latency without queueing: one connection per worker (with 16 connections on 2
        # workers a request waits for ~8 others, so its p99 is mostly queue).
        light = {name: load(bases[name] + path, max(2, duration // 2), workers, headers,
                            method=METHODS.get(name, "GET"))
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
            drop_schema(*schema)
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
