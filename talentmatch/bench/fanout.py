"""`flask bench fanout`: one publication announced to 100,000 subscribers.

Builds a throwaway SQLite database (temporary file) with the master data, one published
posting (a security-minded CIO adviser in Sapporo) and 100,000 subscriptions with a
realistic mix of saved searches: prefectures weighted by population, municipalities, focus
areas, employment types, remote and side-job conditions, Japanese keywords as people type
them (hiragana, half-width, English synonyms, typos, place names), frequencies, languages,
professionals and visitors, some unconfirmed or unsubscribed. ``--scenario broad`` makes
every subscription an immediate match (the worst case for rendering and inserts).

Times the registered "posting.published" handler expanding the event into messages —
prefilter, matching, rendering and the inserts, committed — then runs it again (idempotent:
nothing new). Prints JSON figures as its last line.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from talentmatch import vocab

SEED = 20261126
POSTING_MUNICIPALITY = "011002"  # 札幌市

# Prefecture weights roughly by population (millions), so Tokyo and Osaka dominate.
_POPULATION = (5.1, 1.2, 1.2, 2.3, 0.9, 1.0, 1.8, 2.8, 1.9, 1.9, 7.3, 6.3, 14.0, 9.2, 2.2,
               1.0, 1.1, 0.8, 0.8, 2.0, 1.9, 3.6, 7.5, 1.7, 1.4, 2.5, 8.8, 5.4, 1.3, 0.9, 0.5,
               0.7, 1.9, 2.8, 1.3, 0.7, 0.9, 1.3, 0.7, 5.1, 0.8, 1.3, 1.7, 1.1, 1.1, 1.6, 1.5)
_PREFS = vocab.PREFECTURE_CODES
_EMPLOYMENT = vocab.values(vocab.EMPLOYMENT_TYPES)
_FOCUS = vocab.values(vocab.FOCUS_AREAS)
# Keywords as subscribers type them: scripts, widths, synonyms, typos, places, pairs.
_KEYWORDS = (
    "セキュリティ", "せきゅりてぃ", "ｾｷｭﾘﾃｨ", "情報セキュリティ", "情報セキュリテイ", "security",
    "CIO補佐官", "ＣＩＯ補佐官", "cio", "DX推進", "ＤＸ推進", "データ利活用", "データ分析",
    "ガバメントクラウド", "クラウド", "くらうど", "RPA", "AI", "生成AI", "標準化", "BPR", "業務改革",
    "マイナンバー", "テレワーク", "プロジェクト管理", "PMO", "札幌", "さっぽろ", "Sapporo", "北海道",
    "福岡", "大阪", "東京", "横浜", "仙台", "セキュリティ 札幌", "DX 北海道", "クラウド セキュリティ",
    "アドバイザー", "副業", "リモート", "自治体DX", "オンライン申請", "ノーコード", "ネットワーク",
)
_FIRST_NAMES = ("太郎", "花子", "健", "美咲", "翔", "陽菜", "大輔", "さくら", "拓海", "結衣")
_LAST_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")


def _posting_values(today: date) -> dict[str, Any]:
    return {
        "title": "CIO補佐官（情報セキュリティ・クラウド）", "role_type": "project_manager",
        "employment_type": "special_part_time", "joint_wish": "none", "side_job_ok": True,
        "focus_areas": ["security", "standardization", "dx_strategy"],
        "duties": "ガバメントクラウド移行と情報セキュリティ対策の強化について、全庁への助言と"
                  "職員研修を担っていただきます。", "required_experience":
                  "ICTを活用した業務改革を担った経験",
        "required_skills": ["情報セキュリティ", "クラウド", "プロジェクト管理"],
        "preferred_skills": ["BPR"], "preferred_qualifications": ["情報処理安全確保支援士"],
        "days_per_month": 4.0, "hours_note": "", "remote": "partial",
        "work_location": "札幌市役所本庁舎", "compensation_amount": 50_000,
        "compensation_unit": "day", "expenses_note": "", "period_start": today + timedelta(60),
        "period_end": today + timedelta(425), "deadline": today + timedelta(30),
        "selection_process": "書類選考、面接", "how_to_apply": "https://www.city.sapporo.jp/",
        "contact_department": "デジタル戦略推進局", "contact_email": "dx@city.sapporo.example.jp",
        "contact_phone": "011-211-2111", "dx_policy_status": "adopted", "dx_organization": "",
        "cio_title": "副市長", "pr_text": "", "title_en": "CIO adviser (security and cloud)",
        "summary_en": "Advise Sapporo on its move to the Government Cloud and on security.",
        "publication_channels": ["job_sites"],
    }


def publish_posting() -> tuple[int, int]:
    """One published posting, written the way the publish service leaves it."""
    from talentmatch.clock import today_jst
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.postings.services import refresh_derived

    today = today_jst()
    now = datetime.now(UTC)
    posting = Posting(municipality_code=POSTING_MUNICIPALITY, prefecture_code="01",
                      status="open", first_published_at=now)
    rev = PostingRevision(number=1, state="published", municipality_code=POSTING_MUNICIPALITY,
                          prefecture_code="01", published_at=now, **_posting_values(today))
    refresh_derived(rev, today)
    posting.revisions.append(rev)
    db.session.add(posting)
    db.session.flush()
    posting.current_revision = rev
    posting.published_revision = rev
    db.session.commit()
    return posting.id, rev.id


class Population:
    """Saved searches in real proportions (reproducible from the seed)."""

    def __init__(self, scenario: str, municipalities: list[str], seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.broad = scenario == "broad"
        self.hokkaido = [m for m in municipalities if m.startswith("01")]
        self.others = municipalities

    def search(self) -> dict[str, Any]:
        rng = self.rng
        from talentmatch.subscriptions.matching import SearchFilters

        if self.broad:  # every one matches the Sapporo posting, half with a keyword
            f = SearchFilters(prefectures=("01",) if rng.random() < 0.5 else (),
                              q=rng.choice(("", "セキュリティ", "せきゅりてぃ", "ｸﾗｳﾄﾞ", "札幌")))
        else:
            roll = rng.random()
            prefectures: tuple[str, ...] = ()
            if roll < 0.45:
                prefectures = (rng.choices(_PREFS, weights=_POPULATION)[0],)
            elif roll < 0.55:
                prefectures = tuple(sorted(set(rng.choices(_PREFS, weights=_POPULATION, k=3))))
            municipality = None
            if rng.random() < 0.03:
                municipality = rng.choice(self.hokkaido if rng.random() < 0.3 else self.others)
                prefectures = ()
            employment = tuple(sorted(set(rng.sample(_EMPLOYMENT, rng.randint(1, 2))))) \
                if rng.random() < 0.4 else ()
            focus = tuple(sorted(set(rng.sample(_FOCUS, rng.randint(1, 3))))) \
                if rng.random() < 0.45 else ()
            remote = rng.choice(("partial", "full")) if rng.random() < 0.2 else None
            q = ""
            if rng.random() < 0.6:
                q = rng.choice(_KEYWORDS)
                if rng.random() < 0.15:  # a long tail of individual queries
                    q = f"{q} {rng.choice(_KEYWORDS)}{rng.randint(1, 999)}"
            f = SearchFilters(prefectures=prefectures, municipality=municipality,
                              employment_types=employment, focus_areas=focus, remote=remote,
                              joint=rng.random() < 0.03, side_job=rng.random() < 0.1, q=q)
        return {
            "prefectures": list(f.prefectures), "municipality": f.municipality,
            "employment_types": list(f.employment_types), "focus_areas": list(f.focus_areas),
            "remote": f.remote, "joint": f.joint, "side_job": f.side_job, "q": f.q,
            "prefecture_mask": f.prefecture_mask, "employment_mask": f.employment_mask,
            "focus_mask": f.focus_mask,
        }


def populate(n: int, scenario: str) -> dict[str, int]:
    """n subscriptions: 70 % professionals (1–3 saved searches each), 30 % visitors."""
    from talentmatch.accounts.models import User
    from talentmatch.extensions import db
    from talentmatch.geo.models import Municipality
    from talentmatch.subscriptions.models import Subscription

    codes = list(db.session.scalars(select(Municipality.code).where(Municipality.kind != "prefecture")))
    pop = Population(scenario, codes)
    rng = pop.rng
    now = datetime.now(UTC)
    created = now - timedelta(days=10)
    users: list[dict] = []
    subs: list[dict] = []
    uid = 0
    while len(subs) < n:
        guest = rng.random() < 0.3
        owner: dict[str, Any] = {}
        if guest:
            owner = {"email": f"guest{len(subs)}@mail.example.jp", "user_id": None}
            count = 1
        else:
            uid += 1
            users.append({"id": uid, "email": f"pro{uid}@example.jp", "role": "professional",
                          "display_name": f"{rng.choice(_LAST_NAMES)} {rng.choice(_FIRST_NAMES)}",
                          "password_hash": "", "locale": "en" if rng.random() < 0.15 else "ja",
                          "active": True, "email_confirmed_at": created, "created_at": created,
                          "updated_at": created})
            owner = {"user_id": uid, "email": None}
            count = rng.choice((1, 1, 1, 2, 2, 3))
        for _ in range(min(count, n - len(subs))):
            frequency = "immediately" if pop.broad else rng.choices(
                ("immediately", "daily", "weekly"), weights=(60, 30, 10))[0]
            confirmed = pop.broad or not guest or rng.random() < 0.9
            unsubscribed = not pop.broad and rng.random() < 0.05
            subs.append({
                **owner, **pop.search(), "frequency": frequency,
                "locale": users[-1]["locale"] if not guest else ("en" if rng.random() < 0.1 else "ja"),
                "confirmed_at": created if confirmed else None,
                "unsubscribed_at": now if unsubscribed else None,
                "created_at": created, "updated_at": created,
            })
    for i in range(0, len(users), 5000):
        db.session.execute(insert(User), users[i:i + 5000])
    for i in range(0, len(subs), 5000):
        db.session.execute(insert(Subscription), subs[i:i + 5000])
    db.session.commit()
    return {"subscriptions": len(subs), "professionals": len(users),
            "distinct_keyword_queries": len({s["q"] for s in subs if s["q"]})}


def measure(posting_id: int, revision_id: int) -> dict[str, Any]:
    from talentmatch.extensions import db
    from talentmatch.notifications import events
    from talentmatch.notifications.models import OutboxBody, OutboxMessage
    from talentmatch.subscriptions import fanout
    from talentmatch.subscriptions.models import DigestItem

    event = events.emit(fanout.EVENT, {"posting_id": posting_id, "revision_id": revision_id,
                                       "revision_number": 1, "is_update": False})
    db.session.commit()
    handler = events.handler_for(fanout.EVENT)
    # The keyword lexicon is built once per worker process, not per event: not timed.
    fanout.keyword_check("")("セキュリティ")
    fanout._keyword_query.cache_clear()

    t0, c0 = time.perf_counter(), time.process_time()
    result = handler(event)
    db.session.commit()
    expand_s = time.perf_counter() - t0
    expand_cpu_s = time.process_time() - c0
    t1 = time.perf_counter()
    handler(event)  # a re-run after a crash: nothing new
    db.session.commit()
    rerun_s = time.perf_counter() - t1

    def count(model) -> int:
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)

    messages = count(OutboxMessage)
    # The bodies a recipient reads (stored once per template, language and revision).
    sizes = db.session.execute(select(func.avg(func.length(OutboxBody.text_body)),
                                      func.avg(func.length(OutboxBody.html_body)))).one()
    return {
        "expand_s": round(expand_s, 3),
        # CPU time of this process: on a busy server the wall time above includes waiting.
        "expand_cpu_s": round(expand_cpu_s, 3),
        "match_s": round(result.match_s, 3),
        "render_s": round(result.render_s, 3),
        "insert_s": round(result.insert_s, 3),
        "commit_s": round(expand_s - result.match_s - result.render_s - result.insert_s, 3),
        "messages": messages,
        "messages_per_s": round(messages / expand_s) if expand_s else None,
        "candidates_after_sql_prefilter": result.candidates,
        "digest_items": count(DigestItem),
        "rerun_s": round(rerun_s, 3),
        "rerun_new_messages": count(OutboxMessage) - messages,
        "bodies_stored": count(OutboxBody),
        "avg_text_chars": round(float(sizes[0] or 0)),
        "avg_html_chars": round(float(sizes[1] or 0)),
    }


def run(*, subscriptions: int = 100_000, scenario: str = "mixed") -> dict[str, Any]:
    from talentmatch.bench.throwaway import throwaway_app

    with throwaway_app(prefix="tm-bench-fanout-") as bench:
        bench.app.config["MAIL_DIR"] = str(bench.folder / "mail")
        with bench.app.app_context():
            t0 = time.perf_counter()
            posting_id, revision_id = publish_posting()
            counts = populate(subscriptions, scenario)
            setup_s = time.perf_counter() - t0
            figures = measure(posting_id, revision_id)
    return {"benchmark": "fanout", "database": "sqlite", "scenario": scenario,
            **counts, "setup_s": round(setup_s, 1), **figures,
            "load_avg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
