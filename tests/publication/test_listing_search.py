"""The public listing: filters, Japanese-aware keywords, sort, pagination and per-option counts
— through the JSON API and the HTML page, checked against what the test data says."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import or_, select

from talentmatch.extensions import db
from talentmatch.publication import search
from talentmatch.publication.filters import FACETS, ListingFilters
from talentmatch.text import escape_like
from tests.support.factories import make_posting

SAPPORO, HAKODATE, CHIYODA, HACHIOJI, OSAKA, NAHA = (
    "011002", "012025", "131016", "132012", "271004", "472018")


def ids(client, query: str = "") -> list[int]:
    """Posting ids the API returns for a listing query, in order (all pages)."""
    out: list[int] = []
    page = 1
    while True:
        sep = "&" if query else ""
        resp = client.get(f"/api/v1/postings?{query}{sep}per_page=100&page={page}")
        assert resp.status_code == 200, resp.get_json()
        data = resp.get_json()
        out += [item["id"] for item in data["items"]]
        if page >= data["pages"]:
            return out
        page += 1


@pytest.fixture
def world(app):
    """A varied set of public postings, plus some that must never show."""
    with app.app_context():
        p = {
            "sapporo_sec": make_posting(
                SAPPORO, title="情報セキュリティアドバイザー", required_skills=["情報セキュリティ"],
                employment_type="special_part_time", focus_areas=["security"], remote="partial",
                joint_wish="none", side_job_ok=True),
            "hakodate_dx": make_posting(
                HAKODATE, title="DX推進アドバイザー", duties="業務改革とRPAの導入を支援します。",
                employment_type="outsourcing", focus_areas=["bpr", "ai_rpa"], remote="full",
                joint_wish="joint", side_job_ok=True),
            "chiyoda_data": make_posting(
                CHIYODA, title="データ利活用推進員", duties="オープンデータの公開とデータ分析を担います。",
                employment_type="fiscal_year_appointee", focus_areas=["data_utilization"],
                remote="none", joint_wish="wished", side_job_ok=False),
            "hachioji_cio": make_posting(
                HACHIOJI, title="CIO補佐官", employment_type="special_part_time",
                focus_areas=["dx_strategy", "security"], remote="partial", joint_wish="joint",
                side_job_ok=True),
            "osaka_full": make_posting(
                OSAKA, title="デジタル戦略監", employment_type="full_time_staff",
                focus_areas=["dx_strategy"], remote="none", side_job_ok=False),
            "naha_percent": make_posting(
                NAHA, title="達成率100%の窓口改革_担当", duties="住民の声を'聞く'窓口を作ります。",
                employment_type="special_part_time", focus_areas=["online_procedures"],
                remote="full", side_job_ok=None),
        }
        make_posting(SAPPORO, state="draft", title="下書きのセキュリティ案件")
        make_posting(CHIYODA, state="relayed", title="中継済みのセキュリティ案件")
        make_posting(HAKODATE, state="closed", title="終了したセキュリティ案件")
        make_posting(NAHA, state="withdrawn", title="取り下げたセキュリティ案件")
        yield {k: v.id for k, v in p.items()}


def test_every_filter_narrows_to_exactly_its_postings(client, world):
    w = world
    assert sorted(ids(client)) == sorted(w.values())
    cases = {
        "prefecture=01": {"sapporo_sec", "hakodate_dx"},
        "prefecture=13": {"chiyoda_data", "hachioji_cio"},
        f"municipality={HAKODATE}": {"hakodate_dx"},
        "employment_type=special_part_time": {"sapporo_sec", "hachioji_cio", "naha_percent"},
        "employment_type=full_time_staff": {"osaka_full"},
        "focus_area=security": {"sapporo_sec", "hachioji_cio"},
        "focus_area=ai_rpa": {"hakodate_dx"},
        "remote=full": {"hakodate_dx", "naha_percent"},
        "remote=none": {"chiyoda_data", "osaka_full"},
        "joint=1": {"hakodate_dx", "hachioji_cio"},
        "side_job=1": {"sapporo_sec", "hakodate_dx", "hachioji_cio"},
        "prefecture=13&joint=1": {"hachioji_cio"},
        "prefecture=01&remote=partial&side_job=1": {"sapporo_sec"},
        "prefecture=47&employment_type=outsourcing": set(),
    }
    for query, expected in cases.items():
        assert set(ids(client, query)) == {w[k] for k in expected}, query


@pytest.mark.parametrize("q", [
    "セキュリティ",          # katakana
    "せきゅりてぃ",          # hiragana
    "ｾｷｭﾘﾃｨ",              # half-width katakana
    "ＳＥＣＵＲＩＴＹ",        # full-width latin, synonym
    "情報セキュリテイ",       # typo (イ for ィ)
])
def test_keyword_in_any_script_finds_the_security_posting(client, world, q):
    # Drafts, relayed, closed and withdrawn postings mention セキュリティ too: never shown.
    assert ids(client, f"q={q}") == [world["sapporo_sec"]]


def test_keywords_without_spaces_and_place_readings(client, world):
    w = world
    # "札幌市セキュリティ" has no space: segmented into the place and the skill (AND).
    assert ids(client, "q=札幌市セキュリティ") == [w["sapporo_sec"]]
    assert ids(client, "q=さっぽろ") == [w["sapporo_sec"]]
    assert ids(client, "q=はこだて ＲＰＡ") == [w["hakodate_dx"]]
    assert set(ids(client, "q=ほっかいどう")) == {w["sapporo_sec"], w["hakodate_dx"]}
    assert ids(client, "q=データ分析") == [w["chiyoda_data"]]
    assert ids(client, "q=存在しない言葉ですよ") == []


@pytest.mark.parametrize("q,expected", [
    ("%", ["naha_percent"]), ("100%", ["naha_percent"]), ("_", ["naha_percent"]),
    ("改革_担当", ["naha_percent"]), ("'", ["naha_percent"]), ("'聞く'", ["naha_percent"]),
    ("%%%%", []), ("__", []), ("\\", []), ("' OR 1=1 --", []),
])
def test_wildcards_and_quotes_are_literal(client, world, q, expected):
    from urllib.parse import quote

    assert ids(client, f"q={quote(q)}") == [world[k] for k in expected]


def test_sort_by_deadline_and_by_newest(client, app):
    today = date.today()
    now = datetime.now(UTC)
    with app.app_context():
        a = make_posting(SAPPORO, deadline=today + timedelta(days=40),
                         published_at=now - timedelta(days=1)).id
        b = make_posting(SAPPORO, deadline=today + timedelta(days=10),
                         published_at=now - timedelta(days=5)).id
        c = make_posting(SAPPORO, deadline=today + timedelta(days=20),
                         published_at=now - timedelta(hours=1)).id
        d = make_posting(SAPPORO, deadline=today + timedelta(days=10),
                         published_at=now - timedelta(days=2)).id
    # Same deadline: the newer one first.
    assert ids(client) == [d, b, c, a]
    assert ids(client, "sort=deadline") == [d, b, c, a]
    assert ids(client, "sort=newest") == [c, a, d, b]
    html = client.get("/postings?sort=newest").get_data(as_text=True)
    positions = [html.index(f'href="/postings/{i}"') for i in (c, a, d, b)]
    assert positions == sorted(positions)


def test_pagination_of_the_html_listing(client, app):
    today = date.today()
    with app.app_context():
        made = [make_posting(CHIYODA, title=f"求人{i:02d}", deadline=today + timedelta(days=i + 1)).id
                for i in range(45)]
    page = client.get("/postings?page=3").get_data(as_text=True)
    shown = [int(x) for x in re.findall(r'<h3><a href="/postings/(\d+)">', page)]
    assert shown == made[40:45]
    assert "45" in page and 'aria-current="page">3<' in page
    first = client.get("/postings").get_data(as_text=True)
    assert [int(x) for x in re.findall(r'<h3><a href="/postings/(\d+)">', first)] == made[:20]
    assert 'href="/postings?page=2" rel="next"' in first
    client.set_cookie("tm_lang", "en")
    beyond = client.get("/postings?page=9").get_data(as_text=True)
    assert "/postings/" + str(made[0]) not in beyond
    assert "past the end" in beyond
    api = client.get("/api/v1/postings?per_page=20&page=3").get_json()
    assert (api["total"], api["pages"], [i["id"] for i in api["items"]]) == (45, 3, made[40:45])


def _independent_counts(rows, f: ListingFilters) -> dict[str, dict[str, int]]:
    """Per facet and option: rows meeting every other filter and that option (plain Python
    over the test data, no shared code with the listing)."""
    def meets(row, facet, value):
        if facet == "focus_area":
            return value in row["focus_areas"]
        if facet == "joint":
            return row["joint_wish"] == "joint"
        if facet == "side_job":
            return row["side_job_ok"] is True
        return row[facet] == value

    active = {k: ("1" if getattr(f, k) is True else getattr(f, k)) for k in FACETS if getattr(f, k)}
    out: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        others = [r for r in rows if all(meets(r, k, v) for k, v in active.items() if k != facet)]
        tally: dict[str, int] = {}
        for r in others:
            if facet == "focus_area":
                values = r["focus_areas"]
            elif facet in ("joint", "side_job"):
                values = ["1"] if meets(r, facet, "1") else []
            else:
                values = [r[facet]]
            for v in values:
                tally[v] = tally.get(v, 0) + 1
        out[facet] = tally
    return out


def test_counts_per_option_match_independent_counts(app, world):
    with app.app_context():
        rows = []
        for pid in world.values():
            from talentmatch.postings.models import Posting

            rev = db.session.get(Posting, pid).published_revision
            rows.append({"prefecture": rev.prefecture_code, "municipality": rev.municipality_code,
                         "employment_type": rev.employment_type, "focus_areas": rev.focus_areas,
                         "remote": rev.remote, "joint_wish": rev.joint_wish,
                         "side_job_ok": rev.side_job_ok})
        for f in (ListingFilters(), ListingFilters(prefecture="01"),
                  ListingFilters(prefecture="13", side_job=True),
                  ListingFilters(remote="full", focus_area="ai_rpa"),
                  ListingFilters(joint=True, employment_type="special_part_time"),
                  ListingFilters(municipality=HACHIOJI)):
            total, counts = search.counts(f)
            expected = _independent_counts(rows, f)
            for facet in FACETS:
                got = {k: v for k, v in counts[facet].items() if v}
                want = expected[facet]
                if facet == "municipality":
                    pref = f.prefecture or (f.municipality[:2] if f.municipality else None)
                    want = {k: v for k, v in want.items() if pref and k[:2] == pref}
                assert got == want, (f, facet)
            # The total: rows counted under their own prefecture with every filter applied.
            everything = _independent_counts(rows, f.with_(prefecture=None))["prefecture"]
            assert total == (everything.get(f.prefecture, 0) if f.prefecture
                             else sum(everything.values()))


def test_counts_are_shown_next_to_options(client, world):
    html = client.get("/postings?prefecture=01").get_data(as_text=True)
    assert re.search(r'<option value="01" selected>北海道 \(2\)</option>', html)
    assert re.search(r'<option value="13">東京都 \(2\)</option>', html)
    # Municipalities of the chosen prefecture with postings, each with its count.
    assert re.search(r'<option value="012025">函館市 \(1\)</option>', html)
    assert f'value="{CHIYODA}"' not in html
    assert re.search(r"2\s*件|2 postings found", html)


def _rules_in_sql(f: ListingFilters, kq) -> list:
    """The listing's rules written as SQL over the stored revision columns: the independent
    definition the listing must agree with. Keywords are escaped LIKE patterns (AND over the
    query's groups, OR over each group's alternatives), so `%`, `_` and quotes never widen."""
    from talentmatch.postings.models import PostingRevision as R

    conds = []
    if f.prefecture:
        conds.append(R.prefecture_code == f.prefecture)
    if f.municipality:
        conds.append(R.municipality_code == f.municipality)
    if f.employment_type:
        conds.append(R.employment_type == f.employment_type)
    if f.focus_area:
        conds.append(R.focus_key.like(f"%|{escape_like(f.focus_area)}|%", escape="\\"))
    if f.remote:
        conds.append(R.remote == f.remote)
    if f.joint:
        conds.append(R.joint_wish == "joint")
    if f.side_job:
        conds.append(R.side_job_ok.is_(True))
    conds += [or_(*(R.search_text.like(f"%{escape_like(alt)}%", escape="\\") for alt in group))
              for group in kq.groups]
    return conds


def test_the_listing_finds_exactly_what_its_rules_in_sql_select(app, world):
    """Every filter combination: the postings the listing hands its pages, exports and feeds
    (search.iter_entries) are those the rules written as SQL conditions select."""
    from talentmatch.postings.models import Posting

    options = {
        "prefecture": [None, "01", "13"], "employment_type": [None, "special_part_time"],
        "focus_area": [None, "security", "dx_strategy"], "remote": [None, "full", "partial"],
        "joint": [False, True], "side_job": [False, True],
        "q": ["", "セキュリティ", "dx", "%", "はこだて"],
    }
    with app.app_context():
        for combo in itertools.product(*options.values()):
            f = ListingFilters(**dict(zip(options, combo, strict=True)))
            listed = {entry.id for entry in search.iter_entries(f)}
            stmt = search.public_select(Posting.id).where(
                *_rules_in_sql(f, search.keyword_query(f.q)))
            assert listed == set(db.session.scalars(stmt)), f
        assert db.session.scalar(select(Posting.id).limit(1)) is not None


def test_html_listing_without_results_offers_help(client, world):
    html = client.get("/postings?q=存在しない言葉ですよ&prefecture=47").get_data(as_text=True)
    assert "no-results" in html
    assert 'href="/postings?prefecture=47"' in html  # remove the keyword
    assert 'href="/postings?q=' in html  # remove the prefecture


def test_invalid_filters_on_the_html_listing_are_ignored_and_explained(client, world):
    resp = client.get("/postings?prefecture=99&employment_type=boss&page=x")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "prefecture:" in html and "employment_type:" in html and "page:" in html
    assert len(re.findall(r'<h3><a href="/postings/\d+">', html)) == len(world)
