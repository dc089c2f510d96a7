"""Prefecture and national dashboards: figures recomputed independently with calculation.calculate,
and who may see which prefecture."""

from __future__ import annotations

import re
from collections import defaultdict

from talentmatch.subsidies import calculation
from talentmatch.subsidies.measures import seed_measures
from tests.support.factories import login, make_user
from tests.support.subsidies import (
    HAKODATE,
    MAKUBETSU,
    OTARU,
    SENDAI,
    SHIBUYA,
    master_lookup,
    parse_csv,
)

DATA = {
    HAKODATE: [
        {"id": "1", "date": "2022-05-10", "category": "recruitment", "amount": 900_000},
        {"id": "2", "date": "2022-08-10", "category": "recruitment", "amount": 400_001},  # over the cap
        {"id": "3", "fiscal_year": 2023, "category": "special_part_time_remuneration", "amount": 2_400_001},
        {"id": "4", "date": "2026-04-15", "category": "outsourcing_fee", "amount": 600_000},  # after the end
    ],
    OTARU: [
        {"id": "1", "fiscal_year": 2021, "category": "outsourcing_fee", "amount": 1_000_003},
        {"id": "2", "fiscal_year": 2023, "category": "full_time_salary", "amount": 6_000_000},
    ],
    MAKUBETSU: [{"id": "1", "fiscal_year": 2025, "category": "outsourcing_fee", "amount": 777_777}],
    SENDAI: [{"id": "1", "fiscal_year": 2023, "category": "outsourcing_fee", "amount": 3_000_000}],
    SHIBUYA: [{"id": "1", "fiscal_year": 2023, "category": "outsourcing_fee", "amount": 5_000_000}],
}


def _expected():
    """(code → {fy: grant}) straight from the pure calculator and the master CSV."""
    out = {}
    for code, lines in DATA.items():
        res = calculation.calculate({"municipality_code": code, "lines": lines}, master_lookup,
                                    measures=seed_measures())
        out[code] = {fy.fiscal_year: fy.grant for fy in res.fiscal_years}
    return out


def _load(add_lines):
    for code, lines in DATA.items():
        add_lines(code, lines)


def test_prefecture_dashboard_matches_independent_totals(app, ctx, add_lines):
    _load(add_lines)
    expected = _expected()
    client = app.test_client()
    login(client, make_user("prefecture", prefecture_code="01"))
    assert client.get("/subsidies/prefecture").headers["Location"].endswith("/subsidies/prefecture/01")
    r = client.get("/subsidies/prefecture/01")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    # The grant's bars, drawn by talentmatch.charts (class "ch-s1"), without inline styles.
    assert "<svg" in html and 'data-chart="grant-chart"' in html and 'class="ch-s1"' in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "仙台市" not in html and "渋谷区" not in html

    rows = parse_csv(client.get("/subsidies/prefecture/01.csv").data)
    got = defaultdict(dict)
    totals = {}
    for row in rows:
        if row["code"]:
            got[row["code"]][int(row["fiscal_year"])] = int(row["grant"])
        else:
            totals[int(row["fiscal_year"])] = int(row["grant"])
    hokkaido = {c: expected[c] for c in (HAKODATE, OTARU, MAKUBETSU)}
    assert dict(got) == hokkaido
    fy_totals = defaultdict(int)
    for per_fy in hokkaido.values():
        for fy, grant in per_fy.items():
            fy_totals[fy] += grant
    assert totals == dict(fy_totals)
    grand = sum(fy_totals.values())
    assert grand == 450_000 + 50_000 + 1_200_000 + 500_001 + 388_888
    from talentmatch.wareki import format_yen

    assert format_yen(grand) in html


