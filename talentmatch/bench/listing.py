"""`flask bench listing`: the public listing at national scale.

Builds a throwaway database (a temporary SQLite file, or the configured
TALENTMATCH_DATABASE_URL with --database, which must hold no postings and is emptied of them
afterwards) with the master data and 20,000 postings of realistic, varied content — half of
them public, the rest drafts, in review, closed or withdrawn — then times the listing with
filters and Japanese keywords and a posting page through the app's test client, and the
same listing queries directly in SQL. Prints JSON figures as its last line.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from talentmatch.postings.services import posting_search_text

# Listing requests timed (filters and a keyword each; scripts and widths vary as people type).
QUERIES = (
    "q=セキュリティ&remote=partial",
    "q=さっぽろ",
    "prefecture=13&q=データ分析",
    "focus_area=ai_rpa&q=RPA導入",
    "employment_type=outsourcing&q=せきゅりてぃ&side_job=1",
    "q=ｸﾗｳﾄﾞ&sort=newest&page=2",
    "prefecture=27&employment_type=special_part_time&q=DX推進",
    "q=情報セキュリテイ&joint=1",
)

_TITLES = ("CIO補佐官", "DX推進アドバイザー", "最高情報セキュリティアドバイザー", "デジタル化推進専門員",
           "情報政策アドバイザー", "データ利活用推進員", "DX推進プロデューサー", "ICTアドバイザー",
           "自治体DXプロジェクトマネージャー", "行政手続オンライン化推進員", "デジタル戦略監",
           "情報システム標準化推進アドバイザー")
_ORGS = ("市長を本部長とするDX推進本部", "デジタル推進課（6名）", "企画政策課内のDX推進室",
         "全庁横断のDX推進委員会", "情報政策課と各課のDX推進リーダー")
_CIO = ("副市長", "副町長", "副村長", "総務部長", "企画部長", "")
_DUTY_TEMPLATES = (
    "{a}に関する助言と、{b}の企画・推進を担っていただきます。庁内の関係課と連携し、{c}にも取り組みます。",
    "本市の{a}を進めるため、{b}の計画策定から実行まで伴走支援をお願いします。職員向けに{c}の研修も実施します。",
    "{a}と{b}について、現状分析・課題整理・ロードマップ作成を行います。{c}の調達仕様書の確認も含みます。",
    "地域の{a}推進に向け、{b}の導入効果の検証や{c}の仕組みづくりを担当します。",
)
_EXPERIENCE = ("ICTを活用した業務改革を担った経験", "自治体または民間企業でのDX推進の実務経験",
               "情報システムの企画・調達・運用管理の経験", "データ分析に基づく政策立案の支援経験",
               "セキュリティポリシーの策定・運用の経験")
_EMPLOYMENT = (("special_part_time", 55), ("outsourcing", 25), ("fiscal_year_appointee", 12),
               ("full_time_staff", 8))
_REMOTE = (("partial", 55), ("full", 15), ("none", 30))
_JOINT = (("none", 70), ("wished", 20), ("joint", 10))
_UNITS = (("month", 200_000, 600_000), ("day", 20_000, 60_000), ("hour", 3_000, 10_000),
          ("year", 3_000_000, 9_000_000), ("contract", 1_000_000, 12_000_000))
_FOCUS = ("standardization", "my_number_card", "online_procedures", "ai_rpa", "telework",
          "security", "dx_strategy", "organization", "talent_development", "bpr",
          "data_utilization", "regional_digitalization", "digital_divide")
# Non-public states, roughly as a year of real workflow leaves them.
_HIDDEN_STATES = (("draft", 30), ("submitted", 15), ("returned", 10), ("relayed", 10),
                  ("closed", 25), ("withdrawn", 10))


def _pick(rng: random.Random, weighted: tuple) -> Any:
    values = [w[0] for w in weighted]
    weights = [w[-1] if len(w) == 2 else 1 for w in weighted]
    return rng.choices(values, weights=weights, k=1)[0]


class Generator:
    """Varied posting content: skills from the vocabulary (names and synonyms, as clerks
    write them), municipalities weighted towards cities, conditions in real proportions."""

    def __init__(self, places: list[tuple[str, str, str, str, str]], seed: int = 7) -> None:
        from talentmatch.professionals.vocabulary import load_vocabulary

        self.rng = random.Random(seed)
        vocab = load_vocabulary()
        self.skill_terms = [t for s in vocab.skills.values() for t in (s.ja, *s.synonyms[:2])]
        self.places = places  # (code, prefecture_code, name, kana, prefecture name)
        weights = {"designated_city": 8, "city": 4, "special_ward": 3, "town": 1, "village": 1}
        self.place_weights = [weights.get(p[5], 1) for p in places]
        self.today = date.today()

    def revision(self, rid: int, pid: int, state: str, published: datetime | None) -> dict:
        rng = self.rng
        place = rng.choices(self.places, weights=self.place_weights, k=1)[0]
        code, pref, name, kana, pref_name, _kind = place
        a, b, c = rng.sample(self.skill_terms, 3)
        unit, low, high = rng.choice(_UNITS)
        focus = sorted(rng.sample(_FOCUS, rng.randint(1, 3)), key=_FOCUS.index)
        start = self.today + timedelta(days=rng.randint(30, 200))
        values: dict[str, Any] = {
            "id": rid, "posting_id": pid, "number": 1, "state": state,
            "municipality_code": code, "prefecture_code": pref,
            "title": rng.choice(_TITLES), "role_type": rng.choice(
                ("producer", "project_manager", "service_designer", "other")),
            "employment_type": _pick(rng, _EMPLOYMENT), "joint_wish": _pick(rng, _JOINT),
            "side_job_ok": rng.random() < 0.7, "focus_areas": focus,
            "duties": rng.choice(_DUTY_TEMPLATES).format(a=a, b=b, c=c),
            "required_experience": rng.choice(_EXPERIENCE),
            "required_skills": rng.sample(self.skill_terms, rng.randint(1, 4)),
            "preferred_skills": rng.sample(self.skill_terms, rng.randint(0, 3)),
            "preferred_qualifications": [],
            "days_per_month": float(rng.choice((2, 4, 4, 8, 10, 16, 20))),
            "hours_note": "9:00〜17:45（調整可）", "remote": _pick(rng, _REMOTE),
            "work_location": f"{name}役所", "compensation_amount": rng.randrange(low, high, 1000),
            "compensation_unit": unit, "expenses_note": "実費支給",
            "period_start": start, "period_end": start + timedelta(days=rng.randint(180, 730)),
            "deadline": self.today + timedelta(days=rng.randint(1, 120)),
            "selection_process": "書類選考の上、オンライン面接", "how_to_apply":
                f"https://www.city.example.lg.jp/{code}/recruit", "contact_department":
                "デジタル推進課", "contact_email": f"dx{code}@example.lg.jp",
            "contact_phone": "03-1234-5678", "dx_policy_status": rng.choice(
                ("adopted", "drafting", "none")), "dx_organization": rng.choice(_ORGS),
            "cio_title": rng.choice(_CIO), "pr_text": f"{name}で一緒に地域のDXを進めましょう。",
            "title_en": "", "summary_en": "", "publication_channels": ["job_sites"],
            "published_at": published,
            "focus_key": "|" + "".join(f"{f}|" for f in focus), "advice_codes": [],
        }
        # The fields the postings service indexes for keyword search.
        values["search_text"] = posting_search_text(
            values, SimpleNamespace(name=name, name_kana=kana, prefecture_name=pref_name))
        return values


def populate(n: int, seed: int = 7) -> dict[str, int]:
    """Insert n postings (half public) with Core bulk inserts; returns counts."""
    from talentmatch.extensions import db
    from talentmatch.geo.models import Municipality, Prefecture
    from talentmatch.postings.models import Posting, PostingRevision

    rows = db.session.execute(
        select(Municipality.code, Municipality.prefecture_code, Municipality.name,
               Municipality.name_kana, Prefecture.name, Municipality.kind).join(Prefecture)
    ).all()
    gen = Generator([tuple(r) for r in rows], seed)
    rng = gen.rng
    now = datetime.now(UTC)
    postings: list[dict] = []
    revisions: list[dict] = []
    links: list[dict] = []
    for i in range(1, n + 1):
        public = i % 2 == 0
        state = "published" if public else _pick(rng, _HIDDEN_STATES)
        published = now - timedelta(minutes=rng.randint(10, 180 * 24 * 60)) \
            if state in ("published", "closed") else None
        rev = gen.revision(i, i, "closed" if state == "closed" else state, published)
        status = {"closed": "closed", "withdrawn": "withdrawn"}.get(state, "open")
        postings.append({"id": i, "municipality_code": rev["municipality_code"],
                         "prefecture_code": rev["prefecture_code"], "status": status,
                         "first_published_at": published, "created_at": now, "updated_at": now})
        revisions.append(rev)
        link = {"id": i, "current_revision_id": i}
        if published is not None:
            link["published_revision_id"] = i
        links.append(link)
    for start in range(0, n, 2000):
        db.session.execute(insert(Posting), postings[start:start + 2000])
        db.session.execute(insert(PostingRevision), revisions[start:start + 2000])
    db.session.execute(update(Posting), [lk for lk in links if "published_revision_id" in lk])
    db.session.execute(update(Posting), [lk for lk in links if "published_revision_id" not in lk])
    db.session.commit()
    public_n = db.session.scalar(
        select(func.count()).select_from(Posting).where(Posting.status == "open",
                                                       Posting.published_revision_id.is_not(None)))
    return {"postings": n, "public": int(public_n or 0)}


_cpu: list[float] = []


def _ms(fn: Callable[[], Any]) -> float:
    """Wall-clock milliseconds of fn(); its CPU milliseconds go to _cpu (on a shared
    machine the CPU figure shows the work itself, the wall figure includes waiting)."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    fn()
    elapsed = (time.perf_counter() - t0) * 1000
    _cpu.append((time.process_time() - c0) * 1000)
    return elapsed


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure(app, rounds: int) -> dict[str, Any]:
    from werkzeug.datastructures import MultiDict

    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting
    from talentmatch.publication import search
    from talentmatch.publication.filters import parse_filters

    client = app.test_client()
    with app.app_context():
        ids = list(db.session.scalars(
            select(Posting.id).where(Posting.status == "open",
                                     Posting.published_revision_id.is_not(None))))
    rng = random.Random(11)
    for url in ("/", "/postings", *[f"/postings?{q}" for q in QUERIES]):  # warm up
        for _ in range(3):
            assert client.get(url).status_code == 200, url
    for _ in range(5):
        client.get(f"/postings/{rng.choice(ids)}")

    gc.collect()
    listing: list[float] = []
    listing_cpu: list[float] = []
    posting: list[float] = []
    for _ in range(rounds):
        for q in QUERIES:
            listing.append(_ms(lambda q=q: client.get(f"/postings?{q}")))
            listing_cpu.append(_cpu[-1])
        for _ in range(3):
            pid = rng.choice(ids)
            posting.append(_ms(lambda pid=pid: client.get(f"/postings/{pid}")))

    # The same listing queries without Flask and templates: keyword index, counts and one
    # page of rows, as `publication.search.listing` runs them.
    sql: list[float] = []
    with app.app_context():
        prepared = []
        for q in QUERIES:
            f, errors = parse_filters(MultiDict(_pairs(q)))
            assert not errors, errors
            prepared.append(f)
        for _ in range(rounds):
            for f in prepared:
                sql.append(_ms(lambda f=f: search.listing(f)))
        db.session.remove()

    listing_median = statistics.median(listing)
    sql_median = statistics.median(sql)
    return {
        "listing_median_ms": round(listing_median, 2),
        "listing_p95_ms": round(_p95(listing), 2),
        "posting_median_ms": round(statistics.median(posting), 2),
        "sql_median_ms": round(sql_median, 2),
        "overhead_ratio": round(listing_median / sql_median, 2) if sql_median else None,
        "listing_cpu_median_ms": round(statistics.median(listing_cpu), 2),
        "listing_cpu_p95_ms": round(_p95(listing_cpu), 2),
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "listing_requests": len(listing),
        "posting_requests": len(posting),
    }


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def run(*, use_configured_db: bool = False, postings: int = 20_000, rounds: int = 20) -> dict:
    from talentmatch.bench.throwaway import throwaway_app
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.publication import search

    with throwaway_app(configured=use_configured_db) as bench:
        app = bench.app
        try:
            with app.app_context():
                dialect = db.engine.dialect.name
                if db.session.scalar(select(func.count()).select_from(Posting)):
                    raise SystemExit("refused: the database already holds postings; "
                                     "benchmark an empty database")
                t0 = time.perf_counter()
                counts = populate(postings)
                search.snapshots.reset()
                if dialect == "sqlite":
                    db.session.execute(db.text("ANALYZE"))
                elif dialect == "postgresql":
                    db.session.execute(db.text("ANALYZE posting_revision"))
                    db.session.execute(db.text("ANALYZE posting"))
                db.session.commit()
                build_s = time.perf_counter() - t0
                db.session.remove()
            figures = measure(app, rounds)
        finally:
            if use_configured_db:
                with app.app_context():
                    db.session.execute(update(Posting).values(current_revision_id=None,
                                                              published_revision_id=None))
                    db.session.execute(delete(PostingRevision))
                    db.session.execute(delete(Posting))
                    db.session.commit()
                    db.session.remove()
    return {"benchmark": "listing", "database": dialect, **counts,
            "build_s": round(build_s, 1), "rounds": rounds, **figures}