def test_national_dashboard_matches_independent_totals(app, ctx, add_lines):
    _load(add_lines)
    expected = _expected()
    by_pref = defaultdict(lambda: defaultdict(int))
    by_fy = defaultdict(int)
    for code, per_fy in expected.items():
        for fy, grant in per_fy.items():
            by_pref[code[:2]][fy] += grant
            by_fy[fy] += grant

    client = app.test_client()
    login(client, make_user("ministry"))
    r = client.get("/subsidies/national")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<svg" in html
    for fy, grant in by_fy.items():
        from talentmatch.wareki import format_yen

        cell = re.search(rf'<tr data-fy="{fy}">.*?<td class="num grant">([^<]+)</td>', html, re.S)
        assert cell and cell[1] == format_yen(grant), fy
    rows = parse_csv(client.get("/subsidies/national.csv").data)
    got = defaultdict(dict)
    national = {}
    for row in rows:
        if row["code"]:
            got[row["code"]][int(row["fiscal_year"])] = int(row["grant"])
        else:
            national[int(row["fiscal_year"])] = int(row["grant"])
    assert got == {p: dict(v) for p, v in by_pref.items()}
    assert national == dict(by_fy)
    assert got["13"] == {2023: 0}  # a special ward's costs are shown, with no grant
    # The ministry may open any prefecture's dashboard.
    assert client.get("/subsidies/prefecture/04").status_code == 200
    assert client.get("/subsidies/prefecture").headers["Location"].endswith("/subsidies/national")


def test_dashboards_per_prefecture_access(app, ctx, add_lines):
    _load(add_lines)
    p = app.test_client()
    login(p, make_user("prefecture", prefecture_code="01"))
    assert p.get("/subsidies/prefecture/04").status_code == 403
    assert p.get("/subsidies/prefecture/04.csv").status_code == 403
    assert p.get("/subsidies/national").status_code == 403
    assert p.get("/subsidies/national.csv").status_code == 403
    assert p.get("/subsidies/prefecture/99").status_code == 404

    q = app.test_client()
    login(q, make_user("prefecture", prefecture_code="04"))
    html = q.get("/subsidies/prefecture/04").get_data(as_text=True)
    assert "仙台市" in html and "函館市" not in html

    for role, kw in (("municipality", {"municipality_code": HAKODATE}), ("professional", {})):
        c = app.test_client()
        login(c, make_user(role, **kw))
        assert c.get("/subsidies/prefecture/01").status_code == 403
        assert c.get("/subsidies/national").status_code == 403
    assert app.test_client().get("/subsidies/national").status_code == 302


def test_demo_data_fills_the_national_dashboard(app, ctx):
    from sqlalchemy import select

    from talentmatch import demo
    from talentmatch.demo import accounts as demo_accounts
    from talentmatch.demo import subsidies as demo_subsidies
    from talentmatch.extensions import db
    from talentmatch.subsidies import dashboards
    from talentmatch.subsidies.models import CostLine

    assert "talentmatch.demo.subsidies" in demo.STEPS
    world = demo.World()
    demo_accounts.load(world)
    demo_subsidies.load(world)
    summary = dashboards.national_summary("ja")
    assert summary.fiscal_years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert len(summary.rows) == 8  # every demo prefecture
    assert summary.by_fy[2026].grant == 0 and summary.by_fy[2026].amount > 0
    assert all(summary.by_fy[fy].grant > 0 for fy in range(2021, 2026))
    reasons = set()
    for code in {ln.municipality_code for ln in db.session.scalars(select(CostLine))}:
        lines = sorted(db.session.scalars(select(CostLine).where(CostLine.municipality_code == code)),
                       key=lambda ln: (ln.fiscal_year, ln.id))
        res = calculation.calculate({"municipality_code": code, "lines": [ln.to_payload_line() for ln in lines]},
                              master_lookup, measures=seed_measures())
        reasons |= {ln.reason for ln in res.lines}
    assert reasons == set(calculation.REASONS)
    # Loading again adds nothing.
    before = len(db.session.scalars(select(CostLine)).all())
    demo_subsidies.load(world)
    assert len(db.session.scalars(select(CostLine)).all()) == before
